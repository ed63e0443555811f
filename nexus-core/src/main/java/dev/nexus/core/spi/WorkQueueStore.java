package dev.nexus.core.spi;

import java.util.List;
import java.util.Optional;

/**
 * The durable record of the work queue's items. The node keeps the queue's working set in memory (it picks the
 * next item without a query) and writes every change through this store before it answers or announces it, so
 * after a restart {@link #list()} gives back every item in the state last written.
 *
 * <p>Calls are made one at a time by the node (under its work lock); implementations must still be thread-safe.
 * Every change is durable when the call returns. Failures to read or write are thrown as
 * {@link dev.nexus.protocol.NexusException} {@code store_unavailable}; nothing is half-written then.
 */
public interface WorkQueueStore {
    /**
     * Adds a new item.
     *
     * @return false, changing nothing, when an item with its id exists
     */
    boolean insert(WorkItem item);

    /**
     * Replaces the stored item that has {@code item}'s id with {@code item}.
     *
     * @throws IllegalArgumentException when no item has that id
     */
    void update(WorkItem item);

    /** The item with that id, if any. */
    Optional<WorkItem> get(String workId);

    /** Every item, in {@link WorkItem#sequence} order. */
    List<WorkItem> list();
}
