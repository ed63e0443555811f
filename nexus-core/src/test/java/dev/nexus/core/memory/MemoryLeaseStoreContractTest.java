package dev.nexus.core.memory;

import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.LeaseStoreContractTest;

class MemoryLeaseStoreContractTest extends LeaseStoreContractTest {
    @Override
    protected LeaseStore newStore() {
        return new MemoryLeaseStore();
    }
}
