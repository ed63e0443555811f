package dev.nexus.bench.scenario;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings every scenario shares.
 *
 * @param url a running Nexus server to load, or null to start one as a child process
 * @param against a peer system to run the same shape against ({@code nats://…}, {@code redis://…}), or null
 * @param warmup load applied before measuring
 * @param duration the measured interval
 * @param payloadBytes bytes of each event's payload
 * @param clientThreads I/O threads of the load generator's clients
 */
public record RunOptions(URI url, URI against, Duration warmup, Duration duration, int payloadBytes, int clientThreads) {
    public RunOptions {
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(duration, "duration");
        if (duration.isZero() || duration.isNegative()) {
            throw new IllegalArgumentException("duration must be positive: " + duration);
        }
        if (warmup.isNegative()) {
            throw new IllegalArgumentException("warmup must not be negative: " + warmup);
        }
        if (payloadBytes < 16) {
            throw new IllegalArgumentException("payload must be at least 16 bytes: " + payloadBytes);
        }
        if (clientThreads < 1) {
            throw new IllegalArgumentException("client threads must be at least 1: " + clientThreads);
        }
    }
}
