package dev.nexus.core;

import java.time.Clock;
import java.time.Instant;

/**
 * The times events are stamped with: the clock's time at the wire's precision, but never earlier than the last
 * one handed out (or the newest event already in the log), so that seq order is also time order even when the
 * wall clock is set back. Reads by time rely on it: the SQLite log finds the first event at or after an instant
 * by a binary search over seqs rather than through an index of timestamps.
 *
 * <p>Not thread-safe: the node calls it under its sequencing lock.
 */
final class EventTimestamps {
    private final Clock clock;
    private Instant last;

    /**
     * @param clock the wall clock
     * @param newestLogged the timestamp of the newest event already in the log, or null when it holds none
     */
    EventTimestamps(Clock clock, Instant newestLogged) {
        this.clock = clock;
        this.last = newestLogged;
    }

    /**
     * The timestamp for the next event: the clock's time, or the last timestamp when the clock is behind it. Events
     * of the same millisecond share one {@link Instant}; the clock is read as milliseconds, the wire's precision,
     * which is cheaper than {@link Clock#instant()}.
     */
    Instant next() {
        long now = clock.millis();
        if (last != null && now <= last.toEpochMilli()) {
            return last;
        }
        last = Instant.ofEpochMilli(now);
        return last;
    }
}
