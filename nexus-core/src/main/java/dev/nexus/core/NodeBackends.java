package dev.nexus.core;

import dev.nexus.core.memory.MemoryEventLog;
import dev.nexus.core.memory.MemoryInboxStore;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.InboxStore;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.PresenceStore;
import dev.nexus.core.spi.WorkQueueStore;
import java.util.Objects;

/**
 * The storage a node runs on: one implementation of each SPI. The node closes the event log and the inbox store
 * when it closes.
 */
public record NodeBackends(EventLog eventLog, PresenceStore presence, LeaseStore leases, WorkQueueStore workQueue,
        InboxStore inbox) {
    public NodeBackends {
        Objects.requireNonNull(eventLog, "eventLog");
        Objects.requireNonNull(presence, "presence");
        Objects.requireNonNull(leases, "leases");
        Objects.requireNonNull(workQueue, "workQueue");
        Objects.requireNonNull(inbox, "inbox");
    }

    /** With the work queue and inboxes in memory. */
    public NodeBackends(EventLog eventLog, PresenceStore presence, LeaseStore leases) {
        this(eventLog, presence, leases, new MemoryWorkQueueStore(), new MemoryInboxStore());
    }

    /** Everything in memory: one node, nothing survives a restart. */
    public static NodeBackends memory(NodeOptions options) {
        return new NodeBackends(new MemoryEventLog(options.historySize(), options.historyRetention(), options.clock()),
                new MemoryPresenceStore(), new MemoryLeaseStore(), new MemoryWorkQueueStore(), new MemoryInboxStore());
    }
}
