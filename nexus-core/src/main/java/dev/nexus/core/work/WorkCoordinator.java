package dev.nexus.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Work claims: atomic claim, release and completion, each announced as {@code work.claimed},
 * {@code work.released} or {@code work.completed}.
 *
 * <p>A claim dies with its holder: when the holding session disconnects, its claims are released after a grace
 * period unless it reconnects first, so a quick reconnect keeps them. A claim may also carry a lease ttl after
 * which it lapses by itself. Both are enforced by {@link #sweep()}, which the node's maintenance timer calls
 * often; time comes from the injected clock.
 */
public final class WorkCoordinator {
    public static final Duration MAX_TTL = Duration.ofDays(7);

    private final LeaseStore store;
    private final Clock clock;
    private final Duration grace;
    private final Consumer<PublishRequest> announcer;
    private final ConcurrentHashMap<String, Instant> releaseDeadlines = new ConcurrentHashMap<>();

    /**
     * @param grace how long a disconnected holder keeps its claims; zero releases at the next sweep
     * @param announcer publishes the server's {@code work.*} events
     */
    public WorkCoordinator(LeaseStore store, Clock clock, Duration grace, Consumer<PublishRequest> announcer) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("claim grace must not be negative: " + grace);
        }
        this.store = store;
        this.clock = clock;
        this.grace = grace;
        this.announcer = announcer;
    }

    /**
     * Claims {@code workId} for {@code sessionId}. Claiming an item one already holds returns the existing claim.
     *
     * @param ttl how long the claim lasts by itself; null for as long as the holder is connected
     * @throws NexusException {@code claim_conflict} naming {@code claimed_by} when another session holds it
     */
    public Claim claim(String sessionId, String workId, String description, Duration ttl) {
        Instant now = clock.instant();
        if (ttl != null && (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0)) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "ttl_seconds must be between 1 and " + MAX_TTL.toSeconds(),
                    Map.of("field", "ttl_seconds"));
        }
        Claim wanted = new Claim(workId, sessionId, WireTime.truncate(now), description, 0,
                ttl == null ? null : now.plus(ttl));
        LeaseStore.ClaimAttempt attempt = store.tryClaim(wanted);
        Claim held = attempt.claim();
        if (!held.claimedBy().equals(sessionId)) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("work_id", workId);
            details.put("claimed_by", held.claimedBy());
            details.put("claimed_at", WireTime.format(held.claimedAt()));
            throw new NexusException(ErrorCode.CLAIM_CONFLICT,
                    "work '" + workId + "' is already claimed by " + held.claimedBy(), details);
        }
        if (attempt.granted()) {
            announcer.accept(PublishRequest.of("work.claimed", sessionId, claimPayload(held)));
        }
        return held;
    }

    /**
     * Releases a claim held by {@code sessionId}.
     *
     * @param fencingToken when not null, must equal the claim's token
     * @throws NexusException {@code claim_not_found}, or {@code not_claim_holder} when another session holds it
     */
    public Claim release(String sessionId, String workId, Long fencingToken) {
        Claim claim = heldClaim(sessionId, workId, fencingToken);
        if (store.remove(claim)) {
            announcer.accept(PublishRequest.of("work.released", sessionId, releasePayload(claim, "released")));
        }
        return claim;
    }

    /**
     * Completes a claim held by {@code sessionId}; the claim is gone afterwards.
     *
     * @param result optional JSON the holder reports, carried in {@code work.completed}
     * @throws NexusException as {@link #release}
     */
    public Claim complete(String sessionId, String workId, Long fencingToken, JsonNode result) {
        Claim claim = heldClaim(sessionId, workId, fencingToken);
        if (store.remove(claim)) {
            ObjectNode payload = claimPayload(claim);
            payload.put("completed_at", WireTime.format(clock.instant()));
            if (result != null && !result.isNull()) {
                payload.set("result", result);
            }
            announcer.accept(PublishRequest.of("work.completed", sessionId, payload));
        }
        return claim;
    }

    public List<Claim> claimed() {
        return store.list();
    }

    public List<Claim> heldBy(String sessionId) {
        return store.heldBy(sessionId);
    }

    /** The holder reconnected: its claims stay. */
    public void sessionAttached(String sessionId) {
        releaseDeadlines.remove(sessionId);
    }

    /** The holder disconnected: its claims go after the grace period unless it comes back. */
    public void sessionDetached(String sessionId) {
        releaseDeadlines.put(sessionId, clock.instant().plus(grace));
    }

    /**
     * At start-up, claims found in a durable store belong to sessions that are not connected (yet): each holder
     * gets {@code grace} to reconnect before its claims are released.
     */
    public void holdersAbsentSinceRestart(Duration restartGrace) {
        Instant deadline = clock.instant().plus(restartGrace);
        for (Claim claim : store.list()) {
            releaseDeadlines.putIfAbsent(claim.claimedBy(), deadline);
        }
    }

    /** Releases the claims of holders gone past their grace and the claims whose ttl ran out. */
    public void sweep() {
        Instant now = clock.instant();
        for (Map.Entry<String, Instant> entry : releaseDeadlines.entrySet()) {
            if (!entry.getValue().isAfter(now) && releaseDeadlines.remove(entry.getKey(), entry.getValue())) {
                for (Claim claim : store.heldBy(entry.getKey())) {
                    releaseLapsed(claim, "holder_disconnected");
                }
            }
        }
        for (Claim claim : store.list()) {
            if (claim.expiresAt() != null && !claim.expiresAt().isAfter(now)) {
                releaseLapsed(claim, "expired");
            }
        }
    }

    private void releaseLapsed(Claim claim, String reason) {
        if (store.remove(claim)) {
            announcer.accept(PublishRequest.of("work.released", claim.claimedBy(), releasePayload(claim, reason)));
        }
    }

    private Claim heldClaim(String sessionId, String workId, Long fencingToken) {
        Claim claim = store.get(workId).orElseThrow(() -> new NexusException(ErrorCode.CLAIM_NOT_FOUND,
                "work '" + workId + "' is not claimed", Map.of("work_id", workId)));
        if (!claim.claimedBy().equals(sessionId)) {
            throw new NexusException(ErrorCode.NOT_CLAIM_HOLDER,
                    "work '" + workId + "' is claimed by " + claim.claimedBy() + ", not by " + sessionId,
                    Map.of("work_id", workId, "claimed_by", claim.claimedBy()));
        }
        if (fencingToken != null && fencingToken != claim.fencingToken()) {
            throw new NexusException(ErrorCode.NOT_CLAIM_HOLDER,
                    "fencing_token " + fencingToken + " is stale: the current claim on '" + workId + "' has token "
                            + claim.fencingToken(),
                    Map.of("work_id", workId, "claimed_by", claim.claimedBy()));
        }
        return claim;
    }

    private static ObjectNode claimPayload(Claim claim) {
        ObjectNode payload = WireJson.mapper().createObjectNode();
        payload.put("work_id", claim.workId());
        if (claim.description() != null) {
            payload.put("work_description", claim.description());
        }
        payload.put("claimed_by", claim.claimedBy());
        payload.put("claimed_at", WireTime.format(claim.claimedAt()));
        payload.put("fencing_token", claim.fencingToken());
        return payload;
    }

    private static ObjectNode releasePayload(Claim claim, String reason) {
        ObjectNode payload = claimPayload(claim);
        payload.put("reason", reason);
        return payload;
    }
}
