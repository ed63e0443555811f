package dev.nexus.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.inbox.InboxMessage;
import dev.nexus.protocol.AckRequest;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.WireJson;
import dev.nexus.server.auth.Caller;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.List;

/** {@code GET /sessions/{id}/inbox?unread=&limit=} and {@code POST /sessions/{id}/inbox/ack}. */
public final class InboxRoutes {
    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private final Node node;
    private final HttpReplies replies;

    public InboxRoutes(Node node, HttpReplies replies) {
        this.node = node;
        this.replies = replies;
    }

    public void register(Router router, BodyHandler bodies) {
        router.get("/sessions/:sessionId/inbox").handler(this::list);
        router.post("/sessions/:sessionId/inbox/ack").handler(bodies).handler(this::ack);
    }

    /**
     * The session whose inbox the request reads or acknowledges: the one place to check that the caller may act
     * as it.
     *
     * @throws dev.nexus.protocol.NexusException {@code invalid_session_id}
     */
    static String actingSession(RoutingContext ctx) {
        String sessionId = ctx.pathParam("sessionId");
        SessionId.requireValid(sessionId, "session id");
        return Caller.requireActingAs(ctx, sessionId); // only the recipient reads and acknowledges its inbox
    }

    private void list(RoutingContext ctx) {
        String sessionId = actingSession(ctx);
        boolean unreadOnly = Boolean.TRUE.equals(RequestReader.booleanParam(ctx, "unread"));
        int limit = RequestReader.intParam(ctx, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT);
        List<InboxMessage> messages = node.inboxes().list(sessionId, unreadOnly, limit);
        replies.ok(ctx, InboxViews.inbox(sessionId, node.inboxes().unread(sessionId), messages));
    }

    private void ack(RoutingContext ctx) {
        String sessionId = actingSession(ctx);
        AckRequest request = AckRequest.read(RequestReader.object(ctx));
        List<InboxMessage> read = node.acknowledge(sessionId, request);
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("session_id", sessionId);
        replies.ok(ctx, InboxViews.acknowledged(reply, read, node.inboxes().unread(sessionId)));
    }
}
