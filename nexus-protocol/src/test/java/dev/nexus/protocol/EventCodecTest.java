package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventCodecTest {
    private static final Instant AT = Instant.parse("2025-11-17T07:50:00.123Z");
    private static final String ID = "0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b";

    @Test
    void encodesEveryFieldInTheFixedOrder() throws Exception {
        Event event = new Event(ID, 7, "work.claimed", "s1", AT, payload("{\"k\":\"v\",\"n\":[1,2]}"),
                "s2", "corr-1", "cause-1", 1, 30, List.of("a", "b"), null);

        String json = new String(EventCodec.encode(event), StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"event_id\":\"" + ID + "\",\"seq\":7,\"event_type\":\"work.claimed\","
                + "\"session_id\":\"s1\",\"timestamp\":\"2025-11-17T07:50:00.123Z\",\"target_session_id\":\"s2\","
                + "\"correlation_id\":\"corr-1\",\"causation_id\":\"cause-1\",\"priority\":1,\"ttl\":30,"
                + "\"tags\":[\"a\",\"b\"],\"payload\":{\"k\":\"v\",\"n\":[1,2]}}");
    }

    @Test
    void omitsNullFields() throws Exception {
        Event event = new Event(ID, 3, "chat.message", "s1", AT, payload("{}"), null, null, null, null, null, null, null);

        JsonNode tree = WireJson.mapper().readTree(EventCodec.encode(event));

        assertThat(fieldNames(tree)).containsExactly("event_id", "seq", "event_type", "session_id", "timestamp", "payload");
        assertThat(tree.toString()).doesNotContain("null");
    }

    @Test
    void omitsSeqBeforeTheLogAssignedOne() throws Exception {
        Event event = new Event(ID, 0, "chat.message", "s1", AT, payload("{}"), null, null, null, null, null, null, null);

        assertThat(WireJson.mapper().readTree(EventCodec.encode(event)).has("seq")).isFalse();
    }

    @Test
    void timestampAlwaysCarriesMilliseconds() throws Exception {
        Event event = new Event(ID, 1, "a", "s1", Instant.parse("2025-01-02T03:04:05Z"), payload("{}"),
                null, null, null, null, null, null, null);

        assertThat(WireJson.mapper().readTree(EventCodec.encode(event)).get("timestamp").asText())
                .isEqualTo("2025-01-02T03:04:05.000Z");
    }

    @Test
    void roundTripsAFullEvent() throws Exception {
        Event event = new Event(ID, 42, "message.direct", "s1", AT, payload("{\"text\":\"hé ☃\",\"nested\":{\"x\":true}}"),
                "s2", "c", "k", 0, 5, List.of("t1"), null);

        Event decoded = EventCodec.decode(WireJson.mapper().readTree(EventCodec.encode(event)));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.isDirect()).isTrue();
    }

    @Test
    void roundTripsAMinimalEvent() throws Exception {
        Event event = new Event(ID, 9, "broadcast", "s1", AT, payload("{}"), null, null, null, null, null, null, null);

        Event decoded = EventCodec.decode(WireJson.mapper().readTree(EventCodec.encode(event)));

        assertThat(decoded).isEqualTo(event);
        assertThat(decoded.isDirect()).isFalse();
        assertThat(decoded.priority()).isNull();
        assertThat(decoded.tags()).isNull();
    }

    @Test
    void decodeToleratesAMissingPayload() throws Exception {
        JsonNode node = WireJson.mapper().readTree("{\"event_id\":\"" + ID + "\",\"seq\":1,\"event_type\":\"a\","
                + "\"session_id\":\"s\",\"timestamp\":\"2025-11-17T07:50:00.123Z\"}");

        Event decoded = EventCodec.decode(node);

        assertThat(decoded.payload().isEmpty()).isTrue();
        assertThat(decoded.timestamp()).isEqualTo(AT);
    }

    @Test
    void withSeqKeepsEverythingElse() {
        Event event = new Event(ID, 0, "a.b", "s1", AT, payload("{\"x\":1}"), "t", "c", "k", 3, 9, List.of("z"), null);

        Event sequenced = event.withSeq(5);

        assertThat(sequenced.seq()).isEqualTo(5);
        assertThat(sequenced).usingRecursiveComparison().ignoringFields("seq").isEqualTo(event);
    }

    private static ObjectNode payload(String json) {
        try {
            return (ObjectNode) WireJson.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new AssertionError(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
