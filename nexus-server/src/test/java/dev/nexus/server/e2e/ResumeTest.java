package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Catching up on what was missed: gap-free resume by seq and epoch, or an honest "not recovered". */
class ResumeTest {
    private TestServer nexus;

    @AfterEach
    void stop() {
        if (nexus != null) {
            nexus.close();
        }
    }

    @Test
    void subscriberCutOffForFiveSecondsAtAThousandEventsPerSecondResumesWithoutGapOrDuplicate() throws Exception {
        nexus = TestServer.start(b -> b.historySize(50_000));
        List<Long> seqs = new ArrayList<>();
        List<Integer> numbers = new ArrayList<>();
        AtomicBoolean publishing = new AtomicBoolean(true);
        AtomicInteger published = new AtomicInteger();
        Thread publisher;
        try (WsClient source = nexus.connect("publisher")) {
            WsClient first = nexus.connect("reader");
            JsonNode ack = first.subscribe("load.*");
            String epoch = ack.path("epoch").asText();
            publisher = Thread.ofPlatform().start(() -> publishAtOneThousandPerSecond(source, publishing, published));
            while (numbers.size() < 1000) {
                take(first.awaitEvent("load.tick"), seqs, numbers);
            }
            first.abort();
            long cutAt = System.nanoTime();
            while (System.nanoTime() - cutAt < TimeUnit.SECONDS.toNanos(5)) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100)); // the outage: time passes while events flow
            }
            try (WsClient second = nexus.connect("reader")) {
                second.send("{\"action\":\"subscribe\",\"id\":\"resume\",\"topics\":[\"load.*\"],\"since_seq\":"
                        + seqs.get(seqs.size() - 1) + ",\"epoch\":\"" + epoch + "\"}");
                JsonNode resumed = second.awaitReply("resume");
                assertThat(resumed.path("type").asText()).isEqualTo("ack");
                assertThat(resumed.path("recovered").asBoolean()).isTrue();
                assertThat(resumed.path("recovered_events").asInt()).isGreaterThan(4000);
                publishing.set(false);
                publisher.join();
                while (numbers.get(numbers.size() - 1) < published.get() - 1) {
                    take(second.awaitEvent("load.tick"), seqs, numbers);
                }
            }
        }
        for (int i = 0; i < numbers.size(); i++) {
            assertThat(numbers.get(i)).as("event #%d: no gap, no duplicate", i).isEqualTo(i);
        }
        for (int i = 1; i < seqs.size(); i++) {
            assertThat(seqs.get(i)).as("seq order").isGreaterThan(seqs.get(i - 1));
        }
        assertThat(numbers).hasSize(published.get());
    }

    @Test
    void resumingPastRetentionSaysSoAndReplaysNothing() {
        nexus = TestServer.start(b -> b.historySize(10));
        try (WsClient reader = nexus.connect("reader"); WsClient writer = nexus.connect("writer")) {
            String epoch = reader.subscribe("old.*").path("epoch").asText();
            long seen = writer.publish("old.news", "{\"n\":0}").path("seq").asLong();
            for (int i = 1; i <= 30; i++) {
                writer.publish("old.news", "{\"n\":" + i + "}");
            }
            try (WsClient late = nexus.connect("late")) {
                JsonNode ack = resume(late, "old.*", seen, epoch);
                assertThat(ack.path("recovered").asBoolean()).isFalse();
                assertThat(ack.path("reason").asText()).isEqualTo("beyond_retention");
                writer.publish("old.news", "{\"n\":\"live\"}");
                JsonNode next = late.awaitEvent("old.news");
                assertThat(next.path("payload").path("n").asText()).as("no partial replay").isEqualTo("live");
            }
        }
    }

    @Test
    void resumingAnotherEpochOrAnUnknownPositionIsNotRecovered() {
        nexus = TestServer.start();
        try (WsClient reader = nexus.connect("reader")) {
            JsonNode ack = resume(reader, "x.*", 0, "not-this-epoch");
            assertThat(ack.path("recovered").asBoolean()).isFalse();
            assertThat(ack.path("reason").asText()).isEqualTo("epoch_changed");
            JsonNode ahead = resume(reader, "y.*", 1_000_000, ack.path("epoch").asText());
            assertThat(ahead.path("recovered").asBoolean()).isFalse();
            assertThat(ahead.path("reason").asText()).isEqualTo("unknown_position");
        }
    }

    @Test
    void resumeFromZeroReplaysEverythingMatchingThenLive() {
        nexus = TestServer.start();
        try (WsClient writer = nexus.connect("writer")) {
            writer.publish("a.one", "{}");
            writer.publish("b.other", "{}");
            writer.publish("a.two", "{}");
            try (WsClient reader = nexus.connect("reader")) {
                JsonNode ack = resume(reader, "a.*", 0, null);
                assertThat(ack.path("recovered").asBoolean()).isTrue();
                assertThat(ack.path("recovered_events").asInt()).isEqualTo(2);
                assertThat(reader.next().path("event_type").asText()).isEqualTo("a.one");
                assertThat(reader.next().path("event_type").asText()).isEqualTo("a.two");
                writer.publish("a.three", "{}");
                assertThat(reader.awaitEvent("a.three").path("event_type").asText()).isEqualTo("a.three");
            }
        }
    }

    @Test
    void malformedResumeFieldsAreRefused() {
        nexus = TestServer.start();
        try (WsClient reader = nexus.connect("reader")) {
            reader.send("{\"action\":\"subscribe\",\"id\":1,\"topics\":[\"a\"],\"since_seq\":-1}");
            assertThat(reader.awaitReply("1").path("error").asText()).isEqualTo("invalid_field");
            reader.send("{\"action\":\"subscribe\",\"id\":2,\"topics\":[\"a\"],\"epoch\":\"e\"}");
            assertThat(reader.awaitReply("2").path("error").asText()).isEqualTo("missing_field");
        }
    }

    @Test
    void historyPagesBySeq() {
        nexus = TestServer.start();
        for (int i = 0; i < 25; i++) {
            nexus.http.post("/events", "{\"event_type\":\"page.item\",\"session_id\":\"s\",\"payload\":{\"n\":" + i + "}}");
        }
        List<Integer> seen = new ArrayList<>();
        long since = 0;
        boolean more = true;
        while (more) {
            JsonNode page = nexus.http.get("/events/history?event_type=page.*&limit=10&since_seq=" + since).json();
            page.path("events").forEach(e -> seen.add(e.path("payload").path("n").asInt()));
            more = page.path("has_more").asBoolean();
            since = page.path("next_since_seq").asLong(since);
            assertThat(page.path("epoch").asText()).isNotBlank();
        }
        assertThat(seen).hasSize(25);
        for (int i = 0; i < 25; i++) {
            assertThat(seen.get(i)).isEqualTo(i);
        }
        assertThat(nexus.http.get("/events/history?since_seq=abc").status()).isEqualTo(400);
        assertThat(nexus.http.get("/events/history?since_seq=1&since=2025-01-01T00:00:00Z").status()).isEqualTo(400);
    }

    private static JsonNode resume(WsClient client, String topic, long sinceSeq, String epoch) {
        String id = "resume-" + System.nanoTime();
        client.send("{\"action\":\"subscribe\",\"id\":\"" + id + "\",\"topics\":[\"" + topic + "\"],\"since_seq\":" + sinceSeq
                + (epoch == null ? "" : ",\"epoch\":\"" + epoch + "\"") + "}");
        return client.awaitReply(id);
    }

    private static void take(JsonNode event, List<Long> seqs, List<Integer> numbers) {
        seqs.add(event.path("seq").asLong());
        numbers.add(event.path("payload").path("n").asInt());
    }

    private static void publishAtOneThousandPerSecond(WsClient source, AtomicBoolean publishing, AtomicInteger published) {
        long start = System.nanoTime();
        for (int n = 0; publishing.get() || n < 2000; n++) {
            long due = start + n * 1_000_000L;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            source.send("{\"action\":\"publish\",\"event_type\":\"load.tick\",\"payload\":{\"n\":" + n + "}}");
            published.incrementAndGet();
        }
    }
}
