package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The per-session token bucket (seed 000: 100 events a minute; here 5 to keep the tests short). */
class RateLimitTest {
    private TestServer nexus;

    @BeforeEach
    void start() {
        nexus = TestServer.start(b -> b.rateLimitPerMinute(5));
    }

    @AfterEach
    void stop() {
        nexus.close();
    }

    @Test
    void theSixthHttpPublishOfASessionIs429WithRetryAfter() {
        for (int i = 0; i < 5; i++) {
            assertThat(publish("chatty", i).status()).as("publish %d", i + 1).isEqualTo(200);
        }

        Http.Response limited = publish("chatty", 6);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.json().path("error").asText()).isEqualTo("rate_limited");
        assertThat(limited.json().path("message").asText()).isNotBlank();
        long retryAfterMs = limited.json().path("retry_after_ms").asLong();
        assertThat(retryAfterMs).isBetween(1L, 12_000L);
        String retryAfter = limited.header("retry-after");
        assertThat(retryAfter).as("Retry-After header").isNotNull().matches("\\d+");
        assertThat(Long.parseLong(retryAfter)).isGreaterThanOrEqualTo(1)
                .isGreaterThanOrEqualTo((retryAfterMs + 999) / 1000 - 1)
                .isLessThanOrEqualTo(12);

        assertThat(nexus.http.get("/events/history?event_type=chat.line").json().path("count").asInt())
                .as("the refused event was not published").isEqualTo(5);
    }

    @Test
    void anotherSessionIsUnaffected() {
        for (int i = 0; i < 6; i++) {
            publish("noisy", i);
        }
        assertThat(publish("noisy", 7).status()).isEqualTo(429);

        for (int i = 0; i < 5; i++) {
            assertThat(publish("quiet", i).status()).as("quiet publish %d", i + 1).isEqualTo(200);
        }
    }

    @Test
    void overWebSocketTheSixthPublishGetsAnErrorFrameAndTheConnectionKeepsWorking() {
        try (WsClient ws = nexus.connect("ws-chatty")) {
            ws.subscribe("chat.*");
            for (int i = 0; i < 5; i++) {
                assertThat(ws.publish("chat.line", "{\"n\":" + i + "}").path("type").asText()).isEqualTo("ack");
            }

            JsonNode limited = ws.publish("chat.line", "{\"n\":5}");

            assertThat(limited.path("type").asText()).isEqualTo("error");
            assertThat(limited.path("error").asText()).isEqualTo("rate_limited");
            assertThat(limited.path("retry_after_ms").asLong()).isPositive();
            assertThat(ws.ping("still-there").path("type").asText()).isEqualTo("pong");
            assertThat(ws.subscribe("more.*").path("type").asText()).isEqualTo("ack");
            // it still receives what others publish
            publish("other", 0);
            assertThat(ws.awaitEvent("chat.line").path("session_id").asText()).isIn("ws-chatty", "other");
        }
    }

    @Test
    void serverGeneratedEventsDoNotConsumeTheBudget() {
        for (int i = 0; i < 8; i++) {
            WsClient flapping = nexus.connect("flapper");
            assertThat(flapping.ping("p" + i).path("type").asText()).isEqualTo("pong");
            flapping.close();
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> !nexus.http.get("/sessions/flapper").json().path("online").asBoolean());
        }
        assertThat(nexus.http.get("/events/history?event_type=session.*").json().path("count").asInt())
                .as("8 connects and 8 disconnects were announced").isEqualTo(16);

        try (WsClient ws = nexus.connect("flapper")) {
            for (int i = 0; i < 5; i++) {
                assertThat(ws.publish("chat.line", "{}").path("type").asText()).as("publish %d", i + 1).isEqualTo("ack");
            }
            assertThat(ws.publish("chat.line", "{}").path("error").asText()).isEqualTo("rate_limited");
        }
    }

    @Test
    void claimsAreNotPublishesAndDoNotConsumeTheBudget() {
        for (int i = 0; i < 8; i++) {
            assertThat(nexus.http.post("/work/claim", "{\"session_id\":\"claimer\",\"work_id\":\"w" + i + "\"}").status())
                    .isEqualTo(200);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(publish("claimer", i).status()).isEqualTo(200);
        }
    }

    private Http.Response publish(String sessionId, int n) {
        return nexus.http.post("/events", "{\"event_type\":\"chat.line\",\"session_id\":\"" + sessionId
                + "\",\"payload\":{\"n\":" + n + "}}");
    }
}
