package dev.nexus.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.core.spi.WorkAttempt;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.core.spi.WorkStatus;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import dev.nexus.protocol.WireTime;
import dev.nexus.protocol.WorkCommand;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Work claims with leases and fencing tokens, resource reservations, and the work queue; every change announced
 * as a {@code work.*} event (see {@link WorkEvents}).
 *
 * <p>Leases: every grant lasts {@link LeasePolicy} time unless renewed, and carries a fencing token that strictly
 * increases across all grants. An action that presents a token other than the current grant's is refused with
 * {@code stale_token}, so a holder that was paused past its lease cannot act on its successor's grant.
 *
 * <p>Liveness: when the holding session disconnects its claims are released after a grace period unless it
 * reconnects first; {@link #sweep()} (the node's maintenance timer) enforces that and lease expiry, with time from
 * the injected clock.
 *
 * <p>Consistency: every change (store write and its announcement) happens under one lock, so the order of
 * {@code work.*} events in the log is the order of the changes: a new grant of an item is never announced before
 * the end of the previous one.
 */
public final class WorkCoordinator {
    private static final int NEXT_CANDIDATES = 16;

    private final LeaseStore store;
    private final WorkQueue queue;
    private final Clock clock;
    private final Duration grace;
    private final LeasePolicy leases;
    private final WorkEvents events;
    private final Function<String, Optional<SessionRecord>> sessions;
    private final RecentExpiries expiries = new RecentExpiries(RecentExpiries.CAPACITY);
    private final ConcurrentHashMap<String, Departure> departures = new ConcurrentHashMap<>();
    private final Object lock = new Object();

    /**
     * @param grace how long a disconnected holder keeps its claims; zero releases at the next sweep
     * @param sessions what presence knows of a session (its capabilities, whether it is online)
     * @param announcer publishes the server's {@code work.*} events
     */
    public WorkCoordinator(LeaseStore store, WorkQueueStore queueStore, Clock clock, Duration grace,
            WorkOptions options, Function<String, Optional<SessionRecord>> sessions, Consumer<PublishRequest> announcer) {
        if (grace.isNegative()) {
            throw new IllegalArgumentException("claim grace must not be negative: " + grace);
        }
        this.store = store;
        this.clock = clock;
        this.grace = grace;
        this.leases = options.leases();
        this.sessions = sessions;
        this.events = new WorkEvents(announcer);
        this.queue = new WorkQueue(queueStore, options.retry(), options.maxQueueItems());
        queue.reconcile(store.list().stream().map(Claim::workId).collect(Collectors.toSet()));
    }

    public LeasePolicy leasePolicy() {
        return leases;
    }

    /**
     * Claims an item for {@code sessionId}, with a lease and any resources it reserves. Claiming an item one
     * already holds returns the existing claim unchanged.
     *
     * @throws NexusException {@code claim_conflict} naming {@code claimed_by} when another session holds it,
     *     {@code reservation_conflict} when a resource overlaps another session's reservation, {@code work_queued}
     *     when the item is in the work queue (use {@link #next}), {@code invalid_field} for a lease over the maximum
     */
    public Claim claim(String sessionId, WorkCommand.Claim command) {
        Duration ttl = leases.resolve(command.leaseTtlSeconds());
        synchronized (lock) {
            if (queue.contains(command.workId())) {
                throw new NexusException(ErrorCode.WORK_QUEUED, "work '" + command.workId()
                        + "' is in the work queue; sessions get queued items with next", Map.of("work_id", command.workId()));
            }
            Instant now = clock.instant();
            Claim wanted = new Claim(command.workId(), sessionId, WireTime.truncate(now), command.description(), 0,
                    now.plus(ttl), command.resources(), command.mode());
            Optional<Claim> existing = store.get(command.workId());
            if (existing.isPresent()) {
                return heldBySameSession(existing.get(), sessionId);
            }
            Reservations.requireFree(wanted, store.list());
            LeaseStore.ClaimAttempt attempt = store.tryClaim(wanted);
            if (!attempt.granted()) {
                return heldBySameSession(attempt.claim(), sessionId);
            }
            events.claimed(attempt.claim(), null, null);
            return attempt.claim();
        }
    }

    /** {@link #claim(String, WorkCommand.Claim)} without resources; {@code ttl} null for the default lease. */
    public Claim claim(String sessionId, String workId, String description, Duration ttl) {
        return claim(sessionId, new WorkCommand.Claim(workId, description, ttl == null ? null : ttl.toSeconds(),
                List.of(), ReservationMode.EXCLUSIVE));
    }

    /**
     * Extends the lease of a claim held by {@code sessionId} to now + the requested (or default) lease.
     *
     * @throws NexusException as {@link #release}
     */
    public Claim renew(String sessionId, String workId, Long fencingToken, Long leaseTtlSeconds) {
        Duration ttl = leases.resolve(leaseTtlSeconds);
        synchronized (lock) {
            Claim claim = heldClaim(sessionId, workId, fencingToken);
            Claim renewed = store.renew(claim, clock.instant().plus(ttl))
                    .orElseThrow(() -> stale(workId, claim.fencingToken(), null));
            events.renewed(renewed);
            return renewed;
        }
    }

    /**
     * Releases a claim held by {@code sessionId}; a queue item goes back to pending at once.
     *
     * @param fencingToken when not null, must be the current grant's token
     * @throws NexusException {@code stale_token} (409) when the token is not the current grant's,
     *     {@code claim_not_found}, or {@code not_claim_holder} when another session holds it
     */
    public Claim release(String sessionId, String workId, Long fencingToken) {
        synchronized (lock) {
            Claim claim = heldClaim(sessionId, workId, fencingToken);
            end(claim, "work.released", "released", null, null, "released");
            return claim;
        }
    }

    /**
     * Completes a claim held by {@code sessionId}; the claim is gone afterwards and a queue item is completed.
     *
     * @param result optional JSON the holder reports, carried in {@code work.completed}
     * @throws NexusException as {@link #release}
     */
    public Claim complete(String sessionId, String workId, Long fencingToken, JsonNode result) {
        synchronized (lock) {
            Claim claim = heldClaim(sessionId, workId, fencingToken);
            end(claim, "work.completed", null, null, result, "completed");
            return claim;
        }
    }

    /**
     * Gives a held item back as failed ({@code work.failed}): a queue item is retried after an exponential
     * backoff, or moves to the dead-letter state ({@code work.dead}) at its {@code max_attempts}.
     *
     * @return the claim that ended and, for a queue item, the item as it now is
     * @throws NexusException as {@link #release}
     */
    public Ended fail(String sessionId, String workId, Long fencingToken, String reason) {
        synchronized (lock) {
            Claim claim = heldClaim(sessionId, workId, fencingToken);
            return end(claim, "work.failed", "failed", reason, null, "failed");
        }
    }

    /** A grant that ended, and its queue item afterwards (null for a claim outside the queue). */
    public record Ended(Claim claim, WorkItem item) {
    }

    /**
     * Adds an item to the work queue ({@code work.enqueued}).
     *
     * @throws NexusException {@code work_exists}, {@code queue_full}, {@code claim_conflict} when the id is
     *     claimed outside the queue, {@code invalid_field} for an unknown or dead dependency
     */
    public WorkItem enqueue(String sessionId, WorkCommand.Enqueue command) {
        synchronized (lock) {
            Optional<Claim> claimed = store.get(command.workId());
            if (claimed.isPresent() && !queue.contains(command.workId())) {
                throw conflict(claimed.get());
            }
            WorkItem item = queue.enqueue(command, sessionId, clock.instant());
            events.enqueued(item);
            return item;
        }
    }

    /**
     * Hands {@code sessionId} the highest-priority ready item whose needed capabilities it has announced, claimed
     * for it with a lease in the same step.
     *
     * @return the claim and the item, or empty when nothing fits
     */
    public Optional<Handed> next(String sessionId, Long leaseTtlSeconds) {
        Duration ttl = leases.resolve(leaseTtlSeconds);
        Set<String> capabilities = sessions.apply(sessionId).map(SessionRecord::capabilities).orElse(List.of())
                .stream().map(c -> c.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        synchronized (lock) {
            Instant now = clock.instant();
            for (WorkItem item : queue.candidates(capabilities, now, NEXT_CANDIDATES)) {
                LeaseStore.ClaimAttempt attempt = store.tryClaim(new Claim(item.workId(), sessionId,
                        WireTime.truncate(now), item.description(), 0, now.plus(ttl)));
                if (attempt.granted()) {
                    WorkItem claimed = queue.claimed(item);
                    events.claimed(attempt.claim(), claimed, null);
                    return Optional.of(new Handed(attempt.claim(), claimed));
                }
            }
            return Optional.empty();
        }
    }

    /** An item handed out by {@link #next}: its claim, and the item. */
    public record Handed(Claim claim, WorkItem item) {
    }

    /** Queue items in a status (all when null), in enqueue order. */
    public List<WorkItem> items(WorkStatus status) {
        return queue.list(status);
    }

    public Optional<WorkItem> item(String workId) {
        return queue.get(workId);
    }

    public Optional<Claim> claimOf(String workId) {
        return store.get(workId);
    }

    public List<Claim> claimed() {
        return store.list();
    }

    public List<Claim> heldBy(String sessionId) {
        return store.heldBy(sessionId);
    }

    /** The reservations overlapping {@code path} (a path or a glob); every reservation when null. */
    public List<Reservation> reservations(ResourceGlob path) {
        List<Claim> claims = store.list();
        if (path == null) {
            return claims.stream().flatMap(c -> c.resources().stream().map(r -> new Reservation(c, r))).toList();
        }
        return Reservations.holding(path, claims);
    }

    /**
     * Operator: ends the current claim on an item whoever holds it ({@code work.released}, reason
     * {@code forced}); a queue item goes back to pending without counting an attempt.
     *
     * @throws NexusException {@code claim_not_found}
     */
    public Claim forceRelease(String workId, String note) {
        synchronized (lock) {
            Claim claim = store.get(workId).orElseThrow(() -> notClaimed(workId));
            end(claim, "work.released", "forced", note, null, "forced");
            return claim;
        }
    }

    /**
     * Operator: gives an item to {@code sessionId}. A current claim of another session ends first
     * ({@code work.released}, reason {@code reassigned}); the new grant ({@code work.claimed} with
     * {@code reassigned_from}) has a new token and the default lease, and keeps the resources of the claim it
     * replaces. Queue items need not be ready nor match the session's capabilities.
     *
     * @throws NexusException {@code work_not_found} when the item is neither claimed nor queued,
     *     {@code work_finished} for a completed or dead queue item, {@code reservation_conflict}
     */
    public Claim reassign(String workId, String sessionId, String note) {
        synchronized (lock) {
            Optional<WorkItem> item = queue.get(workId);
            Optional<Claim> current = store.get(workId);
            if (item.isEmpty() && current.isEmpty()) {
                throw new NexusException(ErrorCode.WORK_NOT_FOUND, "work '" + workId + "' is neither claimed nor queued",
                        Map.of("work_id", workId));
            }
            if (item.isPresent() && item.get().status().isFinal()) {
                throw new NexusException(ErrorCode.WORK_FINISHED, "work '" + workId + "' is " + item.get().status().wire(),
                        Map.of("work_id", workId, "status", item.get().status().wire()));
            }
            if (current.isPresent() && current.get().claimedBy().equals(sessionId)) {
                return current.get();
            }
            Instant now = clock.instant();
            Claim previous = current.orElse(null);
            Claim wanted = new Claim(workId, sessionId, WireTime.truncate(now),
                    previous != null ? previous.description() : item.get().description(), 0, now.plus(leases.defaultTtl()),
                    previous != null ? previous.resources() : List.of(),
                    previous != null ? previous.mode() : ReservationMode.EXCLUSIVE);
            Reservations.requireFree(wanted, store.list());
            if (previous != null) {
                end(previous, "work.released", "reassigned", note, null, "reassigned");
            }
            LeaseStore.ClaimAttempt attempt = store.tryClaim(wanted);
            WorkItem claimedItem = item.isPresent() ? queue.claimed(item.get()) : null;
            events.claimed(attempt.claim(), claimedItem, previous != null ? previous.claimedBy() : null);
            return attempt.claim();
        }
    }

    /** Operator: the most recent lease expiries, newest first (at most {@link RecentExpiries#CAPACITY}, since start). */
    public List<RecentExpiries.Expiry> recentExpiries() {
        return expiries.newestFirst();
    }

    /** Operator: claims whose holder is not online (disconnected, or never connected over WebSocket). */
    public List<Claim> stale() {
        return store.list().stream()
                .filter(claim -> !sessions.apply(claim.claimedBy()).map(SessionRecord::online).orElse(false))
                .toList();
    }

    /** When a disconnected holder's claims will be released, or null when it is not waiting for release. */
    public Instant releaseDeadline(String sessionId) {
        Departure departure = departures.get(sessionId);
        return departure == null ? null : departure.deadline();
    }

    /** The holder reconnected: its claims stay. */
    public void sessionAttached(String sessionId) {
        departures.remove(sessionId);
    }

    /** The holder disconnected: its claims go after the grace period unless it comes back. */
    public void sessionDetached(String sessionId) {
        sessionDetached(sessionId, "holder_disconnected");
    }

    /**
     * The holder's connection ended for {@code reason} ({@code holder_disconnected}, or {@code ping_timeout} when it
     * stopped answering pings): its claims go after the grace period unless it comes back, and
     * {@code work.released} gives that reason.
     */
    public void sessionDetached(String sessionId, String reason) {
        departures.put(sessionId, new Departure(clock.instant().plus(grace), reason));
    }

    /**
     * At start-up, claims found in a durable store belong to sessions that are not connected (yet): each holder
     * gets {@code grace} to reconnect before its claims are released.
     */
    public void holdersAbsentSinceRestart(Duration restartGrace) {
        Instant deadline = clock.instant().plus(restartGrace);
        for (Claim claim : store.list()) {
            departures.putIfAbsent(claim.claimedBy(), new Departure(deadline, "holder_disconnected"));
        }
    }

    /** Releases the claims of holders gone past their grace, and frees items whose lease ran out. */
    public void sweep() {
        Instant now = clock.instant();
        for (Map.Entry<String, Departure> entry : departures.entrySet()) {
            Departure departure = entry.getValue();
            if (!departure.deadline().isAfter(now) && departures.remove(entry.getKey(), departure)) {
                synchronized (lock) {
                    for (Claim claim : store.heldBy(entry.getKey())) {
                        end(claim, "work.released", departure.reason(), null, null, departure.reason());
                    }
                }
            }
        }
        for (Claim listed : store.list()) {
            if (isExpired(listed, now)) {
                synchronized (lock) {
                    // read again under the lock: the holder may have renewed meanwhile
                    Optional<Claim> current = store.get(listed.workId()).filter(claim -> isExpired(claim, now));
                    if (current.isPresent() && end(current.get(), "work.expired", "expired", null, null, "expired") != null) {
                        expiries.add(current.get(), now);
                    }
                }
            }
        }
    }

    private static boolean isExpired(Claim claim, Instant now) {
        return claim.expiresAt() != null && !claim.expiresAt().isAfter(now);
    }

    /**
     * Ends a grant if it is still current: removes it, updates its queue item, announces the event and any
     * dead-lettering. Must hold the lock.
     *
     * @param outcome the outcome recorded in the queue item's history
     * @return the ended claim and its queue item afterwards (null outside the queue); null when the grant was no
     *     longer current
     */
    private Ended end(Claim claim, String eventType, String reason, String note, JsonNode result, String outcome) {
        if (!store.remove(claim)) {
            return null;
        }
        Instant now = clock.instant();
        List<WorkItem> changed = List.of();
        if (queue.contains(claim.workId())) {
            changed = queue.attemptEnded(claim.workId(), new WorkAttempt(claim.claimedBy(), claim.fencingToken(),
                    claim.claimedAt(), now, outcome, note));
        }
        WorkItem item = changed.isEmpty() ? null : changed.getFirst();
        events.ended(claim, eventType, reason, note, result, now, item);
        for (WorkItem died : changed) {
            if (died.status() == WorkStatus.DEAD) {
                events.dead(died, died == item ? "max_attempts" : "dependency_dead");
            }
        }
        return new Ended(claim, item);
    }

    private Claim heldClaim(String sessionId, String workId, Long fencingToken) {
        Optional<Claim> current = store.get(workId);
        if (fencingToken != null && (current.isEmpty() || current.get().fencingToken() != fencingToken)) {
            throw stale(workId, fencingToken, current.orElse(null));
        }
        Claim claim = current.orElseThrow(() -> notClaimed(workId));
        if (!claim.claimedBy().equals(sessionId)) {
            throw new NexusException(ErrorCode.NOT_CLAIM_HOLDER,
                    "work '" + workId + "' is claimed by " + claim.claimedBy() + ", not by " + sessionId,
                    Map.of("work_id", workId, "claimed_by", claim.claimedBy()));
        }
        return claim;
    }

    private static NexusException stale(String workId, long presented, Claim current) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("work_id", workId);
        details.put("fencing_token", presented);
        if (current != null) {
            details.put("current_fencing_token", current.fencingToken());
            details.put("claimed_by", current.claimedBy());
        }
        return new NexusException(ErrorCode.STALE_TOKEN, "fencing_token " + presented + " is not the current grant of '"
                + workId + "'" + (current == null ? "; the item is not claimed now" : "; it is held under token "
                + current.fencingToken()) + ": the lease it was issued with has ended", details);
    }

    private static NexusException notClaimed(String workId) {
        return new NexusException(ErrorCode.CLAIM_NOT_FOUND, "work '" + workId + "' is not claimed",
                Map.of("work_id", workId));
    }

    private static Claim heldBySameSession(Claim held, String sessionId) {
        if (held.claimedBy().equals(sessionId)) {
            return held;
        }
        throw conflict(held);
    }

    private static NexusException conflict(Claim held) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("work_id", held.workId());
        details.put("claimed_by", held.claimedBy());
        details.put("claimed_at", WireTime.format(held.claimedAt()));
        return new NexusException(ErrorCode.CLAIM_CONFLICT,
                "work '" + held.workId() + "' is already claimed by " + held.claimedBy(), details);
    }

    /** A holder gone, and when and why its claims are released. */
    private record Departure(Instant deadline, String reason) {
    }
}
