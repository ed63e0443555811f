package dev.nexus.server.ssot;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.presence.Availability;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * Renders a {@link SsotSnapshot} as the JSON documents of the SSOT directory; the layouts are described on
 * {@link SsotSync}. Absent values are written as explicit JSON {@code null}, so readers find every field.
 * Pure: no I/O, no clock, thread-safe.
 */
final class SsotDocuments {
    static final String SERVICE = "nexus-event-bus";

    /** {@code SSOT.json}. */
    ObjectNode ssot(SsotSnapshot snapshot) {
        Map<String, List<String>> claimed = snapshot.claimedWorkBySession();
        ObjectNode root = WireJson.mapper().createObjectNode();
        root.put("service", SERVICE);
        root.put("updated_at", WireTime.format(snapshot.takenAt()));
        root.put("seq", snapshot.position().seq());
        root.put("epoch", snapshot.position().epoch());
        ObjectNode sessions = root.putObject("sessions");
        for (SessionRecord record : snapshot.sessions()) {
            ObjectNode session = sessions.putObject(record.sessionId());
            describe(session, record, claimed.getOrDefault(record.sessionId(), List.of()));
        }
        ArrayNode claims = root.putArray("claimed_work");
        for (Claim claim : snapshot.claims()) {
            ObjectNode item = claims.addObject();
            item.put("work_id", claim.workId());
            item.put("claimed_by", claim.claimedBy());
            item.put("claimed_at", WireTime.format(claim.claimedAt()));
            item.put("work_description", claim.description());
            item.put("fencing_token", claim.fencingToken());
            putTime(item, "expires_at", claim.expiresAt());
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("total_sessions", snapshot.sessions().size());
        summary.put("online_sessions", count(snapshot, Availability.IDLE) + count(snapshot, Availability.BUSY));
        summary.put("idle_sessions", count(snapshot, Availability.IDLE));
        summary.put("busy_sessions", count(snapshot, Availability.BUSY));
        summary.put("claimed_work", snapshot.claims().size());
        return root;
    }

    /** {@code claude_sessions.json}. */
    ObjectNode claudeSessions(SsotSnapshot snapshot) {
        Map<String, List<String>> claimed = snapshot.claimedWorkBySession();
        ObjectNode root = WireJson.mapper().createObjectNode();
        root.put("updated_at", WireTime.format(snapshot.takenAt()));
        ArrayNode sessions = root.putArray("sessions");
        for (SessionRecord record : snapshot.sessions()) {
            ObjectNode session = sessions.addObject();
            session.put("session_id", record.sessionId());
            describe(session, record, claimed.getOrDefault(record.sessionId(), List.of()));
        }
        return root;
    }

    /**
     * {@code heartbeats/<session_id>.json} without its {@code timestamp}, so that two syncs can tell whether
     * anything but the time changed.
     */
    ObjectNode heartbeatBody(SessionRecord record, List<String> claimedWork) {
        ObjectNode heartbeat = WireJson.mapper().createObjectNode();
        heartbeat.put("session_id", record.sessionId());
        heartbeat.put("status", record.status());
        heartbeat.put("current_work", record.currentWork());
        heartbeat.set("claimed_work", strings(claimedWork));
        heartbeat.put("availability", Availability.of(record).wire());
        heartbeat.put("online", record.online());
        putTime(heartbeat, "last_event", record.lastEvent());
        return heartbeat;
    }

    /** A heartbeat body completed with its {@code timestamp}; the body is left as it was. */
    ObjectNode heartbeat(ObjectNode body, Instant at) {
        ObjectNode heartbeat = body.deepCopy();
        heartbeat.put("timestamp", WireTime.format(at));
        return heartbeat;
    }

    private static void describe(ObjectNode session, SessionRecord record, List<String> claimedWork) {
        session.put("role", record.role());
        session.put("status", record.status());
        session.put("current_work", record.currentWork());
        session.set("capabilities", strings(record.capabilities()));
        session.put("availability", Availability.of(record).wire());
        session.put("online", record.online());
        putTime(session, "connected_at", record.connectedAt());
        putTime(session, "last_event", record.lastEvent());
        putTime(session, "disconnected_at", record.disconnectedAt());
        session.set("claimed_work", strings(claimedWork));
    }

    private static ArrayNode strings(List<String> values) {
        ArrayNode array = WireJson.mapper().createArrayNode();
        values.forEach(array::add);
        return array;
    }

    private static void putTime(ObjectNode node, String field, Instant at) {
        if (at == null) {
            node.putNull(field);
        } else {
            node.put(field, WireTime.format(at));
        }
    }

    private static int count(SsotSnapshot snapshot, Availability availability) {
        return (int) snapshot.sessions().stream().filter(r -> Availability.of(r) == availability).count();
    }
}
