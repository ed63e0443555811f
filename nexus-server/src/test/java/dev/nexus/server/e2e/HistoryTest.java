package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code GET /events/history}: replay for late joiners, filters, limits and retention. */
class HistoryTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void aLateJoinerReplaysWhatItMissedInOrder() {
        List<JsonNode> published = new ArrayList<>();
        for (String type : List.of("work.started", "help.needed", "work.progress", "status.update", "work.done")) {
            published.add(publish(type, "{\"n\":" + published.size() + "}"));
        }

        try (WsClient late = nexus.connect("late-joiner")) {
            // what it missed, then its own arrival (announced once the server has opened the session, which
            // can be just after the client's handshake returned)
            JsonNode history = await().atMost(Duration.ofSeconds(10))
                    .until(() -> nexus.http.get("/events/history").json(), h -> h.path("count").asInt() >= 6);
            assertThat(history.path("count").asInt()).isEqualTo(6);
            JsonNode events = history.path("events");
            assertThat(events.get(5).path("event_type").asText()).isEqualTo("session.connected");
            assertThat(events.get(5).path("session_id").asText()).isEqualTo("late-joiner");
            for (int i = 0; i < 5; i++) {
                JsonNode event = events.get(i);
                assertThat(event.path("event_id").asText()).isEqualTo(published.get(i).path("event_id").asText());
                assertThat(event.path("seq").asLong()).isEqualTo(published.get(i).path("seq").asLong());
                assertThat(event.path("timestamp").asText()).isEqualTo(published.get(i).path("timestamp").asText());
                assertThat(event.path("session_id").asText()).isEqualTo("publisher");
                assertThat(event.path("payload").path("n").asInt()).isEqualTo(i);
            }
            assertThat(seqs(events)).isSorted();
        }
    }

    @Test
    void theEventTypeFilterTakesAPattern() {
        publish("work.started", "{}");
        publish("help.needed", "{}");
        publish("work.deep.step", "{}");
        publish("work.done", "{}");

        assertThat(types(history("event_type=work.*"))).containsExactly("work.started", "work.done");
        assertThat(types(history("event_type=" + enc("work.>")))).containsExactly("work.started", "work.deep.step", "work.done");
        assertThat(types(history("event_type=help.needed"))).containsExactly("help.needed");
        assertThat(history("event_type=nothing.*").path("count").asInt()).isZero();
    }

    @Test
    void sinceReturnsOnlyEventsAtOrAfterIt() {
        publish("early.one", "{}");
        JsonNode lastEarly = publish("early.two", "{}");
        Instant lastEarlyAt = Instant.parse(lastEarly.path("timestamp").asText());
        // the next events must carry a later millisecond than the early ones
        await().atMost(Duration.ofSeconds(1)).until(() -> Instant.now().isAfter(lastEarlyAt.plusMillis(1)));
        JsonNode firstLate = publish("late.one", "{}");
        publish("late.two", "{}");

        String since = firstLate.path("timestamp").asText();
        JsonNode history = history("since=" + enc(since));
        assertThat(types(history)).containsExactly("late.one", "late.two");
        assertThat(history.path("count").asInt()).isEqualTo(2);

        // an offset form of the same instant works too
        assertThat(types(history("since=" + enc(Instant.parse(since).atOffset(java.time.ZoneOffset.ofHours(2)).toString()))))
                .containsExactly("late.one", "late.two");
        assertThat(types(history("since=" + enc(Instant.now().plusSeconds(60).toString())))).isEmpty();
        assertThat(types(history("since=2000-01-01T00:00:00Z"))).hasSize(4);
    }

    @Test
    void limitCapsTheNumberOfEvents() {
        for (int i = 0; i < 5; i++) {
            publish("limited.e" + i, "{}");
        }

        JsonNode newest = history("limit=2");
        assertThat(newest.path("count").asInt()).isEqualTo(2);
        assertThat(types(newest)).as("without since: the most recent, oldest first").containsExactly("limited.e3", "limited.e4");

        JsonNode fromStart = history("limit=2&since=2000-01-01T00:00:00Z");
        assertThat(types(fromStart)).as("with since: the first ones after it").containsExactly("limited.e0", "limited.e1");
    }

    @Test
    void malformedParametersAre400InvalidParameter() {
        for (String query : List.of("limit=abc", "limit=0", "limit=-1", "limit=100000", "since=yesterday",
                "since=2025-13-45T00:00:00Z", "event_type=" + enc("a.>.b"), "event_type=" + enc("bad topic"),
                "limit=1&limit=2")) {
            Http.Response reply = nexus.http.get("/events/history?" + query);
            assertThat(reply.status()).as(query).isEqualTo(400);
            assertThat(reply.json().path("error").asText()).as(query).isEqualTo("invalid_parameter");
            assertThat(reply.json().path("message").asText()).as(query).isNotBlank();
        }
        assertThat(nexus.http.get("/events/history?limit=1000").status()).isEqualTo(200);
    }

    @Test
    void historySizeKeepsOnlyTheNewestEvents() {
        try (TestServer small = TestServer.start(b -> b.historySize(5))) {
            List<Long> seqs = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Http.Response reply = small.http.post("/events",
                        "{\"event_type\":\"kept.e" + i + "\",\"session_id\":\"p\",\"payload\":{}}");
                seqs.add(reply.json().path("seq").asLong());
            }

            JsonNode history = small.http.get("/events/history").json();
            assertThat(history.path("count").asInt()).isEqualTo(5);
            assertThat(types(history)).containsExactly("kept.e3", "kept.e4", "kept.e5", "kept.e6", "kept.e7");
            assertThat(seqs(history.path("events"))).isEqualTo(seqs.subList(3, 8));
            assertThat(small.http.get("/events/history?since=2000-01-01T00:00:00Z").json().path("count").asInt())
                    .isEqualTo(5);
        }
    }

    @Test
    void directMessagesAreNotInPublicHistory() {
        publish("chat.public", "{}");
        Http.Response direct = nexus.http.post("/events", """
                {"event_type":"message.direct","session_id":"publisher","target_session_id":"someone",
                 "payload":{"secret":"s3cr3t"}}""");
        assertThat(direct.status()).isEqualTo(200);
        publish("message.broadcast", "{}");

        JsonNode history = history("");
        assertThat(types(history)).containsExactly("chat.public", "message.broadcast");
        assertThat(history.toString()).doesNotContain("s3cr3t");
        assertThat(history("event_type=message.direct").path("count").asInt()).isZero();
    }

    private JsonNode publish(String eventType, String payload) {
        Http.Response reply = nexus.http.post("/events", "{\"event_type\":\"" + eventType
                + "\",\"session_id\":\"publisher\",\"payload\":" + payload + "}");
        assertThat(reply.status()).as("publish " + eventType).isEqualTo(200);
        return reply.json();
    }

    private JsonNode history(String query) {
        Http.Response reply = nexus.http.get("/events/history" + (query.isEmpty() ? "" : "?" + query));
        assertThat(reply.status()).as(query).isEqualTo(200);
        assertThat(reply.json().path("count").asInt()).isEqualTo(reply.json().path("events").size());
        return reply.json();
    }

    private static List<String> types(JsonNode history) {
        List<String> types = new ArrayList<>();
        history.path("events").forEach(e -> types.add(e.path("event_type").asText()));
        return types;
    }

    private static List<Long> seqs(JsonNode events) {
        List<Long> seqs = new ArrayList<>();
        events.forEach(e -> seqs.add(e.path("seq").asLong()));
        return seqs;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
