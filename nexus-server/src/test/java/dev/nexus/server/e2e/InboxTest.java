package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.NexusServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Direct messages kept for sessions that are not connected, delivered on connect, acknowledged, with receipts. */
class InboxTest {
    @TempDir
    Path dataDir;

    private TestServer nexus;

    @AfterEach
    void stop() {
        if (nexus != null) {
            nexus.close();
        }
    }

    private void start(int inboxMax) {
        nexus = TestServer.start(b -> b.inboxMax(inboxMax));
    }

    private Http.Response sendDirect(String from, String to, String text) {
        return nexus.http.post("/events", "{\"event_type\":\"message.direct\",\"session_id\":\"" + from
                + "\",\"target_session_id\":\"" + to + "\",\"payload\":{\"text\":\"" + text + "\"}}");
    }

    private static List<String> texts(List<JsonNode> events) {
        return events.stream().filter(e -> "message.direct".equals(e.path("event_type").asText()))
                .map(e -> e.path("payload").path("text").asText()).toList();
    }

    @Test
    void anOfflineRecipientGetsQueuedMessagesOldestFirstWhenItConnects() {
        start(1000);
        for (String text : List.of("one", "two", "three")) {
            assertThat(sendDirect("sender", "bob", text).status()).isEqualTo(200);
        }
        JsonNode waiting = nexus.http.get("/sessions/bob/inbox?unread=true").json();
        assertThat(waiting.path("unread").asInt()).isEqualTo(3);
        assertThat(waiting.findValues("state")).extracting(JsonNode::asText).containsOnly("pending");

        try (WsClient bob = nexus.connect("bob")) {
            bob.subscribe("marker");
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(texts(bob.takeUntilEvent("marker"))).containsExactly("one", "two", "three");
        }
        JsonNode after = nexus.http.get("/sessions/bob/inbox").json();
        assertThat(after.findValues("state")).extracting(JsonNode::asText).containsOnly("delivered");
        assertThat(after.path("unread").asInt()).as("delivered is not read").isEqualTo(3);
    }

    @Test
    void aSessionThatReconnectsGetsWhatArrivedWhileItWasAwayOnceEvenWhenItAlsoResumesWithSinceSeq() {
        start(1000);
        long lastSeen;
        try (WsClient bob = nexus.connect("bob")) {
            lastSeen = bob.subscribe("news.*").path("seq").asLong();
            sendDirect("alice", "bob", "live");
            JsonNode live = bob.awaitEvent("message.direct");
            assertThat(texts(List.of(live))).containsExactly("live");
            bob.send("{\"action\":\"ack\",\"id\":\"read-live\",\"event_ids\":[\"" + live.path("event_id").asText()
                    + "\"]}");
            assertThat(bob.awaitReply("read-live").path("acknowledged").asInt()).isEqualTo(1);
        }
        nexus.http.post("/events", "{\"event_type\":\"news.a\",\"session_id\":\"n\",\"payload\":{}}");
        sendDirect("alice", "bob", "while-away-1");
        nexus.http.post("/events", "{\"event_type\":\"news.b\",\"session_id\":\"n\",\"payload\":{}}");
        sendDirect("alice", "bob", "while-away-2");

        try (WsClient bob = nexus.connect("bob")) {
            bob.send("{\"action\":\"subscribe\",\"id\":\"r\",\"topics\":[\"news.*\",\"marker\"],\"since_seq\":"
                    + lastSeen + "}");
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            List<JsonNode> seen = bob.takeUntilEvent("marker");
            assertThat(texts(seen)).as("each missed direct message once, oldest first; the acknowledged one not again")
                    .containsExactly("while-away-1", "while-away-2");
            assertThat(WebSocketProtocolTest.eventTypes(seen)).as("resumed topic events once each")
                    .containsSubsequence("news.a", "news.b")
                    .filteredOn("news.a"::equals).hasSize(1);
            JsonNode ack = seen.stream().filter(m -> "r".equals(m.path("id").asText())).findFirst().orElseThrow();
            assertThat(ack.path("recovered").asBoolean()).isTrue();
        }
    }

