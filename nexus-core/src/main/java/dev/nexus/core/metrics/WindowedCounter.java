package dev.nexus.core.metrics;

import java.time.Clock;

/**
 * Counts events over a sliding window of fixed buckets (for example 60 one-second buckets for "the last
 * minute"). The sum covers the current partial bucket plus the full buckets before it. Thread-safe.
 */
public final class WindowedCounter {
    private final Clock clock;
    private final long bucketMillis;
    private final long[] counts;
    private final long[] bucketIds;

    public WindowedCounter(Clock clock, long bucketMillis, int buckets) {
        if (bucketMillis <= 0 || buckets <= 0) {
            throw new IllegalArgumentException("bucket size and count must be positive");
        }
        this.clock = clock;
        this.bucketMillis = bucketMillis;
        this.counts = new long[buckets];
        this.bucketIds = new long[buckets];
    }

    public synchronized void add(long n) {
        long id = clock.millis() / bucketMillis;
        int slot = (int) (id % counts.length);
        if (bucketIds[slot] != id) {
            bucketIds[slot] = id;
            counts[slot] = 0;
        }
        counts[slot] += n;
    }

    /** Total over the window ending now. */
    public synchronized long sum() {
        long current = clock.millis() / bucketMillis;
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            if (current - bucketIds[i] < counts.length) {
                total += counts[i];
            }
        }
        return total;
    }

    /** Length of the window in milliseconds. */
    public long windowMillis() {
        return bucketMillis * counts.length;
    }
}
