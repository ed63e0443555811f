package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Presence: who is online, what each session can do and is doing, and how sessions go offline. */
class PresenceTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void connectAndDisconnectAreAnnouncedToSessionSubscribers() {
        try (WsClient watcher = nexus.connect("watcher")) {
            watcher.subscribe("session.*");

            WsClient visitor = nexus.connect("visitor");
            JsonNode connected = watcher.awaitEvent("session.connected");
            assertThat(connected.path("session_id").asText()).isEqualTo("visitor");
            assertThat(connected.path("payload").path("session_id").asText()).isEqualTo("visitor");
            assertThat(connected.path("seq").asLong()).isPositive();

            visitor.close();
            JsonNode disconnected = watcher.awaitEvent("session.disconnected");
            assertThat(disconnected.path("session_id").asText()).isEqualTo("visitor");
            assertThat(disconnected.path("seq").asLong()).isGreaterThan(connected.path("seq").asLong());
        }
    }

    @Test
    void capabilityBroadcastAndStatusUpdateShowInTheSessionRecord() {
        try (WsClient ws = nexus.connect("session-3")) {
            JsonNode fresh = session("session-3");
            assertThat(fresh.path("online").asBoolean()).isTrue();
            assertThat(fresh.path("status").asText()).isEqualTo("active");
            assertThat(fresh.path("availability").asText()).isEqualTo("idle");
            assertThat(fresh.path("connected_at").asText()).isNotBlank();

            assertThat(ws.publish("capability.broadcast",
                    "{\"capabilities\":[\"python\",\"fastapi\"],\"role\":\"Infrastructure Engineer\"}")
                    .path("type").asText()).isEqualTo("ack");
            JsonNode capable = session("session-3");
            assertThat(texts(capable.path("capabilities"))).containsExactly("python", "fastapi");
            assertThat(capable.path("role").asText()).isEqualTo("Infrastructure Engineer");

            assertThat(ws.publish("status.update", "{\"status\":\"working\",\"task\":\"Deploy dashboard\"}")
                    .path("type").asText()).isEqualTo("ack");
            JsonNode working = session("session-3");
            assertThat(working.path("status").asText()).isEqualTo("working");
            assertThat(working.path("current_work").asText()).isEqualTo("Deploy dashboard");
            assertThat(working.path("availability").asText()).isEqualTo("busy");

            assertThat(nexus.http.post("/events", """
                    {"event_type":"status.update","session_id":"session-3",
                     "payload":{"status":"reviewing","current_work":"Review PR 12"}}""").status()).isEqualTo(200);
            JsonNode reviewing = session("session-3");
            assertThat(reviewing.path("status").asText()).isEqualTo("reviewing");
            assertThat(reviewing.path("current_work").asText()).isEqualTo("Review PR 12");
        }
    }

    @Test
    void anInvalidPresencePayloadIsRefusedWhole() {
        try (WsClient ws = nexus.connect("sloppy")) {
            JsonNode refused = ws.publish("capability.broadcast", "{\"capabilities\":\"python\",\"role\":\"x\"}");
            assertThat(refused.path("error").asText()).isEqualTo("invalid_payload");
            JsonNode record = session("sloppy");
            assertThat(record.path("capabilities")).isEmpty();
            assertThat(record.path("role").isNull()).isTrue();
        }
    }

    @Test
    void activeSessionsListsTheConnectedOnesWithACount() {
        try (WsClient one = nexus.connect("alpha"); WsClient two = nexus.connect("beta")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> activeIds().size() == 2);

            JsonNode active = nexus.http.get("/sessions/active").json();
            assertThat(active.path("count").asInt()).isEqualTo(2);
            assertThat(activeIds()).containsExactlyInAnyOrder("alpha", "beta");
            for (JsonNode session : active.path("sessions")) {
                assertThat(session.path("online").asBoolean()).isTrue();
                assertThat(session.has("status")).isTrue();
                assertThat(session.has("connected_at")).isTrue();
                assertThat(session.has("current_work")).isTrue();
            }
        }
    }

    @Test
    void capabilitySearchWithAvailableTrueReturnsOnlyIdleCapableSessions() {
        try (WsClient idle = nexus.connect("idle-py");
                WsClient busy = nexus.connect("busy-py");
                WsClient other = nexus.connect("idle-go")) {
            idle.publish("capability.broadcast", "{\"capabilities\":[\"Python\",\"fastapi\"],\"role\":\"dev\"}");
            busy.publish("capability.broadcast", "{\"capabilities\":[\"python\"],\"role\":\"dev\"}");
            other.publish("capability.broadcast", "{\"capabilities\":[\"go\"],\"role\":\"dev\"}");
            busy.publish("status.update", "{\"status\":\"working\",\"task\":\"Refactor\"}");

            JsonNode available = nexus.http.get("/sessions/capabilities?skill=python&available=true").json();
            assertThat(matchIds(available)).containsExactly("idle-py");
            assertThat(available.path("matches").get(0).path("availability").asText()).isEqualTo("idle");
            assertThat(texts(available.path("matches").get(0).path("capabilities"))).contains("Python");

            JsonNode all = nexus.http.get("/sessions/capabilities?skill=python").json();
            assertThat(matchIds(all)).containsExactly("idle-py", "busy-py");

            JsonNode upper = nexus.http.get("/sessions/capabilities?skill=PYTHON&available=true").json();
            assertThat(matchIds(upper)).as("skills match case-insensitively").containsExactly("idle-py");

            JsonNode both = nexus.http.get("/sessions/capabilities?skill=python&skill=fastapi").json();
            assertThat(matchIds(both)).containsExactly("idle-py");

            assertThat(matchIds(nexus.http.get("/sessions/capabilities?skill=rust").json())).isEmpty();
        }
    }

    @Test
    void aSessionThatReportsIdleAgainIsAvailableAgain() {
        try (WsClient ws = nexus.connect("worker")) {
            ws.publish("capability.broadcast", "{\"capabilities\":[\"python\"]}");
            ws.publish("status.update", "{\"status\":\"working\",\"task\":\"Fix bug\"}");
            assertThat(matchIds(nexus.http.get("/sessions/capabilities?skill=python&available=true").json())).isEmpty();

            ws.publish("status.update", "{\"status\":\"idle\"}");

            JsonNode record = session("worker");
            assertThat(record.path("status").asText()).isEqualTo("idle");
            assertThat(record.path("current_work").isNull()).as("idle means no current work").isTrue();
            assertThat(matchIds(nexus.http.get("/sessions/capabilities?skill=python&available=true").json()))
                    .containsExactly("worker");
        }
    }

    @Test
    void anUnknownSessionIs404SessionNotFound() {
        Http.Response reply = nexus.http.get("/sessions/nobody-here");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.json().path("error").asText()).isEqualTo("session_not_found");
        assertThat(reply.json().path("message").asText()).contains("nobody-here");
    }

    @Test
    void afterDisconnectTheSessionIsOfflineAndNotActive() {
        WsClient ws = nexus.connect("leaver");
        ws.publish("capability.broadcast", "{\"capabilities\":[\"python\"]}");
        assertThat(activeIds()).contains("leaver");

        ws.close();

        await().atMost(Duration.ofSeconds(5)).until(() -> !session("leaver").path("online").asBoolean());
        JsonNode record = session("leaver");
        assertThat(record.path("availability").asText()).isEqualTo("offline");
        assertThat(record.path("disconnected_at").asText()).isNotBlank();
        assertThat(activeIds()).doesNotContain("leaver");
        assertThat(matchIds(nexus.http.get("/sessions/capabilities?skill=python").json())).isEmpty();
    }

    @Test
    void aSessionThatStopsAnsweringPingsIsMarkedOffline() throws IOException {
        try (TestServer fast = TestServer.start(b -> b.pingInterval(Duration.ofMillis(200))
                        .pingTimeout(Duration.ofMillis(700)));
                WsClient watcher = fast.connect("watcher")) {
            watcher.subscribe("session.*");
            // a live client answers pings (the JDK client does it by itself) and stays
            try (Socket silent = RawHttp.openWebSocket(fast.server.port(), "/ws/session/silent")) {
                JsonNode connected = watcher.awaitEvent("session.connected");
                assertThat(connected.path("session_id").asText()).isEqualTo("silent");
                assertThat(fast.http.get("/sessions/silent").json().path("online").asBoolean()).isTrue();

                await().atMost(Duration.ofSeconds(5))
                        .until(() -> !fast.http.get("/sessions/silent").json().path("online").asBoolean());
                JsonNode disconnected = watcher.awaitEvent("session.disconnected");
                assertThat(disconnected.path("session_id").asText()).isEqualTo("silent");
                assertThat(ids(fast.http.get("/sessions/active").json().path("sessions"))).containsExactly("watcher");
            }
            // the watcher, which answered every ping, is still online well past the timeout
            assertThat(watcher.ping("alive").path("type").asText()).isEqualTo("pong");
            await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                    .until(() -> fast.http.get("/sessions/watcher").json().path("online").asBoolean());
            assertThat(watcher.ping("still-alive").path("type").asText()).isEqualTo("pong");
        }
    }

    private JsonNode session(String id) {
        Http.Response reply = nexus.http.get("/sessions/" + id);
        assertThat(reply.status()).as("GET /sessions/" + id).isEqualTo(200);
        return reply.json();
    }

    private List<String> activeIds() {
        return ids(nexus.http.get("/sessions/active").json().path("sessions"));
    }

    private static List<String> matchIds(JsonNode reply) {
        return ids(reply.path("matches"));
    }

    private static List<String> ids(JsonNode sessions) {
        List<String> ids = new ArrayList<>();
        sessions.forEach(s -> ids.add(s.path("session_id").asText()));
        return ids;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
