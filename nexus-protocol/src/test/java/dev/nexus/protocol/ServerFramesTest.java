package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.LinkedHashMap;
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
}
