package dev.nexus.store.sqlite;

import java.time.Duration;

/**
 * How much history the SQLite event log keeps. The oldest events go first, whichever limit they cross first.
 *
 * @param maxEvents most events kept, at least 1
 * @param maxAge how long an event is kept, positive; reads never return older events even before they are pruned
 * @param maxBytes most bytes of stored event JSON kept (the sum of each event's encoded size, not the file size);
 *     0 for no byte limit
 */
public record LogRetention(long maxEvents, Duration maxAge, long maxBytes) {
    public LogRetention {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("history size must be positive: " + maxEvents);
        }
        if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("history retention must be positive: " + maxAge);
        }
        if (maxBytes < 0) {
            throw new IllegalArgumentException("history byte limit must not be negative (0 means none): " + maxBytes);
        }
    }

    /** Limits by count and age only. */
    public static LogRetention of(long maxEvents, Duration maxAge) {
        return new LogRetention(maxEvents, maxAge, 0);
    }

    boolean limitsBytes() {
        return maxBytes > 0;
    }
}
