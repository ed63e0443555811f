package dev.nexus.server.ssot;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.WireJson;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SsotDocumentsTest {
    private static final Instant T0 = Instant.parse("2025-11-17T07:00:00Z");
    private static final SessionRecord ALPHA = new SessionRecord("alpha", "Infrastructure Builder", "working",
            "Fix Registry", List.of("java", "python"), T0, T0.plusSeconds(5), true, null);
    private static final SessionRecord BETA = new SessionRecord("beta", null, "active", null, List.of(),
            T0, T0, false, T0.plusSeconds(60));
    private static final SsotSnapshot SNAPSHOT = new SsotSnapshot(T0.plusSeconds(90), new LogPosition(42, "e1"),
            List.of(ALPHA, BETA), List.of(
                    new Claim("w-1", "alpha", T0.plusSeconds(10), "Fix Registry", 7, T0.plusSeconds(3600)),
                    new Claim("w-2", "alpha", T0.plusSeconds(20), null, 9, null)));

    private final SsotDocuments documents = new SsotDocuments();

    @Test
    void ssotJsonLayout() {
        assertThat(reparsed(documents.ssot(SNAPSHOT))).isEqualTo(json("""
                {"service": "nexus-event-bus", "updated_at": "2025-11-17T07:01:30.000Z", "seq": 42, "epoch": "e1",
                 "sessions": {
                   "alpha": {"role": "Infrastructure Builder", "status": "working", "current_work": "Fix Registry",
                             "capabilities": ["java", "python"], "availability": "busy", "online": true,
                             "connected_at": "2025-11-17T07:00:00.000Z", "last_event": "2025-11-17T07:00:05.000Z",
                             "disconnected_at": null, "claimed_work": ["w-1", "w-2"]},
                   "beta": {"role": null, "status": "active", "current_work": null, "capabilities": [],
                            "availability": "offline", "online": false, "connected_at": "2025-11-17T07:00:00.000Z",
                            "last_event": "2025-11-17T07:00:00.000Z", "disconnected_at": "2025-11-17T07:01:00.000Z",
                            "claimed_work": []}},
                 "claimed_work": [
                   {"work_id": "w-1", "claimed_by": "alpha", "claimed_at": "2025-11-17T07:00:10.000Z",
                    "work_description": "Fix Registry", "fencing_token": 7, "expires_at": "2025-11-17T08:00:00.000Z"},
                   {"work_id": "w-2", "claimed_by": "alpha", "claimed_at": "2025-11-17T07:00:20.000Z",
                    "work_description": null, "fencing_token": 9, "expires_at": null}],
                 "summary": {"total_sessions": 2, "online_sessions": 1, "idle_sessions": 0, "busy_sessions": 1,
                             "claimed_work": 2}}
                """));
    }

    @Test
    void claudeSessionsJsonListsEverySessionWithItsId() {
        ObjectNode document = documents.claudeSessions(SNAPSHOT);

        assertThat(document.path("updated_at").asText()).isEqualTo("2025-11-17T07:01:30.000Z");
        assertThat(document.path("sessions").findValuesAsText("session_id")).containsExactly("alpha", "beta");
        ObjectNode alpha = (ObjectNode) document.path("sessions").get(0).deepCopy();
        alpha.remove("session_id");
        assertThat((JsonNode) alpha).isEqualTo(documents.ssot(SNAPSHOT).path("sessions").path("alpha"));
    }

    @Test
    void heartbeatLayout() {
        ObjectNode body = documents.heartbeatBody(ALPHA, List.of("w-1"));

        assertThat(reparsed(documents.heartbeat(body, T0.plusSeconds(300)))).isEqualTo(json("""
                {"session_id": "alpha", "status": "working", "current_work": "Fix Registry", "claimed_work": ["w-1"],
                 "availability": "busy", "online": true, "last_event": "2025-11-17T07:00:05.000Z",
                 "timestamp": "2025-11-17T07:05:00.000Z"}
                """));
        assertThat(body.has("timestamp")).as("the body is left without a timestamp").isFalse();
    }

    /** As a reader of the file sees it (numbers typed by their size, as the parser does). */
    private static JsonNode reparsed(JsonNode document) {
        return json(document.toString());
    }

    private static JsonNode json(String text) {
        try {
            return WireJson.mapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
