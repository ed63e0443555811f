package dev.nexus.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.Claim;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import dev.nexus.protocol.WorkId;
import dev.nexus.server.auth.Caller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /work/claim}, {@code /work/release}, {@code /work/complete} (each acting as the body's
 * {@code session_id}, which must be the caller's) and {@code GET /work/claimed}.
 */
public final class WorkRoutes {
    private final Node node;
    private final HttpReplies replies;

    public WorkRoutes(Node node, HttpReplies replies) {
        this.node = node;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.post("/work/claim").handler(bodies).handler(this::claim);
        router.post("/work/release").handler(bodies).handler(this::release);
        router.post("/work/complete").handler(bodies).handler(this::complete);
        router.get("/work/claimed").handler(this::claimed);
    }

    private void claim(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        String sessionId = sessionId(ctx, body);
        String workId = WorkId.read(body);
        Duration ttl = body.hasNonNull("ttl_seconds") ? Duration.ofSeconds(longField(body, "ttl_seconds")) : null;
        Claim claim = node.work().claim(sessionId, workId, WorkId.readDescription(body), ttl);
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", "claimed");
        reply.setAll(SessionViews.claim(claim));
        replies.ok(ctx, reply);
    }

    private void release(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        Claim claim = node.work().release(sessionId(ctx, body), WorkId.read(body), fencingToken(body));
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", "released");
        reply.put("work_id", claim.workId());
        reply.put("released_by", claim.claimedBy());
        replies.ok(ctx, reply);
    }

    private void complete(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        Claim claim = node.work().complete(sessionId(ctx, body), WorkId.read(body), fencingToken(body), body.get("result"));
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("status", "completed");
        reply.put("work_id", claim.workId());
        reply.put("completed_by", claim.claimedBy());
        reply.put("completed_at", WireTime.format(node.options().clock().instant()));
        replies.ok(ctx, reply);
    }

    private void claimed(RoutingContext ctx) {
        List<Claim> claims = node.work().claimed();
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("count", claims.size());
        ArrayNode list = reply.putArray("claims");
        claims.forEach(claim -> list.add(SessionViews.claim(claim)));
        replies.ok(ctx, reply);
    }

    /** The body's {@code session_id}, which must be the caller's. */
    private static String sessionId(RoutingContext ctx, ObjectNode body) {
        JsonNode node = body.get("session_id");
        if (node == null || node.isNull()) {
            throw new NexusException(ErrorCode.MISSING_FIELD, "session_id is required", Map.of("field", "session_id"));
        }
        if (!node.isTextual()) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "session_id must be a string", Map.of("field", "session_id"));
        }
        return Caller.requireActingAs(ctx, SessionId.requireValid(node.asText(), "session_id"));
    }

    private static Long fencingToken(ObjectNode body) {
        return body.hasNonNull("fencing_token") ? longField(body, "fencing_token") : null;
    }

    private static long longField(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw new NexusException(ErrorCode.INVALID_FIELD, field + " must be a positive integer",
                    Map.of("field", field));
        }
        return node.longValue();
    }
}
