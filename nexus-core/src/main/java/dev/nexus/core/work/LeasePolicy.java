package dev.nexus.core.work;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.time.Duration;
import java.util.Map;

/**
 * How long leases last: {@code defaultTtl} when the client names no length, at most {@code maxTtl}.
 *
 * @param defaultTtl the lease of a claim, renewal or {@code next} that names none
 * @param maxTtl the longest lease a client may ask for
 */
public record LeasePolicy(Duration defaultTtl, Duration maxTtl) {
    /** The lease when nothing else is said: five minutes. */
    public static final Duration DEFAULT_TTL = Duration.ofSeconds(300);

    public LeasePolicy {
        if (maxTtl == null || maxTtl.compareTo(Duration.ofSeconds(1)) < 0) {
            throw new IllegalArgumentException("max lease ttl must be at least one second: " + maxTtl);
        }
        if (defaultTtl == null || defaultTtl.compareTo(Duration.ofSeconds(1)) < 0 || defaultTtl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("default lease ttl must be between 1 s and the max (" + maxTtl + "): "
                    + defaultTtl);
        }
    }

    /** Leases of {@link #DEFAULT_TTL} by default (or {@code maxTtl} when that is shorter), at most {@code maxTtl}. */
    public static LeasePolicy upTo(Duration maxTtl) {
        return new LeasePolicy(DEFAULT_TTL.compareTo(maxTtl) <= 0 ? DEFAULT_TTL : maxTtl, maxTtl);
    }

    /**
     * The lease for a request.
     *
     * @param seconds what the client asked for ({@code lease_ttl_s}); null for the default
     * @throws NexusException {@code invalid_field} (field {@code lease_ttl_s}) when over the maximum
     */
    public Duration resolve(Long seconds) {
        if (seconds == null) {
            return defaultTtl;
        }
        if (seconds < 1 || seconds > maxTtl.toSeconds()) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "lease_ttl_s (ttl_seconds) must be between 1 and "
                    + maxTtl.toSeconds() + " seconds, got " + seconds, Map.of("field", "lease_ttl_s"));
        }
        return Duration.ofSeconds(seconds);
    }
}
