package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** help.needed with capabilities_needed is routed as help.request to the best sessions, and only to them. */
class CapabilityRoutingTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    private WsClient agent(String id, String status, String... capabilities) {
        WsClient client = nexus.connect(id);
        String caps = String.join("\",\"", capabilities);
        client.publish("capability.broadcast", "{\"capabilities\":[\"" + caps + "\"]}");
        client.publish("status.update", "{\"status\":\"" + status + "\"}");
        return client;
    }

    private static List<String> routedTo(JsonNode reply) {
        List<String> sessions = new ArrayList<>();
        reply.path("routed_to").forEach(s -> sessions.add(s.asText()));
        return sessions;
    }

    /** Whether a help.request reached the client before the marker event. */
    private boolean gotHelpRequest(WsClient client) {
        return WebSocketProtocolTest.eventTypes(client.takeUntilEvent("marker")).contains("help.request");
    }

    @Test
    void routesToTheBestSessionsAndNoOthersWithTheSameAnswerOverHttpAndWebSocket() {
        nexus.http.post("/work/claim", "{\"session_id\":\"idle-loaded\",\"work_id\":\"w1\"}");
        nexus.http.post("/work/claim", "{\"session_id\":\"idle-loaded\",\"work_id\":\"w2\"}");
        try (WsClient asker = agent("asker", "idle", "python", "review");
                WsClient idleFree = agent("idle-free", "idle", "python", "review", "go");
                WsClient idleLoaded = agent("idle-loaded", "idle", "Python", "REVIEW");
                WsClient busy = agent("busy", "working", "python", "review");
                WsClient lacking = agent("lacking", "idle", "python");
                WsClient watcher = nexus.connect("watcher")) {
            for (WsClient c : List.of(asker, idleFree, idleLoaded, busy, lacking)) {
                c.subscribe("marker");
            }
            watcher.subscribe("help.*", "marker");

            JsonNode capable = nexus.http.get("/sessions/capabilities?skill=python,review").json();
            assertThat(capable.path("matches").findValues("session_id")).extracting(JsonNode::asText)
                    .as("the same ranking as routing").containsExactly("asker", "idle-free", "idle-loaded", "busy");

            asker.send("{\"action\":\"publish\",\"id\":\"h\",\"event_type\":\"help.needed\",\"payload\":"
                    + "{\"task\":\"review PR\",\"capabilities_needed\":[\"python\",\"review\"],\"route_count\":2}}");
            JsonNode wsAck = asker.awaitReply("h");
            assertThat(routedTo(wsAck)).as("idle before busy, least loaded first, asker excluded, count honoured")
                    .containsExactly("idle-free", "idle-loaded");

            JsonNode request = idleFree.awaitEvent("help.request");
            assertThat(request.path("session_id").asText()).isEqualTo("asker");
            assertThat(request.path("target_session_id").asText()).isEqualTo("idle-free");
            assertThat(request.path("causation_id").asText()).isEqualTo(wsAck.path("event_id").asText());
            assertThat(request.path("payload").path("task").asText()).isEqualTo("review PR");
            assertThat(request.path("payload").path("help_event_id").asText()).isEqualTo(wsAck.path("event_id").asText());
            assertThat(idleLoaded.awaitEvent("help.request").path("target_session_id").asText()).isEqualTo("idle-loaded");

            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(gotHelpRequest(busy)).as("busy ranks after idle").isFalse();
            assertThat(gotHelpRequest(lacking)).as("missing a capability").isFalse();
            assertThat(gotHelpRequest(asker)).as("the publisher").isFalse();
            List<String> watched = WebSocketProtocolTest.eventTypes(watcher.takeUntilEvent("marker"));
            assertThat(watched).as("help.* subscribers get help.needed as before, not the direct requests")
                    .containsExactly("help.needed", "marker");

            Http.Response http = nexus.http.post("/events", "{\"event_type\":\"help.needed\",\"session_id\":\"asker\","
                    + "\"payload\":{\"capabilities_needed\":[\"python\",\"review\"],\"route_count\":3}}");
            assertThat(http.status()).isEqualTo(200);
            assertThat(routedTo(http.json())).containsExactly("idle-free", "idle-loaded", "busy");
        }
    }

    @Test
    void theServerDefaultCountAppliesAndNoMatchRoutesToNobody() {
        try (WsClient a = agent("a", "idle", "rust"); WsClient b = agent("b", "idle", "rust")) {
            JsonNode one = nexus.http.post("/events", "{\"event_type\":\"help.needed\",\"session_id\":\"x\","
                    + "\"payload\":{\"capabilities_needed\":[\"rust\"]}}").json();
            assertThat(routedTo(one)).as("default --route-count 1").hasSize(1).isSubsetOf("a", "b");

            JsonNode none = nexus.http.post("/events", "{\"event_type\":\"help.needed\",\"session_id\":\"x\","
                    + "\"payload\":{\"capabilities_needed\":[\"cobol\"]}}").json();
            assertThat(none.has("routed_to")).isTrue();
            assertThat(routedTo(none)).isEmpty();

            JsonNode plain = nexus.http.post("/events", "{\"event_type\":\"help.needed\",\"session_id\":\"x\","
                    + "\"payload\":{\"task\":\"no capabilities named\"}}").json();
            assertThat(plain.has("routed_to")).as("not routed at all").isFalse();
        }
    }

    @Test
    void malformedRoutingFieldsAndServerOnlyTopicsGetTheSameErrorsOverHttpAndWebSocket() {
        try (WsClient client = nexus.connect("client")) {
            Map<String, String> cases = Map.of(
                    "{\"event_type\":\"help.needed\",\"payload\":{\"capabilities_needed\":\"python\"}}", "invalid_payload",
                    "{\"event_type\":\"help.needed\",\"payload\":{\"capabilities_needed\":[\"python\"],\"route_count\":0}}",
                    "invalid_payload",
                    "{\"event_type\":\"help.request\",\"target_session_id\":\"x\",\"payload\":{}}", "reserved_topic",
                    "{\"event_type\":\"message.read\",\"target_session_id\":\"x\",\"payload\":{}}", "reserved_topic");
            for (Map.Entry<String, String> c : cases.entrySet()) {
                String fields = c.getKey().substring(1);
                Http.Response http = nexus.http.post("/events", "{\"session_id\":\"client\"," + fields);
                assertThat(http.status()).as(c.getKey()).isEqualTo(422);
                assertThat(http.json().path("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
                client.send("{\"action\":\"publish\",\"id\":\"p\"," + fields);
                assertThat(client.awaitReply("p").path("error").asText()).as(c.getKey()).isEqualTo(c.getValue());
            }
        }
    }
}
