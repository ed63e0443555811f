package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Direct and broadcast messages between sessions. */
class MessagingTest {
    @RegisterExtension
    final ServerPerTest nexus = new ServerPerTest();

    @Test
    void aDirectMessageReachesItsTargetOnlyEvenWithoutASubscription() {
        try (WsClient sender = nexus.connect("sender");
                WsClient target = nexus.connect("target");
                WsClient snoopMessages = nexus.connect("snoop-messages");
                WsClient snoopAll = nexus.connect("snoop-all")) {
            sender.subscribe("message.*", "marker");
            snoopMessages.subscribe("message.*", "marker");
            snoopAll.subscribe(">");

            sender.send("{\"action\":\"publish\",\"id\":\"dm\",\"event_type\":\"message.direct\","
                    + "\"target_session_id\":\"target\",\"payload\":{\"text\":\"psst\"}}");
            List<JsonNode> senderSaw = new ArrayList<>(sender.takeUntil(m -> "dm".equals(m.path("id").asText())));
            JsonNode ack = senderSaw.get(senderSaw.size() - 1);
            assertThat(ack.path("type").asText()).isEqualTo("ack");

            JsonNode received = target.awaitEvent("message.direct");
            assertThat(received.path("event_id").asText()).isEqualTo(ack.path("event_id").asText());
            assertThat(received.path("session_id").asText()).isEqualTo("sender");
            assertThat(received.path("target_session_id").asText()).isEqualTo("target");
            assertThat(received.path("payload").path("text").asText()).isEqualTo("psst");

            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(WebSocketProtocolTest.eventTypes(snoopMessages.takeUntilEvent("marker"))).containsExactly("marker");
            assertThat(WebSocketProtocolTest.eventTypes(snoopAll.takeUntilEvent("marker"))).containsExactly("marker");
            senderSaw.addAll(sender.takeUntilEvent("marker"));
            assertThat(WebSocketProtocolTest.eventTypes(senderSaw)).as("the sender does not get its own direct message")
                    .containsExactly("marker");
        }
    }

    @Test
    void aDirectMessageOverHttpReachesItsTarget() {
        try (WsClient target = nexus.connect("session-3")) {
            Http.Response reply = nexus.http.post("/events", """
                    {"event_type":"message.direct","session_id":"session-5","target_session_id":"session-3",
                     "payload":{"text":"can you review?"}}""");
            assertThat(reply.status()).isEqualTo(200);

            JsonNode received = target.awaitEvent("message.direct");
            assertThat(received.path("event_id").asText()).isEqualTo(reply.json().path("event_id").asText());
            assertThat(received.path("payload").path("text").asText()).isEqualTo("can you review?");
        }
    }

    @Test
    void aDirectMessageWithoutATargetIs422MissingField() {
        Http.Response reply = nexus.http.post("/events",
                "{\"event_type\":\"message.direct\",\"session_id\":\"s\",\"payload\":{\"text\":\"to whom?\"}}");
        assertThat(reply.status()).isEqualTo(422);
        assertThat(reply.json().path("error").asText()).isEqualTo("missing_field");
        assertThat(reply.json().path("field").asText()).isEqualTo("target_session_id");

        try (WsClient ws = nexus.connect("forgetful")) {
            JsonNode error = ws.publish("message.direct", "{\"text\":\"to whom?\"}");
            assertThat(error.path("type").asText()).isEqualTo("error");
            assertThat(error.path("error").asText()).isEqualTo("missing_field");
        }
    }

    @Test
    void aBroadcastMessageReachesEveryMessageSubscriber() {
        try (WsClient speaker = nexus.connect("speaker");
                WsClient one = nexus.connect("one");
                WsClient two = nexus.connect("two");
                WsClient deaf = nexus.connect("deaf")) {
            speaker.subscribe("message.*");
            one.subscribe("message.*");
            two.subscribe("message.>");
            deaf.subscribe("work.*", "marker");

            JsonNode ack = speaker.publish("message.broadcast", "{\"text\":\"deploy at noon\"}");
            assertThat(ack.path("type").asText()).isEqualTo("ack");

            for (WsClient listener : new WsClient[] {speaker, one, two}) {
                JsonNode event = listener.awaitEvent("message.broadcast");
                assertThat(event.path("event_id").asText()).isEqualTo(ack.path("event_id").asText());
                assertThat(event.path("payload").path("text").asText()).isEqualTo("deploy at noon");
            }
            nexus.http.post("/events", "{\"event_type\":\"marker\",\"session_id\":\"m\",\"payload\":{}}");
            assertThat(WebSocketProtocolTest.eventTypes(deaf.takeUntilEvent("marker"))).containsExactly("marker");
        }
    }
}
