package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFramesTest {

    @Test
    void errorBodyCarriesCodeMessageAndDetails() throws Exception {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("work_id", "w1");
        details.put("claimed_by", "s2");
        NexusException e = new NexusException(ErrorCode.CLAIM_CONFLICT, "work 'w1' is already claimed by s2", details);

        JsonNode body = WireJson.mapper().readTree(ServerFrames.text(ServerFrames.errorBody(e)));

        assertThat(body.get("error").asText()).isEqualTo("claim_conflict");
        assertThat(body.get("message").asText()).isEqualTo("work 'w1' is already claimed by s2");
        assertThat(body.get("claimed_by").asText()).isEqualTo("s2");
        assertThat(body.has("type")).isFalse();
    }

    @Test
    void errorFrameIsTypedAndEchoesTheId() {
        NexusException e = new NexusException(ErrorCode.UNKNOWN_ACTION, "nope", Map.of("id", TextNode.valueOf("r7")));

        JsonNode frame = ServerFrames.error(e);

        assertThat(frame.get("type").asText()).isEqualTo("error");
        assertThat(frame.get("error").asText()).isEqualTo("unknown_action");
        assertThat(frame.get("id").asText()).isEqualTo("r7");
    }

    @Test
    void ackAndPong() {
        assertThat(ServerFrames.ack("subscribe", TextNode.valueOf("x")).toString())
                .isEqualTo("{\"type\":\"ack\",\"action\":\"subscribe\",\"id\":\"x\"}");
        assertThat(ServerFrames.ack("ping", null).has("id")).isFalse();
        assertThat(ServerFrames.pong(null, "2025-01-01T00:00:00.000Z").toString())
                .isEqualTo("{\"type\":\"pong\",\"timestamp\":\"2025-01-01T00:00:00.000Z\"}");
    }

    @Test
    void thePublishAckIsTheAckReplyWithTheEventsPositionInTheSameFieldOrder() throws Exception {
        JsonNode[] ids = {TextNode.valueOf("p1"), WireJson.mapper().readTree("42"),
                WireJson.mapper().readTree("{\"n\":[1,\"x\"]}"), null};
        for (JsonNode id : ids) {
            ObjectNode expected = ServerFrames.ack("publish", id);
            expected.put("event_id", "0193-e");
            expected.put("seq", 7L);
            expected.put("epoch", "ep");
            expected.put("timestamp", "2026-11-23T06:00:00.000Z");

            byte[] ack = ServerFrames.publishAck(id, "0193-e", 7, "ep", "2026-11-23T06:00:00.000Z", false, null);

            assertThat(new String(ack, StandardCharsets.UTF_8)).isEqualTo(ServerFrames.text(expected));
        }
    }

    @Test
    void aRetriedOrRoutedPublishAckSaysSo() throws Exception {
        JsonNode ack = WireJson.mapper().readTree(ServerFrames.publishAck(TextNode.valueOf("r"), "e", 3, "ep",
                "2026-11-23T06:00:00.000Z", true, List.of("worker-1", "worker-2")));

        assertThat(ack.get("duplicate").asBoolean()).isTrue();
        assertThat(ack.get("routed_to")).hasSize(2);
        assertThat(ack.get("routed_to").get(0).asText()).isEqualTo("worker-1");
        assertThat(ack.has("routed_to") && ack.get("routed_to").isArray()).isTrue();
        JsonNode plain = WireJson.mapper().readTree(ServerFrames.publishAck(null, "e", 3, "ep",
                "2026-11-23T06:00:00.000Z", false, List.of()));
        assertThat(plain.has("duplicate")).isFalse();
        assertThat(plain.has("id")).isFalse();
        assertThat(plain.get("routed_to")).isEmpty();
    }

    @Test
    void replyBytesAreTheReplyTextInUtf8() {
        ObjectNode ack = ServerFrames.ack("subscribe", TextNode.valueOf("é✓"));
        ack.putArray("subscriptions").add("a.*");

        assertThat(new String(ServerFrames.bytes(ack), StandardCharsets.UTF_8)).isEqualTo(ServerFrames.text(ack));
    }
}
