package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.CharConversionException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PayloadKeepingParserTest {
    private static final int DEPTH = WireJson.MAX_NESTING_DEPTH;

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"action\":\"publish\",\"event_type\":\"a.b\",\"payload\":{\"i\":1,\"pad\":\"xxxx\"}}",
        " { \"payload\" : { \"a\" : [ 1 , 2 , { \"b\" : null } ] , \"c\" : { } } , \"id\" : 7 } ",
        "{\"id\":\"r1\",\"payload\":{},\"tags\":[\"x\",\"y\"],\"priority\":1,\"ok\":true,\"no\":false,\"none\":null}",
        "{\"payload\":{\"unicode\":\"h\\u00e9llo \\u2603 \\ud83d\\ude00 é ☃ 😀\",\"esc\":\"q\\\"bs\\\\\"}}",
        "{\"payload\":{\"payload\":{\"payload\":1}},\"nested\":{\"payload\":{\"x\":1}}}",
        "{\"payload\":[1,2],\"n\":1.5,\"big\":123456789012345678901234567890,\"long\":9223372036854775807}",
        "{\"payload\":\"text\"}",
        "{\"payload\":null}",
        "{}",
        "[1,2]", "\"frame\"", "42", "null"
    })
    void readsTheSameTreeAsTheMapper(String json) throws Exception {
        JsonNode expected = WireJson.mapper().readTree(json);

        assertThat(PayloadKeepingParser.parse(json, DEPTH)).isEqualTo(expected);
        assertThat(PayloadKeepingParser.parseUtf8(json.getBytes(StandardCharsets.UTF_8), DEPTH)).isEqualTo(expected);
        assertThat(expected).isEqualTo(PayloadKeepingParser.parse(json, DEPTH));
    }

    @Test
    void aSubscriberGetsThePayloadBytesThePublisherSent() throws Exception {
        String payload = "{ \"note\" : \"spacing kept\",\n  \"n\": 1.50, \"u\": \"\\u00e9 é 😀\" }";
        String frame = "{\"action\":\"publish\",\"event_type\":\"a.b\",\"payload\":" + payload + "}";

        ObjectNode fromText = (ObjectNode) PayloadKeepingParser.parse(frame, DEPTH).get("payload");
        ObjectNode fromBytes = (ObjectNode) PayloadKeepingParser.parseUtf8(frame.getBytes(StandardCharsets.UTF_8), DEPTH)
                .get("payload");

        assertThat(encodedPayload(fromText)).isEqualTo(payload);
        assertThat(encodedPayload(fromBytes)).isEqualTo(payload);
        assertThat(JsonTreeWriter.text(fromText)).isEqualTo(payload);
        // toString (Jackson walks the fields) and equality read the fields; from then on they are what is written
        assertThat(WireJson.mapper().readTree(fromText.toString())).isEqualTo(WireJson.mapper().readTree(payload));
        assertThat(fromText).isEqualTo(WireJson.mapper().readTree(payload));
        assertThat(encodedPayload(fromText)).isEqualTo(new String(JsonTreeWriter.bytes(WireJson.mapper().readTree(payload)),
                StandardCharsets.UTF_8));
    }

    @Test
    void keepsPayloadsLargerThanTheParsersBuffers() throws Exception {
        String big = "é".repeat(70_000);
        String payload = "{\"big\":\"" + big + "\",\"after\":[true]}";
        String frame = "{\"action\":\"publish\",\"payload\":" + payload + ",\"event_type\":\"a.b\"}";

        JsonNode fromText = PayloadKeepingParser.parse(frame, DEPTH);
        JsonNode fromBytes = PayloadKeepingParser.parseUtf8(frame.getBytes(StandardCharsets.UTF_8), DEPTH);

        assertThat(encodedPayload((ObjectNode) fromText.get("payload"))).isEqualTo(payload);
        assertThat(encodedPayload((ObjectNode) fromBytes.get("payload"))).isEqualTo(payload);
        assertThat(fromText.get("event_type").asText()).isEqualTo("a.b");
        assertThat(fromBytes.get("payload").get("big").asText()).isEqualTo(big);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{\"payload\":{\"a\":1,\"a\":2}}",
        "{\"payload\":{},\"payload\":{}}",
        "{\"id\":1,\"id\":2}",
        "{\"payload\":{\"a\":1}} {}",
        "{\"payload\":{\"a\":1}}]",
        "{\"payload\":{\"a\":tru}}",
        "{\"payload\":{\"a\":1}",
        "{\"payload\":{\"a\":\"unterminated}}",
        "{\"payload\":{\"a\":NaN}}"
    })
    void refusesWhatTheMapperRefuses(String json) {
        assertThatThrownBy(() -> WireJson.mapper().readTree(json)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> PayloadKeepingParser.parse(json, DEPTH)).isInstanceOf(JacksonException.class);
        assertThatThrownBy(() -> PayloadKeepingParser.parseUtf8(json.getBytes(StandardCharsets.UTF_8), DEPTH))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void appliesTheNestingLimitInsideThePayload() throws Exception {
        String nested = "{\"a\":".repeat(8) + "1" + "}".repeat(8);
        String frame = "{\"payload\":" + nested + "}";

        assertThat(PayloadKeepingParser.parse(frame, 9).get("payload")).isEqualTo(WireJson.mapper().readTree(nested));
        assertThatThrownBy(() -> PayloadKeepingParser.parse(frame, 8)).isInstanceOf(JacksonException.class)
                .hasMessageContaining("depth");
        assertThatThrownBy(() -> PayloadKeepingParser.parseUtf8(frame.getBytes(StandardCharsets.UTF_8), 8))
                .isInstanceOf(JacksonException.class).hasMessageContaining("depth");
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] utf16 = "{\"payload\":{}}".getBytes(StandardCharsets.UTF_16);

        assertThatThrownBy(() -> PayloadKeepingParser.parseUtf8(utf16, DEPTH)).isInstanceOf(CharConversionException.class);
    }

    @Test
    void fieldsReadAndChangedAfterParsingAreWhatIsWritten() throws Exception {
        ObjectNode payload = (ObjectNode) PayloadKeepingParser.parse("{\"payload\":{\"a\":1,\"b\":[2]}}", DEPTH)
                .get("payload");

        assertThat(payload.get("a").asInt()).isEqualTo(1);
        assertThat(payload.size()).isEqualTo(2);
        payload.set("c", TextNode.valueOf("added"));
        payload.remove("a");

        assertThat(encodedPayload(payload)).isEqualTo("{\"b\":[2],\"c\":\"added\"}");
        assertThat(payload.deepCopy()).isEqualTo(payload);
        assertThat(payload.hashCode()).isEqualTo(WireJson.mapper().readTree("{\"b\":[2],\"c\":\"added\"}").hashCode());
    }

    @Test
    void threadsReadingTheFieldsAtOnceAllSeeThem() throws Exception {
        List<ObjectNode> payloads = IntStream.range(0, 200).mapToObj(i -> payloadOf("{\"i\":" + i + ",\"s\":\"x\"}"))
                .toList();

        for (ObjectNode payload : payloads) {
            List<Integer> seen = IntStream.range(0, 8).parallel().mapToObj(t -> payload.get("i").asInt()).toList();
            assertThat(seen).containsOnly(seen.getFirst()).hasSize(8);
        }
        assertThat(payloads.get(199).get("s").asText()).isEqualTo("x");
    }

    private static ObjectNode payloadOf(String json) {
        try {
            return (ObjectNode) PayloadKeepingParser.parse("{\"payload\":" + json + "}", DEPTH).get("payload");
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    /** The payload as it appears in the JSON of an event carrying it. */
    private static String encodedPayload(ObjectNode payload) throws Exception {
        Event event = new Event("id-1", 5, "a.b", "s-1", Instant.parse("2026-11-23T12:00:00Z"), payload, null, null,
                null, null, null, null, null);
        String json = new String(EventCodec.encode(event), StandardCharsets.UTF_8);
        assertThat(WireJson.mapper().readTree(json).get("event_type").asText()).isEqualTo("a.b");
        String prefix = "\"payload\":";
        return json.substring(json.indexOf(prefix) + prefix.length(), json.length() - 1);
    }
}
