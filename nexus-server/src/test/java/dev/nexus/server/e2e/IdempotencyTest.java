package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Safe retries: the same idempotency key within the dedup window stores one copy. */
class IdempotencyTest {
    private TestServer nexus;

    @AfterEach
    void stop() {
        if (nexus != null) {
            nexus.close();
        }
    }

    @Test
    void httpRetryReturnsTheOriginalEventAndStoresOneCopy() {
        nexus = TestServer.start();
        String body = "{\"event_type\":\"job.submitted\",\"session_id\":\"s1\",\"idempotency_key\":\"job-42\",\"payload\":{}}";
        JsonNode first = nexus.http.post("/events", body).json();
        JsonNode retry = nexus.http.post("/events", body).json();
        assertThat(first.has("duplicate")).isFalse();
        assertThat(retry.path("duplicate").asBoolean()).isTrue();
        assertThat(retry.path("event_id").asText()).isEqualTo(first.path("event_id").asText());
        assertThat(retry.path("seq").asLong()).isEqualTo(first.path("seq").asLong());
        assertThat(nexus.http.get("/events/history?event_type=job.*").json().path("count").asInt()).isEqualTo(1);
    }

    @Test
    void retryAfterTheConnectionDroppedBeforeTheReplyIsADuplicate() {
        nexus = TestServer.start();
        try (WsClient watcher = nexus.connect("watcher")) {
            watcher.subscribe("job.*");
            WsClient doomed = nexus.connect("worker");
            doomed.send("{\"action\":\"publish\",\"event_type\":\"job.done\",\"idempotency_key\":\"k-1\",\"payload\":{\"n\":1}}");
            doomed.abort(); // the reply is lost with the connection
            JsonNode original = watcher.awaitEvent("job.done");
            try (WsClient again = nexus.connect("worker")) {
                JsonNode ack = publishWithKey(again, "job.done", "k-1");
                assertThat(ack.path("type").asText()).isEqualTo("ack");
                assertThat(ack.path("duplicate").asBoolean()).isTrue();
                assertThat(ack.path("seq").asLong()).isEqualTo(original.path("seq").asLong());
                assertThat(ack.path("event_id").asText()).isEqualTo(original.path("event_id").asText());
            }
            assertThat(nexus.http.get("/events/history?event_type=job.*").json().path("count").asInt()).isEqualTo(1);
        }
    }

    @Test
    void keysBelongToTheirSessionAndExpireWithTheWindow() {
        nexus = TestServer.start(b -> b.dedupWindow(Duration.ofMillis(300)));
        String a = "{\"event_type\":\"x.y\",\"session_id\":\"a\",\"idempotency_key\":\"same\",\"payload\":{}}";
        String b = "{\"event_type\":\"x.y\",\"session_id\":\"b\",\"idempotency_key\":\"same\",\"payload\":{}}";
        long first = nexus.http.post("/events", a).json().path("seq").asLong();
        assertThat(nexus.http.post("/events", b).json().has("duplicate")).as("another session's key").isFalse();
        Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            JsonNode later = nexus.http.post("/events", a).json();
            assertThat(later.has("duplicate")).as("window passed").isFalse();
            assertThat(later.path("seq").asLong()).isGreaterThan(first);
        });
    }

    @Test
    void malformedKeyIsRefused() {
        nexus = TestServer.start();
        Http.Response response = nexus.http.post("/events",
                "{\"event_type\":\"x.y\",\"session_id\":\"a\",\"idempotency_key\":42,\"payload\":{}}");
        assertThat(response.status()).isEqualTo(422);
        assertThat(response.json().path("error").asText()).isEqualTo("invalid_field");
    }

    private static JsonNode publishWithKey(WsClient client, String type, String key) {
        client.send("{\"action\":\"publish\",\"id\":\"p\",\"event_type\":\"" + type + "\",\"idempotency_key\":\"" + key
                + "\",\"payload\":{\"n\":1}}");
        return client.awaitReply("p");
    }
}
