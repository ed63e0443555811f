package dev.nexus.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkStatus;
import dev.nexus.core.work.Reservation;
import dev.nexus.core.work.WorkViews;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ResourceGlob;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WorkCommandReader;
import dev.nexus.server.auth.Caller;
import dev.nexus.server.work.WorkDispatcher;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code /work} endpoints: {@code POST /work/<action>} for every {@link WorkCommandReader#ACTIONS work
 * action} but enqueue, which is {@code POST /work}; {@code GET /work?status=}, {@code GET /work/claimed} and
 * {@code GET /work/reservations?path=}. The acting session is the body's {@code session_id}, which must be the
 * caller's.
 */
public final class WorkRoutes {
    static final int DEFAULT_LIST_LIMIT = 100;
    static final int MAX_LIST_LIMIT = 1000;

    private final Node node;
    private final WorkDispatcher dispatcher;
    private final HttpReplies replies;

    public WorkRoutes(Node node, WorkDispatcher dispatcher, HttpReplies replies) {
        this.node = node;
        this.dispatcher = dispatcher;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        for (String action : WorkCommandReader.ACTIONS) {
            if (!action.equals("enqueue")) {
                router.post("/work/" + action).handler(bodies).handler(ctx -> command(ctx, action));
            }
        }
        router.post("/work").handler(bodies).handler(ctx -> command(ctx, "enqueue"));
        router.get("/work").handler(this::items);
        router.get("/work/claimed").handler(this::claimed);
        router.get("/work/reservations").handler(this::reservations);
    }

    private void command(RoutingContext ctx, String action) {
        ObjectNode body = RequestReader.object(ctx);
        String sessionId = Caller.requireActingAs(ctx, sessionId(body));
        dispatcher.run(sessionId, WorkCommandReader.read(action, body)).whenComplete((reply, failure) -> {
            if (failure != null) {
                replies.failure(ctx, failure);
            } else if (reply.isEmpty()) {
                ctx.response().setStatusCode(204).end();
            } else {
                replies.ok(ctx, reply.get());
            }
        });
    }

    private void items(RoutingContext ctx) {
        String statusText = RequestReader.param(ctx, "status");
        WorkStatus status;
        try {
            status = statusText == null ? null : WorkStatus.parse(statusText);
        } catch (IllegalArgumentException e) {
            throw RequestReader.invalid("status", e.getMessage());
        }
        int limit = RequestReader.intParam(ctx, "limit", DEFAULT_LIST_LIMIT, 1, MAX_LIST_LIMIT);
        // the cursor is an item's place in enqueue order, which no change of status moves
        long after = RequestReader.param(ctx, "after") == null ? 0
                : RequestReader.longParam(ctx, "after", 0, Long.MAX_VALUE);
        List<WorkItem> items = node.work().items(status);
        List<WorkItem> rest = after == 0 ? items : items.stream().filter(item -> item.sequence() > after).toList();
        List<WorkItem> page = rest.subList(0, Math.min(limit, rest.size()));
        ObjectNode reply = WireJson.mapper().createObjectNode();
        if (status != null) {
            reply.put("status", status.wire());
        }
        reply.put("count", items.size());
        reply.put("has_more", rest.size() > limit);
        if (rest.size() > limit) {
            reply.put("next_after", page.getLast().sequence());
        }
        ArrayNode list = reply.putArray("items");
        dispatcher.submit(() -> {
            for (WorkItem item : page) {
                Optional<Claim> claim = item.status() == WorkStatus.CLAIMED ? node.work().claimOf(item.workId())
                        : Optional.empty();
                list.add(WorkViews.item(item, claim.orElse(null)));
            }
            return reply;
        }).whenComplete((done, failure) -> answer(ctx, done, failure));
    }

    private void claimed(RoutingContext ctx) {
        dispatcher.submit(() -> {
            List<Claim> claims = node.work().claimed();
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("count", claims.size());
            ArrayNode list = reply.putArray("claims");
            claims.forEach(claim -> list.add(WorkViews.claim(claim)));
            return reply;
        }).whenComplete((done, failure) -> answer(ctx, done, failure));
    }

    private void reservations(RoutingContext ctx) {
        String pathText = RequestReader.param(ctx, "path");
        ResourceGlob path;
        try {
            path = pathText == null ? null : ResourceGlob.parse(pathText);
        } catch (NexusException e) {
            throw RequestReader.invalid("path", "path: " + e.getMessage());
        }
        dispatcher.submit(() -> {
            List<Reservation> found = node.work().reservations(path);
            ObjectNode reply = WireJson.mapper().createObjectNode();
            if (pathText != null) {
                reply.put("path", pathText);
            }
            reply.put("count", found.size());
            ArrayNode list = reply.putArray("reservations");
            for (Reservation reservation : found) {
                ObjectNode entry = list.addObject();
                entry.put("resource", reservation.resource().text());
                entry.put("mode", reservation.claim().mode().wire());
                entry.put("work_id", reservation.claim().workId());
                entry.put("claimed_by", reservation.claim().claimedBy());
                entry.put("fencing_token", reservation.claim().fencingToken());
                entry.set("lease_expires_at", WorkViews.claim(reservation.claim()).get("lease_expires_at"));
            }
            return reply;
        }).whenComplete((done, failure) -> answer(ctx, done, failure));
    }

    private void answer(RoutingContext ctx, ObjectNode reply, Throwable failure) {
        if (failure != null) {
            replies.failure(ctx, failure);
        } else {
            replies.ok(ctx, reply);
        }
    }

    static String sessionId(ObjectNode body) {
        JsonNode node = body.get("session_id");
        if (node == null || node.isNull()) {
            throw new NexusException(ErrorCode.MISSING_FIELD, "session_id is required", Map.of("field", "session_id"));
        }
        if (!node.isTextual()) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "session_id must be a string", Map.of("field", "session_id"));
        }
        return SessionId.requireValid(node.asText(), "session_id");
    }
}
