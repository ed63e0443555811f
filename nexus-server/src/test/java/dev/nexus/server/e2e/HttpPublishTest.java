package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code POST /events}: the reply, delivery to WebSocket subscribers, and every refusal. */
class HttpPublishTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void publishRepliesWithIdStatusTimestampAndSeqAndTheEventReachesASubscriber() {
        try (WsClient subscriber = nexus.connect("listener")) {
            subscriber.subscribe("status.*");
            Instant before = Instant.now().minusMillis(1);

            Http.Response reply = nexus.http.post("/events", """
                    {"event_type":"status.update","session_id":"session-5",
                     "payload":{"status":"working","task":"Building NEXUS"}}""");

            assertThat(reply.status()).isEqualTo(200);
            JsonNode json = reply.json();
            assertThat(json.path("status").asText()).isEqualTo("published");
            assertThat(json.path("event_id").asText()).matches("[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
            assertThat(Instant.parse(json.path("timestamp").asText())).isBetween(before, Instant.now());
            assertThat(json.path("seq").asLong()).isPositive();

            JsonNode event = subscriber.awaitEvent("status.update");
            assertThat(event.path("event_id").asText()).isEqualTo(json.path("event_id").asText());
            assertThat(event.path("seq").asLong()).isEqualTo(json.path("seq").asLong());
            assertThat(event.path("session_id").asText()).isEqualTo("session-5");
            assertThat(event.path("timestamp").asText()).isEqualTo(json.path("timestamp").asText());
            assertThat(event.path("payload").path("task").asText()).isEqualTo("Building NEXUS");
        }
    }

    @Test
    void successivePublishesGetIncreasingSeqAndTimeOrderedIds() {
        JsonNode first = publishOk("order.a");
        JsonNode second = publishOk("order.b");

        assertThat(second.path("seq").asLong()).isGreaterThan(first.path("seq").asLong());
        assertThat(second.path("event_id").asText()).isGreaterThan(first.path("event_id").asText());
    }

    @Test
    void aBadTopicIs422InvalidTopic() {
        expectError(nexus.http.post("/events", "{\"event_type\":\"work claimed!\",\"session_id\":\"s\",\"payload\":{}}"),
                422, "invalid_topic");
        expectError(nexus.http.post("/events", "{\"event_type\":\"work..claimed\",\"session_id\":\"s\",\"payload\":{}}"),
                422, "invalid_topic");
        expectError(nexus.http.post("/events", "{\"event_type\":\"work.*\",\"session_id\":\"s\",\"payload\":{}}"),
                422, "invalid_topic");
        expectError(nexus.http.post("/events", "{\"event_type\":\"" + "a.".repeat(16) + "a\",\"session_id\":\"s\"}"),
                422, "invalid_topic");
    }

