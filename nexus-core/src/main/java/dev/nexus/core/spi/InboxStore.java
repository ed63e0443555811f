package dev.nexus.core.spi;

import java.util.List;

/**
 * Where the inboxes of direct messages are kept, so that undelivered and unread messages, and which ones were
 * read, survive a restart. The node holds the working state in memory and writes every change here from one
 * thread of its own (never an event loop); an implementation only stores and returns entries.
 *
 * <p><b>Identity.</b> An entry is identified by {@code (recipient, seq)}.
 *
 * <p><b>Atomicity and durability.</b> Each call is atomic: after a crash, all or none of the entries it names are
 * changed. When a call returns, its change is as durable as the store promises (a SQLite store: on disk).
 *
 * <p><b>Failures.</b> A store that cannot read or write throws {@link dev.nexus.protocol.NexusException}
 * {@code store_unavailable}; nothing of that call is applied.
 */
public interface InboxStore extends AutoCloseable {
    /** Every stored entry, ordered by recipient and then seq; empty for a new store. */
    List<InboxEntry> loadAll();

    /** Inserts the entries, or replaces the stored ones with the same {@code (recipient, seq)}. */
    void save(List<InboxEntry> entries);

    /** Removes the entries with these {@code (recipient, seq)}; ones not stored are ignored. */
    void delete(List<InboxEntry> entries);

    /** Releases resources; idempotent. */
    @Override
    void close();
}
