package dev.nexus.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.Node;
import dev.nexus.core.presence.CapabilityRanking;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.WireJson;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code GET /sessions/active}, {@code /sessions/capabilities?skill=&available=}, {@code /sessions/{id}}. */
public final class SessionRoutes {
    private final Node node;
    private final HttpReplies replies;

    public SessionRoutes(Node node, HttpReplies replies) {
        this.node = node;
        this.replies = replies;
    }

    public void register(Router router) {
        router.get("/sessions/active").handler(this::active);
        router.get("/sessions/capabilities").handler(this::capable);
        router.get("/sessions/:sessionId").handler(this::one);
    }

    private void active(RoutingContext ctx) {
        List<SessionRecord> online = node.presence().online();
        ObjectNode reply = WireJson.mapper().createObjectNode();
        reply.put("count", online.size());
        ArrayNode sessions = reply.putArray("sessions");
        for (SessionRecord record : online) {
            sessions.add(SessionViews.session(record, node.work().heldBy(record.sessionId())));
        }
        replies.ok(ctx, reply);
    }

    private void capable(RoutingContext ctx) {
        List<String> skills = new ArrayList<>();
        for (String value : ctx.queryParam("skill")) {
            Arrays.stream(value.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(skills::add);
        }
        Boolean available = RequestReader.booleanParam(ctx, "available");
        List<CapabilityRanking.Match> matches = node.rankCapable(skills, Boolean.TRUE.equals(available), Set.of());
        ObjectNode reply = WireJson.mapper().createObjectNode();
        ArrayNode skillList = reply.putArray("skills");
        skills.forEach(skillList::add);
        reply.put("count", matches.size());
        ArrayNode list = reply.putArray("matches");
        matches.forEach(match -> list.add(SessionViews.match(match)));
        replies.ok(ctx, reply);
    }

    private void one(RoutingContext ctx) {
        String sessionId = ctx.pathParam("sessionId");
        SessionId.requireValid(sessionId, "session id");
        SessionRecord record = node.presence().get(sessionId).orElseThrow(() -> new NexusException(
                ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "' is known", Map.of("session_id", sessionId)));
        replies.ok(ctx, SessionViews.session(record, node.work().heldBy(sessionId)));
    }
}
