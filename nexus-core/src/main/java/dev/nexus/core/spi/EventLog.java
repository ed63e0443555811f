package dev.nexus.core.spi;

import dev.nexus.protocol.Event;
import java.time.Instant;
import java.util.List;

/**
 * The bus's ordered record of events: assigns each accepted event its position and answers history queries.
 *
 * <p>Ordering: {@link #append} assigns seqs in call order, strictly increasing with no gaps among stored events.
 * The node calls it from one sequencing section at a time, so implementations need not order concurrent
 * callers themselves, but must be safe to read ({@link #read}, {@link #head}) from any thread while appending.
 *
 * <p>Retention: implementations drop the oldest events beyond their count or age limits; {@link #read} never
 * returns an event older than the retention window even if it has not been pruned yet, nor one whose own
 * {@code ttl} (seconds) has run out.
 */
public interface EventLog extends AutoCloseable {
    /**
     * Stores an event and returns its position. The given event's {@code seq} is ignored; the stored event
     * carries the returned seq.
     *
     * @throws dev.nexus.protocol.NexusException {@code internal_error} when the event cannot be stored; nothing
     *     is stored then
     */
    LogPosition append(Event event);

    /**
     * Events matching the query in seq order (which is also time order). Without {@code since}, the most recent
     * {@code limit} matching events; with it, the first {@code limit} matching events at or after it.
     */
    List<Event> read(HistoryQuery query);

    /** The position of the last appended event; seq 0 when the log is empty. */
    LogPosition head();

    /** Number of events currently retained. */
    long size();

    /** Drops events older than the retention window as of {@code now}; cheap when there is nothing to drop. */
    void prune(Instant now);

    /** Releases resources; idempotent. */
    @Override
    void close();
}
