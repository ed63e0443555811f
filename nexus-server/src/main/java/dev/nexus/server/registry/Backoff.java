package dev.nexus.server.registry;

import java.time.Duration;

/**
 * Exponential backoff between retries: the first retry waits {@code initial}, each later one {@code multiplier}
 * times longer, never more than {@code max}.
 *
 * @param initial the wait after the first failure; positive
 * @param max the longest wait; at least {@code initial}
 * @param multiplier growth per failure; at least 1
 */
public record Backoff(Duration initial, Duration max, double multiplier) {
    public Backoff {
        if (initial == null || initial.isNegative() || initial.isZero()) {
            throw new IllegalArgumentException("initial backoff must be positive: " + initial);
        }
        if (max == null || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max backoff must be at least the initial " + initial + ": " + max);
        }
        if (!(multiplier >= 1) || Double.isInfinite(multiplier)) {
            throw new IllegalArgumentException(
                    "backoff multiplier must be a finite number of at least 1: " + multiplier);
        }
    }

    /** 1 s, doubling, at most 60 s. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), 2);
    }

    /**
     * The wait after the {@code failures}-th consecutive failure.
     *
     * @param failures 1 for the first failure
     */
    public Duration delayAfter(int failures) {
        if (failures < 1) {
            throw new IllegalArgumentException("failures must be at least 1: " + failures);
        }
        double nanos = initial.toNanos() * Math.pow(multiplier, failures - 1);
        return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
    }
}
