package dev.nexus.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.presence.Availability;
import dev.nexus.core.presence.CapabilityRanking;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.core.work.WorkViews;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of sessions and claims in HTTP responses. */
public final class SessionViews {
    private SessionViews() {
    }

    /** A session as {@code GET /sessions/{id}} and {@code /sessions/active} show it. */
    public static ObjectNode session(SessionRecord record, List<Claim> claims) {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("session_id", record.sessionId());
        node.put("role", record.role());
        node.put("status", record.status());
        node.put("current_work", record.currentWork());
        ArrayNode capabilities = node.putArray("capabilities");
        record.capabilities().forEach(capabilities::add);
        node.put("online", record.online());
        node.put("availability", Availability.of(record).wire());
        node.put("connected_at", time(record.connectedAt()));
        node.put("last_event", time(record.lastEvent()));
        if (record.disconnectedAt() != null) {
            node.put("disconnected_at", time(record.disconnectedAt()));
        }
        ArrayNode claimed = node.putArray("claimed_work");
        claims.forEach(c -> claimed.add(c.workId()));
        return node;
    }

    /** A session as a capability match, with its {@code load} (claims held, plus one for current work). */
    public static ObjectNode match(CapabilityRanking.Match match) {
        SessionRecord record = match.record();
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("session_id", record.sessionId());
        node.put("role", record.role());
        ArrayNode capabilities = node.putArray("capabilities");
        record.capabilities().forEach(capabilities::add);
        node.put("availability", Availability.of(record).wire());
        node.put("status", record.status());
        node.put("current_work", record.currentWork());
        node.put("load", match.load());
        return node;
    }

    /** A claim; see {@link WorkViews#claim}. */
    public static ObjectNode claim(Claim claim) {
        return WorkViews.claim(claim);
    }

    private static String time(Instant instant) {
        return instant == null ? null : WireTime.format(instant);
    }
}
