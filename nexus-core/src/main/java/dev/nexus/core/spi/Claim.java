package dev.nexus.core.spi;

import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import java.time.Instant;
import java.util.List;
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
 * @param expiresAt when the lease runs out and the claim lapses by itself; null when it lasts until released,
 *     completed or its holder disconnects (claims stored by earlier versions)
 * @param resources what the claim reserves; empty for none
 * @param mode how it holds them
 */
public record Claim(String workId, String claimedBy, Instant claimedAt, String description, long fencingToken,
        Instant expiresAt, List<ResourceGlob> resources, ReservationMode mode) {
    public Claim {
        Objects.requireNonNull(workId, "workId");
        Objects.requireNonNull(claimedBy, "claimedBy");
        Objects.requireNonNull(claimedAt, "claimedAt");
        resources = resources == null ? List.of() : List.copyOf(resources);
        mode = mode == null ? ReservationMode.EXCLUSIVE : mode;
    }

    /** A claim that reserves nothing. */
    public Claim(String workId, String claimedBy, Instant claimedAt, String description, long fencingToken,
            Instant expiresAt) {
        this(workId, claimedBy, claimedAt, description, fencingToken, expiresAt, List.of(), ReservationMode.EXCLUSIVE);
    }

    /** The same grant with another token (stores assign tokens). */
    public Claim withFencingToken(long token) {
        return new Claim(workId, claimedBy, claimedAt, description, token, expiresAt, resources, mode);
    }

    /** The same grant with its lease running out at {@code newExpiry}. */
    public Claim withExpiresAt(Instant newExpiry) {
        return new Claim(workId, claimedBy, claimedAt, description, fencingToken, newExpiry, resources, mode);
    }
}
