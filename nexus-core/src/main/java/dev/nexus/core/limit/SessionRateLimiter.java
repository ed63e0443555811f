package dev.nexus.core.limit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per session: {@code perMinute} tokens of capacity, refilled continuously at
 * {@code perMinute / 60} tokens a second. A full bucket lets a session burst its whole minute's allowance at
 * once; after that it gets one event every {@code 60 / perMinute} seconds. Zero disables limiting.
 *
 * <p>Thread-safe. Time comes from a nanosecond ticker so tests can drive it.
 */
public final class SessionRateLimiter {
    private static final long NANOS_PER_MINUTE = 60_000_000_000L;

    private final int perMinute;
    private final LongSupplier nanoTicker;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    /**
     * @param perMinute events allowed per minute per session; 0 disables the limit
     * @param nanoTicker monotonic nanoseconds, {@code System::nanoTime} in production
     */
    public SessionRateLimiter(int perMinute, LongSupplier nanoTicker) {
        if (perMinute < 0) {
            throw new IllegalArgumentException("rate limit must not be negative: " + perMinute);
        }
        this.perMinute = perMinute;
        this.nanoTicker = nanoTicker;
    }

    public boolean enabled() {
        return perMinute > 0;
    }

    /**
     * Takes one token for {@code sessionId}.
     *
     * @return 0 when the event may go, otherwise how many nanoseconds until a token will be available
     */
    public long tryAcquire(String sessionId) {
        if (perMinute == 0) {
            return 0;
        }
        Bucket bucket = buckets.computeIfAbsent(sessionId, id -> new Bucket(perMinute, nanoTicker.getAsLong()));
        synchronized (bucket) {
            long now = nanoTicker.getAsLong();
            bucket.refill(now, perMinute);
            if (bucket.tokens >= 1.0) {
                bucket.tokens -= 1.0;
                return 0;
            }
            double missing = 1.0 - bucket.tokens;
            return (long) Math.ceil(missing * NANOS_PER_MINUTE / perMinute);
        }
    }

    /** Forgets sessions whose bucket has refilled completely: they behave as new ones. */
    public void forgetFullBuckets() {
        long now = nanoTicker.getAsLong();
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                bucket.refill(now, perMinute);
                return bucket.tokens >= perMinute;
            }
        });
    }

    /** Sessions with a bucket, for tests and metrics. */
    public int trackedSessions() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(int capacity, long now) {
            this.tokens = capacity;
            this.refilledAt = now;
        }

        void refill(long now, int perMinute) {
            long elapsed = now - refilledAt;
            if (elapsed > 0) {
                tokens = Math.min(perMinute, tokens + (double) elapsed * perMinute / NANOS_PER_MINUTE);
                refilledAt = now;
            }
        }
    }
}
