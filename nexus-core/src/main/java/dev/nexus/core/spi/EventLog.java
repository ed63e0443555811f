package dev.nexus.core.spi;

import dev.nexus.protocol.Event;
import java.time.Instant;
import java.util.List;

/**
 * The bus's ordered, possibly durable record of events: gives each accepted event its position and answers
 * history and resume queries.
 *
 * <p><b>Ordering.</b> {@link #append} assigns seqs in call order: {@code head + 1}, strictly increasing, with no
 * gaps among committed events. The node calls it from one sequencing section at a time, so implementations need
 * not order concurrent appends themselves; they must allow reads from any thread while appending.
 *
 * <p><b>Durability.</b> {@link Appended#durable()} completes once the event is as durable as the log promises
 * (see {@link Durability}): after the fsync that covers it for {@code sync}, at once for the others. The stages
 * of successive appends complete in seq order, on the log's own thread or on the caller's when already done, so
 * a caller that chains delivery onto them delivers in seq order. If an event cannot be made durable the stage
 * completes exceptionally with a {@link dev.nexus.protocol.NexusException} ({@code store_unavailable}) and the log
 * refuses every later append until it is reopened: a committed log never has a gap.
 *
 * <p><b>Visibility.</b> A {@link #read} sees every event whose durable stage completed before the read began, and
 * never one that is less durable than the log promises: under {@code sync}, history shows no event a crash could
 * still take back.
 *
 * <p><b>Epoch.</b> {@link #epoch()} names one incarnation of the stored log. It survives restarts of a durable
 * log and changes whenever the store is created anew, so a client's {@code (seq, epoch)} tells whether its
 * position still means anything.
 *
 * <p><b>Retention.</b> Implementations drop the oldest events beyond their count, age or size limits.
 * {@link #read} never returns an event older than the age limit, nor one whose own {@code ttl} has run out.
 */
public interface EventLog extends AutoCloseable {
    /** This log's epoch; never null, stable while the store lives. */
    String epoch();

    /**
     * Stores an event; the given event's {@code seq} is ignored and the stored one carries the returned seq.
     *
     * @throws dev.nexus.protocol.NexusException {@code store_unavailable} when the log has failed; nothing is
     *     stored then
     */
    Appended append(Event event);

    /**
     * As {@link #append(Event)}, for a caller that has already encoded the event for delivery, with the seq this
     * append assigns ({@code head().seq() + 1}): a log that stores the wire form keeps these bytes instead of
     * encoding the event a second time. The default ignores the bytes.
     *
     * @throws IllegalArgumentException when the event's seq is not {@code head().seq() + 1}; nothing is stored
     */
    default Appended append(dev.nexus.core.EncodedEvent encoded) {
        long expected = head().seq() + 1;
        if (encoded.event().seq() != expected) {
            throw new IllegalArgumentException("an encoded event must carry the next seq " + expected + ", not "
                    + encoded.event().seq());
        }
        return append(encoded.event());
    }

    /** Events matching the query in seq order; see {@link HistoryQuery} for which ones. */
    List<Event> read(HistoryQuery query);

    /** The position of the last appended event; seq 0 when nothing was ever appended in this epoch. */
    LogPosition head();

    /**
     * The lowest seq a reader can still get, {@code head().seq() + 1} when nothing is retained. A client whose
     * position is below {@code firstSeq() - 1} has missed events that retention removed.
     */
    long firstSeq();

    /** Number of events currently retained. */
    long size();

    /** Drops events beyond retention as of {@code now}; cheap when there is nothing to drop, never blocks appends long. */
    void prune(Instant now);

    /** Why the log cannot take appends (disk full, read-only, corrupt), or null while it is healthy. */
    String failure();

    /** Flushes what it holds and releases resources; idempotent. */
    @Override
    void close();

    /**
     * The result of an append.
     *
     * @param position the seq and epoch assigned, known at once
     * @param durable completes when the event is durable as promised; see the interface contract
     */
    record Appended(LogPosition position, java.util.concurrent.CompletableFuture<Void> durable) {
    }
}
