package dev.nexus.core;

import dev.nexus.core.memory.MemoryEventLog;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.PresenceStore;
import dev.nexus.core.spi.WorkQueueStore;
import java.util.Objects;

/** The storage a node runs on: one implementation of each SPI. The node closes the event log when it closes. */
public record NodeBackends(EventLog eventLog, PresenceStore presence, LeaseStore leases, WorkQueueStore workQueue) {
    public NodeBackends {
        Objects.requireNonNull(eventLog, "eventLog");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(workQueue, "workQueue");
    }

    /** Everything in memory: one node, nothing survives a restart. */
    public static NodeBackends memory(NodeOptions options) {
        return new NodeBackends(new MemoryEventLog(options.historySize(), options.historyRetention(), options.clock()),
                new MemoryPresenceStore(), new MemoryLeaseStore(), new MemoryWorkQueueStore());
    }
}
