package dev.nexus.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where work claims live. In a cluster, every node sees the same claims.
 *
 * <p>Atomicity: {@link #tryClaim} grants a free item to exactly one of any number of concurrent callers; the
 * others see the winner's claim. {@link #remove} and {@link #renew} act only on the claim they name (same holder
 * and token), so a stale holder cannot touch its successor's claim. Every field of a claim, resources and mode
 * included, is kept as given.
 */
public interface LeaseStore {
    /**
     * Grants {@code workId} to {@code sessionId} if nobody holds it, assigning a new fencing token.
     *
     * @param request the claim wanted; its {@code fencingToken} is ignored
     * @return the claim now in the store for that item, and whether this call granted it; when not granted the
     *     claim is the holder's (which may be the same session's earlier claim)
     */
    ClaimAttempt tryClaim(Claim request);

    /**
     * The outcome of {@link #tryClaim}.
     *
     * @param claim the claim in the store after the attempt
     * @param granted true when this attempt created it
     */
    record ClaimAttempt(Claim claim, boolean granted) {
    }

    /** The current claim on an item, if any. */
    Optional<Claim> get(String workId);

    /** Removes the claim if it is still exactly the one given; returns whether it did. */
    boolean remove(Claim claim);

    /**
     * Moves the lease end of the claim if it is still the one given (same item, holder and token).
     *
     * @return the claim as now stored, or empty when that grant is no longer current
     */
    Optional<Claim> renew(Claim claim, Instant expiresAt);

    /** All current claims, in claim order. */
    List<Claim> list();

    /** The claims held by one session, in claim order. */
    List<Claim> heldBy(String sessionId);
}
