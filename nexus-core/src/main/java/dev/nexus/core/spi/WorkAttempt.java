package dev.nexus.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished attempt at a queued item: a grant of it to a session and how that grant ended.
 *
 * @param sessionId who held it
 * @param fencingToken the grant's token
 * @param startedAt when it was granted
 * @param endedAt when it ended
 * @param outcome {@code completed}, {@code failed}, {@code expired}, {@code holder_disconnected},
 *     {@code ping_timeout}, {@code released}, {@code forced} or {@code reassigned}
 * @param reason what the holder (or operator) said; may be null
 */
public record WorkAttempt(String sessionId, long fencingToken, Instant startedAt, Instant endedAt, String outcome,
        String reason) {
    public WorkAttempt {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(startedAt, "startedAt");
        Objects.requireNonNull(endedAt, "endedAt");
        Objects.requireNonNull(outcome, "outcome");
    }

    /** Whether this attempt counts against the item's {@code max_attempts}: the holder failed or vanished. */
    public boolean countsAsFailure() {
        return switch (outcome) {
            case "failed", "expired", "holder_disconnected", "ping_timeout" -> true;
            default -> false;
        };
    }
}
