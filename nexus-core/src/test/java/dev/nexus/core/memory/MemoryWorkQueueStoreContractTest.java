package dev.nexus.core.memory;

import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.core.spi.WorkQueueStoreContractTest;

class MemoryWorkQueueStoreContractTest extends WorkQueueStoreContractTest {
    @Override
    protected WorkQueueStore newStore() {
        return new MemoryWorkQueueStore();
    }
}
