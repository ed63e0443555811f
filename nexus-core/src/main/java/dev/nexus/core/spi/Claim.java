package dev.nexus.core.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * One work item held by one session.
 *
 * @param workId the item
 * @param claimedBy the holder session
 * @param claimedAt when it was granted
 * @param description what the holder said the work is; may be null
 * @param fencingToken strictly increasing across all grants of a store; present it with actions taken under the
 *     claim so a holder that lost its claim can be told apart from the new one
 * @param expiresAt when the claim lapses by itself; null when it lasts until released, completed or its holder
 *     disconnects
 */
public record Claim(String workId, String claimedBy, Instant claimedAt, String description, long fencingToken,
        Instant expiresAt) {
    public Claim {
        Objects.requireNonNull(workId, "workId");
        Objects.requireNonNull(claimedBy, "claimedBy");
        Objects.requireNonNull(claimedAt, "claimedAt");
    }
}