    @Test
    void aMessageDeliveredButNeverAcknowledgedIsDeliveredAgainOnTheNextConnection() {
        start(1000);
        try (WsClient bob = nexus.connect("bob")) {
            bob.subscribe("marker");
            sendDirect("alice", "bob", "first");
            sendDirect("alice", "bob", "second");
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            List<JsonNode> seen = bob.takeUntilEvent("marker");
            assertThat(texts(seen)).containsExactly("first", "second");
            String first = seen.stream().filter(m -> "message.direct".equals(m.path("event_type").asText()))
                    .findFirst().orElseThrow().path("event_id").asText();
            bob.send("{\"action\":\"ack\",\"id\":\"k\",\"event_ids\":[\"" + first + "\"]}");
            assertThat(bob.awaitReply("k").path("unread").asInt()).isEqualTo(1);
        }

        try (WsClient bob = nexus.connect("bob")) {
            bob.subscribe("marker");
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(texts(bob.takeUntilEvent("marker"))).as("the unacknowledged one again, the read one not")
                    .containsExactly("second");
        }
    }

    @Test
    void acknowledgingOverHttpMarksReadAndSendsTheSenderAReceipt() {
        start(1000);
        try (WsClient alice = nexus.connect("alice")) {
            String first = sendDirect("alice", "bob", "a").json().path("event_id").asText();
            long secondSeq = sendDirect("alice", "bob", "b").json().path("seq").asLong();
            sendDirect("alice", "bob", "c");

            Http.Response acked = nexus.http.post("/sessions/bob/inbox/ack", "{\"event_ids\":[\"" + first + "\"]}");
            assertThat(acked.status()).isEqualTo(200);
            assertThat(acked.json().path("acknowledged").asInt()).isEqualTo(1);
            assertThat(acked.json().path("unread").asInt()).isEqualTo(2);

            JsonNode receipt = alice.awaitEvent("message.read");
            assertThat(receipt.path("session_id").asText()).isEqualTo("bob");
            assertThat(receipt.path("target_session_id").asText()).isEqualTo("alice");
            assertThat(receipt.path("payload").path("event_id").asText()).isEqualTo(first);
            assertThat(receipt.path("payload").path("read_by").asText()).isEqualTo("bob");

            JsonNode unread = nexus.http.get("/sessions/bob/inbox?unread=true").json();
            assertThat(unread.path("messages").findValues("text")).extracting(JsonNode::asText).containsExactly("b", "c");

            JsonNode upTo = nexus.http.post("/sessions/bob/inbox/ack", "{\"up_to_seq\":" + secondSeq + "}").json();
            assertThat(upTo.path("acknowledged").asInt()).as("only b: a was already read").isEqualTo(1);
            assertThat(nexus.http.post("/sessions/bob/inbox/ack", "{\"event_ids\":[\"" + first + "\"]}").json()
                    .path("acknowledged").asInt()).as("acknowledging again changes nothing").isZero();
            JsonNode all = nexus.http.get("/sessions/bob/inbox").json();
            assertThat(all.path("messages").findValues("state")).extracting(JsonNode::asText)
                    .containsExactly("read", "read", "pending");
        }
    }

