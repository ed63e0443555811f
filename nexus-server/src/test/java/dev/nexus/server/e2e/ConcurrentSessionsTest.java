package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Many sessions at once: every subscriber gets every event, in seq order, once. */
class ConcurrentSessionsTest {
    private static final int SESSIONS = 25;
    private static final int EVENTS = 200;

    private TestServer nexus;
    private final List<WsClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        nexus = TestServer.start();
    }

    @AfterEach
    void stop() {
        clients.forEach(WsClient::close);
        nexus.close();
    }

    @Test
    void twentyFiveSubscribersEachReceiveAllTwoHundredEventsInSeqOrder() throws Exception {
        everySubscriberReceivesEveryEventInSeqOrder(nexus);
    }

    @Test
    void theSameHoldsWithConnectionsSpreadOverTwoEventLoops() throws Exception {
        nexus.close();
        nexus = TestServer.start(b -> b.eventLoops(2));
        assertThat(nexus.server.eventLoops()).isEqualTo(2);
        everySubscriberReceivesEveryEventInSeqOrder(nexus);
    }

    private void everySubscriberReceivesEveryEventInSeqOrder(TestServer nexus) throws Exception {
        for (int i = 0; i < SESSIONS; i++) {
            WsClient client = nexus.connect("load-" + i);
            clients.add(client);
            client.subscribe("load.*");
        }
        assertThat(nexus.http.get("/state").json().path("connected_sessions").asInt()).isEqualTo(SESSIONS);

        try (WsClient publisher = nexus.connect("load-publisher")) {
            for (int i = 0; i < EVENTS; i++) {
                publisher.send("{\"action\":\"publish\",\"id\":\"e" + i + "\",\"event_type\":\"load.tick\","
                        + "\"payload\":{\"n\":" + i + "}}");
            }
            List<Long> ackedSeqs = new ArrayList<>();
            for (int i = 0; i < EVENTS; i++) {
                JsonNode ack = publisher.awaitReply("e" + i);
                assertThat(ack.path("type").asText()).isEqualTo("ack");
                ackedSeqs.add(ack.path("seq").asLong());
            }
            for (int i = 1; i < EVENTS; i++) {
                assertThat(ackedSeqs.get(i)).as("no gap in the bus log").isEqualTo(ackedSeqs.get(0) + i);
            }

            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<JsonNode>>> received = new ArrayList<>();
                for (WsClient client : clients) {
                    received.add(pool.submit(() -> {
                        List<JsonNode> events = new ArrayList<>();
                        while (events.size() < EVENTS) {
                            JsonNode message = client.next();
                            if (!message.has("type") && "load.tick".equals(message.path("event_type").asText())) {
                                events.add(message);
                            }
                        }
                        return events;
                    }));
                }
                for (int c = 0; c < SESSIONS; c++) {
                    List<JsonNode> events = received.get(c).get();
                    List<Long> seqs = events.stream().map(e -> e.path("seq").asLong()).toList();
                    List<Integer> payloads = events.stream().map(e -> e.path("payload").path("n").asInt()).toList();
                    assertThat(seqs).as("session load-%d", c).isEqualTo(ackedSeqs);
                    assertThat(payloads).as("session load-%d", c)
                            .isEqualTo(java.util.stream.IntStream.range(0, EVENTS).boxed().toList());
                }
            } finally {
                pool.shutdownNow();
            }

            // nothing more (no duplicates) arrives after the last one: a marker comes next
            nexus.http.post("/events", "{\"event_type\":\"load.end\",\"session_id\":\"m\",\"payload\":{}}");
            for (WsClient client : clients) {
                assertThat(WebSocketProtocolTest.eventTypes(client.takeUntilEvent("load.end"))).containsExactly("load.end");
            }
        }
    }

    @Test
    void aSlowConsumerIsDisconnectedWhileTheOthersKeepUp() throws Exception {
        String blob = "z".repeat(3500);
        try (TestServer small = TestServer.start(b -> b.maxEventBytes(4096).outboundQueueBytes(1024 * 1024));
                WsClient keeper = small.connect("keeper");
                WsClient publisher = small.connect("flood-publisher");
                Socket slow = RawHttp.openWebSocketWithSmallReceiveBuffer(small.server.port(), "/ws/session/slowpoke")) {
            keeper.subscribe("flood.*", "session.*");
            RawHttp.sendText(slow, "{\"action\":\"subscribe\",\"topics\":[\"flood.*\"]}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> small.http.get("/state").json().path("subscriptions").asInt() == 3);

            // Publish in batches until the server gives up on the reader that stopped reading (kernel buffers
            // absorb a few MB, then its 1 MiB queue fills). Before each next batch the keeper must have received
            // every event of the last one, in order: while the slow one backs up, the keeper is never more than
            // the batch in flight behind, and nothing it is sent waits for the slow one.
            int published = 0;
            int received = 0;
            int batchesWhileSlowOnline = 0;
            boolean sawDisconnect = false;
            boolean slowOnline = true;
            while (slowOnline) {
                assertThat(published).as("slow consumer still online after %d events", published).isLessThan(6000);
                published = flood(publisher, published, 50, blob);
                while (received < published) {
                    JsonNode message = keeper.next();
                    if ("flood.data".equals(message.path("event_type").asText())) {
                        assertThat(message.path("payload").path("n").asInt()).isEqualTo(received++);
                    } else if (isDisconnectOf(message, "slowpoke")) {
                        sawDisconnect = true;
                    }
                }
                slowOnline = small.http.get("/sessions/slowpoke").json().path("online").asBoolean();
                if (slowOnline) {
                    batchesWhileSlowOnline++;
                }
            }
            assertThat(batchesWhileSlowOnline).as("batches the keeper had in full while the slow one was backing up")
                    .isGreaterThanOrEqualTo(2);

            // it is offline at once, its subscription is gone, the keeper hears of it and keeps receiving
            JsonNode state = small.http.get("/state").json();
            assertThat(state.path("connected_sessions").asInt()).isEqualTo(2);
            assertThat(state.path("subscriptions").asInt()).as("the slow one's subscription is gone").isEqualTo(2);
            while (!sawDisconnect) {
                JsonNode message = keeper.next();
                assertThat(message.path("event_type").asText()).as("no event beyond those published")
                        .isNotEqualTo("flood.data");
                sawDisconnect = isDisconnectOf(message, "slowpoke");
            }
            int publishedWhileOnline = published;
            published = flood(publisher, published, 50, blob);
            for (int n = publishedWhileOnline; n < published; n++) {
                assertThat(keeper.awaitEvent("flood.data").path("payload").path("n").asInt()).isEqualTo(n);
            }

            // the slow one, reading at last, finds what was already on its way, then slow_consumer and close 4002
            RawHttp.Ending ending = RawHttp.readUntilClose(slow);
            assertThat(ending.lastText()).contains("\"error\":\"slow_consumer\"");
            assertThat(ending.closeCode()).isEqualTo(4002);
            assertThat(ending.textMessages()).isLessThan(publishedWhileOnline + 2L);
        }
    }

    @Test
    void aClientThatStopsReadingAndAnsweringLosesItsConnectionNotJustItsSession() throws Exception {
        String blob = "z".repeat(3500);
        Duration pingTimeout = Duration.ofSeconds(3);
        try (TestServer fast = TestServer.start(b -> b.pingInterval(Duration.ofMillis(300)).pingTimeout(pingTimeout));
                WsClient publisher = fast.connect("flood-publisher");
                Socket stuck = RawHttp.openWebSocketWithSmallReceiveBuffer(fast.server.port(), "/ws/session/stuck")) {
            RawHttp.sendText(stuck, "{\"action\":\"subscribe\",\"topics\":[\"flood.*\"]}");
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> fast.http.get("/state").json().path("subscriptions").asInt() == 1);

            // more than the kernel buffers hold, so the rest waits in the server, ahead of any close frame
            flood(publisher, 0, 1200, blob);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !fast.http.get("/sessions/stuck").json().path("online").asBoolean());

            // the close frame can never reach it; the server must still let go of the TCP connection (and of the
            // megabytes queued for it) rather than wait forever for a close handshake
            Instant dropped = Instant.now().plus(pingTimeout).plusSeconds(1);
            await().pollDelay(Duration.ofMillis(100)).atMost(pingTimeout.plusSeconds(5))
                    .until(() -> Instant.now().isAfter(dropped));
            RawHttp.Ending ending = RawHttp.readUntilClose(stuck);
            assertThat(ending.closeCode()).as("connection dropped, close frame never delivered").isEqualTo(1006);
            assertThat(ending.textMessages()).isLessThan(1200);
        }
    }

    private static boolean isDisconnectOf(JsonNode message, String sessionId) {
        return "session.disconnected".equals(message.path("event_type").asText())
                && sessionId.equals(message.path("session_id").asText());
    }

    /** Publishes {@code count} events of about 3.5 KB without waiting for each ack, then waits for the last one. */
    private static int flood(WsClient publisher, int from, int count, String blob) {
        int n = from;
        for (int i = 0; i < count; i++, n++) {
            publisher.send("{\"action\":\"publish\",\"id\":\"f" + n + "\",\"event_type\":\"flood.data\","
                    + "\"payload\":{\"n\":" + n + ",\"blob\":\"" + blob + "\"}}");
        }
        assertThat(publisher.awaitReply("f" + (n - 1)).path("type").asText()).isEqualTo("ack");
        return n;
    }
}
