package dev.nexus.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.work.RecentExpiries;
import dev.nexus.core.work.WorkViews;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import dev.nexus.protocol.WorkId;
import dev.nexus.server.work.WorkDispatcher;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Operator endpoints, each behind the {@link AdminCredential}: {@code POST /admin/work/force-release},
 * {@code POST /admin/work/reassign}, {@code GET /admin/work/expired} and {@code GET /admin/work/stale}. Every
 * change they make is a {@code work.*} event like any other, so history keeps the audit trail.
 */
public final class AdminRoutes {
    private static final int MAX_NOTE_LENGTH = 1024;

    private final Node node;
    private final WorkDispatcher dispatcher;
    private final AdminCredential credential;
    private final HttpReplies replies;

    public AdminRoutes(Node node, WorkDispatcher dispatcher, AdminCredential credential, HttpReplies replies) {
        this.node = node;
        this.dispatcher = dispatcher;
        this.credential = credential;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.route("/admin/*").handler(ctx -> {
            credential.require(ctx.request());
            ctx.next();
        });
        router.post("/admin/work/force-release").handler(bodies).handler(this::forceRelease);
        router.post("/admin/work/reassign").handler(bodies).handler(this::reassign);
        router.get("/admin/work/expired").handler(this::expired);
        router.get("/admin/work/stale").handler(this::stale);
    }

    private void forceRelease(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        String workId = WorkId.read(body);
        String note = note(body);
        answer(ctx, () -> {
            Claim claim = node.work().forceRelease(workId, note);
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("status", "released");
            reply.put("work_id", claim.workId());
            reply.put("released_from", claim.claimedBy());
            reply.put("fencing_token", claim.fencingToken());
            return reply;
        });
    }

    private void reassign(RoutingContext ctx) {
        ObjectNode body = RequestReader.object(ctx);
        String workId = WorkId.read(body);
        String sessionId = WorkRoutes.sessionId(body);
        String note = note(body);
        answer(ctx, () -> {
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("status", "claimed");
            reply.setAll(WorkViews.claim(node.work().reassign(workId, sessionId, note)));
            return reply;
        });
    }

    private void expired(RoutingContext ctx) {
        answer(ctx, () -> {
            List<RecentExpiries.Expiry> expiries = node.work().recentExpiries();
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("count", expiries.size());
            ArrayNode list = reply.putArray("expired");
            for (RecentExpiries.Expiry expiry : expiries) {
                ObjectNode entry = WorkViews.claim(expiry.claim());
                entry.put("freed_at", WireTime.format(expiry.freedAt()));
                node.work().item(expiry.claim().workId()).ifPresent(item -> entry.put("item_status", item.status().wire()));
                list.add(entry);
            }
            return reply;
        });
    }

    private void stale(RoutingContext ctx) {
        answer(ctx, () -> {
            Instant now = node.options().clock().instant();
            List<Claim> claims = node.work().stale();
            ObjectNode reply = WireJson.mapper().createObjectNode();
            reply.put("count", claims.size());
            ArrayNode list = reply.putArray("stale");
            for (Claim claim : claims) {
                ObjectNode entry = WorkViews.claim(claim);
                entry.put("held_for_s", Duration.between(claim.claimedAt(), now).toSeconds());
                Instant releaseAt = node.work().releaseDeadline(claim.claimedBy());
                if (releaseAt != null) {
                    entry.put("release_at", WireTime.format(releaseAt));
                }
                list.add(entry);
            }
            return reply;
        });
    }

    private void answer(RoutingContext ctx, Supplier<ObjectNode> call) {
        dispatcher.submit(call).whenComplete((reply, failure) -> {
            if (failure != null) {
                replies.failure(ctx, failure);
            } else {
                replies.ok(ctx, reply);
            }
        });
    }

    private static String note(ObjectNode body) {
        JsonNode node = body.get("note");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > MAX_NOTE_LENGTH) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "note must be a string of at most " + MAX_NOTE_LENGTH
                    + " characters", Map.of("field", "note"));
        }
        return node.textValue();
    }
}