    @Test
    void aPayloadThatIsNotAnObjectIs422InvalidPayload() {
        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":\"s\",\"payload\":[1]}"),
                422, "invalid_payload");
        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":\"s\",\"payload\":\"text\"}"),
                422, "invalid_payload");
        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":\"s\",\"payload\":3}"),
                422, "invalid_payload");
    }

    @Test
    void missingEventTypeOrSessionIdIs422MissingField() {
        Http.Response noType = nexus.http.post("/events", "{\"session_id\":\"s\",\"payload\":{}}");
        expectError(noType, 422, "missing_field");
        assertThat(noType.json().path("field").asText()).isEqualTo("event_type");

        Http.Response noSession = nexus.http.post("/events", "{\"event_type\":\"a.b\",\"payload\":{}}");
        expectError(noSession, 422, "missing_field");
        assertThat(noSession.json().path("field").asText()).isEqualTo("session_id");

        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":\"../etc\",\"payload\":{}}"),
                422, "invalid_session_id");
        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\",\"session_id\":42,\"payload\":{}}"),
                422, "invalid_field");
    }

    @Test
    void reservedTopicsAreRefusedOverHttpToo() {
        expectError(nexus.http.post("/events", "{\"event_type\":\"work.claimed\",\"session_id\":\"s\",\"payload\":{}}"),
                422, "reserved_topic");
        expectError(nexus.http.post("/events", "{\"event_type\":\"session.connected\",\"session_id\":\"s\"}"),
                422, "reserved_topic");
    }

    @Test
    void anEventOverTheSizeLimitIs413() {
        try (TestServer small = TestServer.start(b -> b.maxEventBytes(4096).outboundQueueBytes(1 << 20))) {
            String body = "{\"event_type\":\"big.one\",\"session_id\":\"s\",\"payload\":{\"blob\":\"" + "x".repeat(10 * 1024)
                    + "\"}}";
            Http.Response reply = small.http.post("/events", body);
            expectError(reply, 413, "too_large");
            assertThat(reply.json().path("max_bytes").asInt()).isEqualTo(4096);

            assertThat(small.http.post("/events", "{\"event_type\":\"small.one\",\"session_id\":\"s\",\"payload\":{}}")
                    .status()).isEqualTo(200);
            assertThat(small.http.get("/events/history?event_type=big.one").json().path("count").asInt()).isZero();
        }
    }

    @Test
    void anEventOverTheDefaultOneMebibyteLimitIs413() {
        String body = "{\"event_type\":\"big.one\",\"session_id\":\"s\",\"payload\":{\"blob\":\""
                + "x".repeat((int) (1.1 * 1024 * 1024)) + "\"}}";
        Http.Response reply = nexus.http.post("/events", body);
        expectError(reply, 413, "too_large");

        // just under the limit is accepted
        String fits = "{\"event_type\":\"big.fits\",\"session_id\":\"s\",\"payload\":{\"blob\":\""
                + "x".repeat(1000 * 1024) + "\"}}";
        assertThat(nexus.http.post("/events", fits).status()).isEqualTo(200);
    }

    @Test
    void malformedJsonIs400MalformedJson() {
        expectError(nexus.http.post("/events", "{\"event_type\":\"a.b\","), 400, "malformed_json");
        expectError(nexus.http.post("/events", "not json at all"), 400, "malformed_json");
        expectError(nexus.http.post("/events", "[1,2,3]"), 400, "malformed_json");
        expectError(nexus.http.post("/events", "{\"a\":1} {\"b\":2}"), 400, "malformed_json");
        expectError(nexus.http.post("/events", "[".repeat(100) + "]".repeat(100)), 400, "malformed_json");
    }

    @Test
    void anEmptyBodyIs400() {
        expectError(nexus.http.post("/events", ""), 400, "malformed_json");
    }

    @Test
    void anUnknownPathIs404NotFoundJson() {
        Http.Response reply = nexus.http.get("/no/such/endpoint");
        expectError(reply, 404, "not_found");
        assertThat(reply.header("content-type")).startsWith("application/json");
    }

    @Test
    void aWrongMethodIs405() {
        Http.Response put = nexus.http.send(HttpRequest.newBuilder(nexus.server.httpUri().resolve("/events"))
                .header("content-type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{}")));
        expectError(put, 405, "method_not_allowed");

        expectError(nexus.http.get("/work/claim"), 405, "method_not_allowed");
        expectError(nexus.http.post("/health", "{}"), 405, "method_not_allowed");
    }

    private JsonNode publishOk(String eventType) {
        Http.Response reply = nexus.http.post("/events", "{\"event_type\":\"" + eventType
                + "\",\"session_id\":\"publisher\",\"payload\":{}}");
        assertThat(reply.status()).isEqualTo(200);
        return reply.json();
    }

    /** Checks an error reply's status and body, then that the server still publishes. */
    private void expectError(Http.Response reply, int status, String code) {
        assertThat(reply.status()).as(code).isEqualTo(status);
        assertThat(reply.json()).as("error body").isNotNull();
        assertThat(reply.json().path("error").asText()).isEqualTo(code);
        assertThat(reply.json().path("message").asText()).isNotBlank();
        assertThat(nexus.http.post("/events", "{\"event_type\":\"still.working\",\"session_id\":\"probe\",\"payload\":{}}")
                .status()).as("the server keeps working after " + code).isEqualTo(200);
    }

    @Test
    void crossSitePostsFromBrowsersAreRefusedButReadsAndSameOriginWork() {
        String body = "{\"event_type\":\"work.request\",\"session_id\":\"victim\",\"payload\":{}}";
        Http.Response forged = nexus.http.send(java.net.http.HttpRequest.newBuilder(nexus.server.httpUri().resolve("/events"))
                .header("Origin", "http://evil.example")
                .header("Content-Type", "text/plain")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.json().path("error").asText()).isEqualTo("origin_forbidden");
        assertThat(nexus.http.get("/events/history?event_type=work.*").json().path("count").asInt())
                .as("nothing was published").isZero();

        String own = "http://127.0.0.1:" + nexus.server.port();
        Http.Response sameOrigin = nexus.http.send(java.net.http.HttpRequest.newBuilder(nexus.server.httpUri().resolve("/events"))
                .header("Origin", own)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body)));
        assertThat(sameOrigin.status()).isEqualTo(200);

        Http.Response read = nexus.http.send(java.net.http.HttpRequest.newBuilder(nexus.server.httpUri().resolve("/health"))
                .header("Origin", "http://evil.example").GET());
        assertThat(read.status()).isEqualTo(200);
    }
}