    @Test
    void aWebSocketAckFrameGivesTheSameAnswerAndReceipt() {
        start(1000);
        try (WsClient alice = nexus.connect("alice"); WsClient bob = nexus.connect("bob")) {
            alice.send("{\"action\":\"publish\",\"id\":\"dm\",\"event_type\":\"message.direct\","
                    + "\"target_session_id\":\"bob\",\"payload\":{\"text\":\"hi\"}}");
            String eventId = alice.awaitReply("dm").path("event_id").asText();
            assertThat(bob.awaitEvent("message.direct").path("event_id").asText()).isEqualTo(eventId);

            bob.send("{\"action\":\"ack\",\"id\":\"k\",\"event_ids\":[\"" + eventId + "\"]}");
            JsonNode ack = bob.awaitReply("k");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("action").asText()).isEqualTo("ack");
            assertThat(ack.path("acknowledged").asInt()).isEqualTo(1);
            assertThat(ack.path("event_ids").get(0).asText()).isEqualTo(eventId);
            assertThat(ack.path("unread").asInt()).isZero();

            JsonNode receipt = alice.awaitEvent("message.read");
            assertThat(receipt.path("payload").path("event_id").asText()).isEqualTo(eventId);
            assertThat(nexus.http.get("/sessions/alice/inbox").json().path("messages").get(0).path("event")
                    .path("event_type").asText()).as("the receipt is in the sender's inbox").isEqualTo("message.read");
        }
    }

    @Test
    void malformedAcksGetTheSameErrorOverHttpAndWebSocket() {
        start(1000);
        try (WsClient bob = nexus.connect("bob")) {
            for (String body : List.of("{}", "{\"event_ids\":[\"x\"],\"up_to_seq\":3}", "{\"up_to_seq\":0}",
                    "{\"event_ids\":[]}")) {
                Http.Response http = nexus.http.post("/sessions/bob/inbox/ack", body);
                bob.send("{\"action\":\"ack\",\"id\":\"e\"" + (body.equals("{}") ? "}" : "," + body.substring(1)));
                JsonNode ws = bob.awaitReply("e");
                assertThat(ws.path("type").asText()).isEqualTo("error");
                assertThat(ws.path("error").asText()).as(body).isEqualTo(http.json().path("error").asText());
                assertThat(http.status()).as(body).isEqualTo(422);
            }
        }
        assertThat(nexus.http.get("/sessions/.hidden/inbox").status()).isEqualTo(422);
    }

    @Test
    void aFullInboxRefusesTheSenderAndKeepsEarlierMessages() {
        start(3);
        for (String text : List.of("1", "2", "3")) {
            assertThat(sendDirect("alice", "bob", text).status()).isEqualTo(200);
        }
        Http.Response refused = sendDirect("alice", "bob", "4");
        assertThat(refused.status()).isEqualTo(429);
        assertThat(refused.json().path("error").asText()).isEqualTo("inbox_full");
        assertThat(refused.json().path("target_session_id").asText()).isEqualTo("bob");
        assertThat(refused.json().path("max_messages").asInt()).isEqualTo(3);

        try (WsClient alice = nexus.connect("alice")) {
            alice.send("{\"action\":\"publish\",\"id\":\"p\",\"event_type\":\"message.direct\","
                    + "\"target_session_id\":\"bob\",\"payload\":{\"text\":\"5\"}}");
            JsonNode error = alice.awaitReply("p");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).isEqualTo("inbox_full");
        }
        JsonNode history = nexus.http.get("/events/history?event_type=message.*").json();
        assertThat(history.path("count").asInt()).as("a refused message is not half stored").isZero();

        try (WsClient bob = nexus.connect("bob")) {
            bob.subscribe("marker");
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(texts(bob.takeUntilEvent("marker"))).containsExactly("1", "2", "3");
        }
        assertThat(sendDirect("alice", "bob", "6").status()).as("delivered messages make room").isEqualTo(200);
    }

    @Test
    void theInboxSurvivesARestartWithTheSqliteStore() {
        NexusServer first = NexusServer.start(config());
        Http http = new Http(first.httpUri());
        String read = http.post("/events", "{\"event_type\":\"message.direct\",\"session_id\":\"alice\","
                + "\"target_session_id\":\"bob\",\"payload\":{\"text\":\"read-before\"}}").json().path("event_id").asText();
        http.post("/events", "{\"event_type\":\"message.direct\",\"session_id\":\"alice\","
                + "\"target_session_id\":\"bob\",\"payload\":{\"text\":\"pending\"}}");
        http.post("/sessions/bob/inbox/ack", "{\"event_ids\":[\"" + read + "\"]}");
        first.close();

        NexusServer second = NexusServer.start(config());
        try {
            Http again = new Http(second.httpUri());
            JsonNode inbox = again.get("/sessions/bob/inbox").json();
            assertThat(inbox.path("messages").findValues("state")).extracting(JsonNode::asText)
                    .containsExactly("read", "pending");
            assertThat(inbox.path("unread").asInt()).isEqualTo(1);
            try (WsClient bob = WsClient.connect(second.webSocketUri().resolve("/ws/session/bob"))) {
                bob.subscribe("marker");
                again.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
                List<JsonNode> seen = new ArrayList<>(bob.takeUntilEvent("marker"));
                assertThat(texts(seen)).containsExactly("pending");
            }
        } finally {
            second.close();
        }
    }

    private dev.nexus.server.ServerConfig config() {
        return dev.nexus.server.ServerConfig.builder().port(0).dataDir(dataDir).rateLimitPerMinute(0)
                .claimGrace(Duration.ofMillis(500)).build();
    }
}
