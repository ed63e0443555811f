package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The five UDC endpoints of seed 000: their shapes, and that /state is measured live. */
class UdcEndpointsTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void healthSaysActiveWithServiceVersionAndCurrentTimestamp() {
        Instant before = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Http.Response health = nexus.http.get("/health");

        assertThat(health.status()).isEqualTo(200);
        assertThat(health.header("content-type")).startsWith("application/json");
        assertThat(health.json().path("status").asText()).isEqualTo("active");
        assertThat(health.json().path("service").asText()).isEqualTo("nexus-event-bus");
        assertThat(health.json().path("version").asText()).isEqualTo("1.0.0");
        Instant timestamp = Instant.parse(health.json().path("timestamp").asText());
        assertThat(timestamp).isBetween(before, Instant.now());
    }

    @Test
    void capabilitiesListFeaturesDependenciesAndMetadata() {
        Http.Response caps = nexus.http.get("/capabilities");

        assertThat(caps.status()).isEqualTo(200);
        JsonNode json = caps.json();
        assertThat(json.path("version").asText()).isEqualTo("1.0.0");
        assertThat(texts(json.path("features"))).contains("websocket-streaming", "pubsub-topics",
                "session-discovery", "work-coordination", "ssot-sync", "event-history");
        assertThat(texts(json.path("dependencies"))).containsExactly("registry", "filesystem-ssot");
        assertThat(json.path("udc_version").asText()).isEqualTo("1.0");
        JsonNode metadata = json.path("metadata");
        assertThat(metadata.path("max_connections").isInt()).isTrue();
        assertThat(metadata.path("max_connections").asInt()).isEqualTo(nexus.server.config().maxConnections());
        assertThat(metadata.path("event_retention").asText()).isEqualTo("1 hour");
        assertThat(metadata.path("supported_event_types").asInt()).isEqualTo(9);
    }

    @Test
    void capabilitiesMaxConnectionsFollowsTheConfiguration() {
        try (TestServer small = TestServer.start(b -> b.maxConnections(50))) {
            assertThat(small.http.get("/capabilities").json().path("metadata").path("max_connections").asInt())
                    .isEqualTo(50);
        }
    }

    @Test
    void stateConnectedSessionsFollowsWebSocketConnectsAndDisconnects() {
        assertThat(state().path("connected_sessions").asInt()).isZero();

        WsClient one = nexus.connect("state-one");
        WsClient two = nexus.connect("state-two");
        await().atMost(Duration.ofSeconds(5)).until(() -> state().path("connected_sessions").asInt() == 2);

        one.close();
        await().atMost(Duration.ofSeconds(5)).until(() -> state().path("connected_sessions").asInt() == 1);

        two.abort();
        await().atMost(Duration.ofSeconds(5)).until(() -> state().path("connected_sessions").asInt() == 0);
        two.close();
    }

    @Test
    void stateEventsTotalGrowsByExactlyTheEventsPublishedAndTheRateIsPositive() {
        long before = state().path("events_total").asLong();

        for (int i = 0; i < 3; i++) {
            assertThat(publish("metrics.tick", "state-publisher").status()).isEqualTo(200);
        }

        JsonNode after = state();
        assertThat(after.path("events_total").asLong()).isEqualTo(before + 3);
        assertThat(after.path("events_per_second").asDouble()).isPositive();
    }

    @Test
    void stateErrorsLastHourGrowsAfterABadRequest() {
        long before = state().path("errors_last_hour").asLong();

        assertThat(nexus.http.post("/events", "{not json").status()).isEqualTo(400);

        assertThat(state().path("errors_last_hour").asLong()).isEqualTo(before + 1);

        try (WsClient ws = nexus.connect("error-maker")) {
            ws.send("[1,2]");
            assertThat(ws.await(m -> "error".equals(m.path("type").asText())).path("error").asText())
                    .isEqualTo("invalid_frame");
        }
        assertThat(state().path("errors_last_hour").asLong()).isEqualTo(before + 2);
    }

    @Test
    void stateReportsUptimeAndLastRestart() {
        JsonNode state = state();

        assertThat(state.path("uptime_seconds").isIntegralNumber()).isTrue();
        assertThat(state.path("uptime_seconds").asLong()).isGreaterThanOrEqualTo(0);
        Instant lastRestart = Instant.parse(state.path("last_restart").asText());
        assertThat(lastRestart).isBeforeOrEqualTo(Instant.now())
                .isAfter(Instant.now().minus(Duration.ofMinutes(1)));
        assertThat(state.has("event_latency_ms")).isTrue();
    }

    @Test
    void stateEventLatencyIsMeasuredOnceEventsWereDeliveredToASubscriber() {
        assertThat(state().path("event_latency_ms").asDouble()).isZero();

        try (WsClient subscriber = nexus.connect("latency-watcher")) {
            subscriber.subscribe("latency.*");
            for (int i = 0; i < 5; i++) {
                assertThat(publish("latency.probe", "latency-publisher").status()).isEqualTo(200);
                subscriber.awaitEvent("latency.probe");
            }
            // The latency window rotates every second: the figures appear after the next rotation.
            await().atMost(Duration.ofSeconds(5)).until(() -> state().path("event_latency_ms").asDouble() > 0);
            assertThat(state().path("deliveries_measured").asLong()).isGreaterThanOrEqualTo(5);
        }
    }

    @Test
    void dependenciesWithNothingConfiguredAreOptionalAndNoneMissing() {
        Http.Response deps = nexus.http.get("/dependencies");

        assertThat(deps.status()).isEqualTo(200);
        JsonNode json = deps.json();
        assertThat(json.path("required").isArray()).isTrue();
        assertThat(json.path("required")).isEmpty();
        assertThat(json.path("missing").isArray()).isTrue();
        assertThat(json.path("missing")).isEmpty();
        List<String> optional = new ArrayList<>();
        for (JsonNode dependency : json.path("optional")) {
            optional.add(dependency.path("name").asText());
            assertThat(dependency.path("status").asText()).isEqualTo("disabled");
        }
        assertThat(optional).containsExactlyInAnyOrder("registry", "ssot-filesystem");
        // A server with nothing configured is healthy.
        assertThat(nexus.http.get("/health").json().path("status").asText()).isEqualTo("active");
    }

    @Test
    void messageQueryConnectedSessionsEchoesTheTraceId() {
        try (WsClient ignored = nexus.connect("queried-1"); WsClient alsoIgnored = nexus.connect("queried-2")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> state().path("connected_sessions").asInt() == 2);

            Http.Response reply = query("connected_sessions", "trace-42");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.json().path("status").asText()).isEqualTo("processed");
            assertThat(reply.json().path("trace_id").asText()).isEqualTo("trace-42");
            assertThat(reply.json().path("result").path("connected_sessions").asInt()).isEqualTo(2);
        }
    }

    @Test
    void messageQueryActiveSessionsListsConnectedSessions() {
        try (WsClient ignored = nexus.connect("active-1")) {
            await().atMost(Duration.ofSeconds(5)).until(() -> state().path("connected_sessions").asInt() == 1);

            Http.Response reply = query("active_sessions", "t-active");

            assertThat(reply.status()).isEqualTo(200);
            JsonNode sessions = reply.json().path("result").path("active_sessions");
            assertThat(sessions).hasSize(1);
            assertThat(sessions.get(0).path("session_id").asText()).isEqualTo("active-1");
            assertThat(sessions.get(0).path("online").asBoolean()).isTrue();
        }
    }

    @Test
    void messageQueryClaimedWorkListsClaims() {
        assertThat(nexus.http.post("/work/claim", "{\"session_id\":\"holder\",\"work_id\":\"w-1\"}").status())
                .isEqualTo(200);

        Http.Response reply = query("claimed_work", "t-claims");

        assertThat(reply.status()).isEqualTo(200);
        JsonNode claims = reply.json().path("result").path("claimed_work");
        assertThat(claims).hasSize(1);
        assertThat(claims.get(0).path("work_id").asText()).isEqualTo("w-1");
        assertThat(claims.get(0).path("claimed_by").asText()).isEqualTo("holder");
    }

    @Test
    void messageQueryStateReturnsTheStateFigures() {
        publish("warm.up", "stateful");

        Http.Response reply = query("state", "t-state");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.json().path("trace_id").asText()).isEqualTo("t-state");
        JsonNode state = reply.json().path("result").path("state");
        assertThat(state.path("events_total").asLong()).isGreaterThanOrEqualTo(1);
        assertThat(state.has("uptime_seconds")).isTrue();
        assertThat(state.has("connected_sessions")).isTrue();
    }

    @Test
    void messageUnknownQueryIs422UnknownQuery() {
        Http.Response reply = query("meaning_of_life", "t-unknown");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("error").asText()).isEqualTo("unknown_query");
        assertThat(reply.json().path("message").asText()).contains("meaning_of_life");
    }

    @Test
    void messageOfAnotherTypeThanQueryIs422() {
        Http.Response reply = nexus.http.post("/message", """
                {"trace_id":"t-cmd","source":"registry","target":"nexus-event-bus","message_type":"command",
                 "payload":{"query":"connected_sessions"}}""");

        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("error").asText()).isEqualTo("invalid_field");
        assertThat(reply.json().has("message")).isTrue();
    }

    @Test
    void messageWithMalformedJsonIs400() {
        Http.Response reply = nexus.http.post("/message", "{\"message_type\": \"query\",");

        assertThat(reply.status()).isEqualTo(400);
        assertThat(reply.json().path("error").asText()).isEqualTo("malformed_json");
        assertThat(query("connected_sessions", "after").status()).isEqualTo(200);
    }

    private JsonNode state() {
        Http.Response state = nexus.http.get("/state");
        assertThat(state.status()).isEqualTo(200);
        return state.json();
    }

    private Http.Response publish(String eventType, String sessionId) {
        return nexus.http.post("/events", "{\"event_type\":\"" + eventType + "\",\"session_id\":\"" + sessionId
                + "\",\"payload\":{}}");
    }

    private Http.Response query(String query, String traceId) {
        return nexus.http.post("/message", """
                {"trace_id":"%s","source":"registry","target":"nexus-event-bus","message_type":"query",
                 "payload":{"query":"%s"},"timestamp":"2025-11-17T07:50:00Z"}""".formatted(traceId, query));
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(n -> texts.add(n.asText()));
        return texts;
    }
}
