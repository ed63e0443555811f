package dev.nexus.core.memory;

import dev.nexus.core.spi.InboxStore;
import dev.nexus.core.spi.InboxStoreContractTest;

class MemoryInboxStoreContractTest extends InboxStoreContractTest {
    @Override
    protected InboxStore newStore() {
        return new MemoryInboxStore();
    }

    @Override
    protected InboxStore reopen(InboxStore store) {
        return store; // a memory store lives as long as the process; "reopening" it is using it again
    }
}
