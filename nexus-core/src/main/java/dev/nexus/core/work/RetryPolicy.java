package dev.nexus.core.work;

import java.time.Duration;

/**
 * When a failed queue item is handed out again: after {@code base}, doubling with each further failure, at most
 * {@code max}.
 *
 * @param base the wait after the first failure
 * @param max the longest wait
 */
public record RetryPolicy(Duration base, Duration max) {
    public RetryPolicy {
        if (base == null || base.isNegative() || max == null || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("retry backoff must satisfy 0 <= base <= max: " + base + ", " + max);
        }
    }

    /** One second, doubling, at most five minutes. */
    public static RetryPolicy defaults() {
        return new RetryPolicy(Duration.ofSeconds(1), Duration.ofMinutes(5));
    }

    /** The wait after the {@code failures}-th failure (1 for the first). */
    public Duration backoff(int failures) {
        Duration wait = base;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
