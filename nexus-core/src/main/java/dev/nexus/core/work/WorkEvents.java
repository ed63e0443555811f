package dev.nexus.core.work;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.WorkAttempt;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.ResourceGlob;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Instant;
import java.util.function.Consumer;

/**
 * The {@code work.*} events: what each says, built in one place. They are the audit trail of claims and queue
 * items, so every change of either is announced here. Payload fields of a claim: {@code work_id},
 * {@code work_description}, {@code claimed_by}, {@code claimed_at}, {@code fencing_token},
 * {@code lease_expires_at} and, when it reserves any, {@code resources} and {@code mode}.
 */
final class WorkEvents {
    private final Consumer<PublishRequest> announcer;

    WorkEvents(Consumer<PublishRequest> announcer) {
        this.announcer = announcer;
    }

    void claimed(Claim claim, WorkItem item, String reassignedFrom) {
        ObjectNode payload = claimPayload(claim);
        if (item != null) {
            payload.put("attempt", item.failures() + 1);
            payload.put("priority", item.priority());
        }
        if (reassignedFrom != null) {
            payload.put("reassigned_from", reassignedFrom);
        }
        announce("work.claimed", claim.claimedBy(), payload);
    }

    void renewed(Claim claim) {
        announce("work.renewed", claim.claimedBy(), claimPayload(claim));
    }

    /**
     * A grant ended: {@code work.completed}, {@code work.failed}, {@code work.expired} or {@code work.released}
     * (with {@code reason}), plus what became of its queue item.
     */
    void ended(Claim claim, String eventType, String reason, String note, JsonNode result, Instant at,
            WorkItem item) {
        ObjectNode payload = claimPayload(claim);
        if (reason != null) {
            payload.put("reason", reason);
        }
        if (note != null) {
            payload.put("note", note);
        }
        payload.put(eventType.equals("work.completed") ? "completed_at" : "ended_at", WireTime.format(at));
        if (result != null && !result.isNull()) {
            payload.set("result", result);
        }
        if (item != null) {
            payload.put("status", item.status().wire());
            payload.put("attempts", item.failures());
            if (item.readyAt() != null) {
                payload.put("retry_at", WireTime.format(item.readyAt()));
            }
        }
        announce(eventType, claim.claimedBy(), payload);
    }

    void enqueued(WorkItem item) {
        announce("work.enqueued", item.enqueuedBy(), WorkViews.item(item, null));
    }

    /** A queue item moved to the dead-letter state; the payload carries its whole attempt history. */
    void dead(WorkItem item, String cause) {
        ObjectNode payload = WorkViews.item(item, null);
        payload.put("cause", cause);
        String session = item.attempts().isEmpty() ? item.enqueuedBy() : item.attempts().getLast().sessionId();
        announce("work.dead", session, payload);
    }

    static ObjectNode claimPayload(Claim claim) {
        ObjectNode payload = WireJson.mapper().createObjectNode();
        payload.put("work_id", claim.workId());
        if (claim.description() != null) {
            payload.put("work_description", claim.description());
        }
        payload.put("claimed_by", claim.claimedBy());
        payload.put("claimed_at", WireTime.format(claim.claimedAt()));
        payload.put("fencing_token", claim.fencingToken());
        if (claim.expiresAt() != null) {
            payload.put("lease_expires_at", WireTime.format(claim.expiresAt()));
        }
        if (!claim.resources().isEmpty()) {
            ArrayNode resources = payload.putArray("resources");
            claim.resources().stream().map(ResourceGlob::text).forEach(resources::add);
            payload.put("mode", claim.mode().wire());
        }
        return payload;
    }

    static ObjectNode attempt(WorkAttempt attempt) {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("session_id", attempt.sessionId());
        node.put("fencing_token", attempt.fencingToken());
        node.put("started_at", WireTime.format(attempt.startedAt()));
        node.put("ended_at", WireTime.format(attempt.endedAt()));
        node.put("outcome", attempt.outcome());
        if (attempt.reason() != null) {
            node.put("reason", attempt.reason());
        }
        return node;
    }

    private void announce(String eventType, String sessionId, ObjectNode payload) {
        announcer.accept(PublishRequest.of(eventType, sessionId, payload));
    }
}
