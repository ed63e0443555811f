package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The generator-free encodings of events and publish acks ({@link PlainJsonObject}) write exactly the bytes
 * Jackson writes, and step aside whenever a string would need escaping.
 */
class PlainJsonObjectTest {
    private static final String[] STRINGS = {
        "", "a", "plain-ascii_0123.~ !#$%&'()*+,-./:;<=>?@[]^`{|}", "quote\"inside", "back\\slash", "tab\there",
        "new\nline", "\u0001", "del\u007f", "é", "snow ☃", "😀", "x".repeat(700)
    };

    @Test
    void eventsAreEncodedAsJacksonEncodesThem() {
        Random random = new Random(42);
        int plain = 0;
        for (int i = 0; i < 3_000; i++) {
            Event event = randomEvent(random);
            byte[] fast = EventCodec.encodePlain(event);
            byte[] generated = EventCodec.encodeWithGenerator(event);
            if (fast != null) {
                plain++;
                assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(generated, StandardCharsets.UTF_8));
            } else {
                assertThat(needsGenerator(event)).as("event %s was plain", event).isTrue();
            }
            assertThat(EventCodec.encode(event)).isEqualTo(generated);
        }
        assertThat(plain).as("events written without the generator").isGreaterThan(200);
    }

    @Test
    void publishAcksAreEncodedAsJacksonEncodesThem() {
        Random random = new Random(7);
        JsonNode[] ids = {null, NullNode.getInstance(), TextNode.valueOf("req-1"), TextNode.valueOf("q\"uote"),
            IntNode.valueOf(12), LongNode.valueOf(Long.MAX_VALUE), DoubleNode.valueOf(1.5)};
        int plain = 0;
        for (int i = 0; i < 2_000; i++) {
            JsonNode id = ids[random.nextInt(ids.length)];
            String eventId = pick(random);
            long seq = random.nextLong(1, Long.MAX_VALUE);
            String epoch = pick(random);
            String timestamp = WireTime.format(Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)));
            boolean duplicate = random.nextBoolean();
            List<String> routedTo = random.nextBoolean() ? null : strings(random);
            byte[] fast = ServerFrames.plainPublishAck(id, eventId, seq, epoch, timestamp, duplicate, routedTo);
            byte[] generated = ServerFrames.generatedPublishAck(id, eventId, seq, epoch, timestamp, duplicate, routedTo);
            if (fast != null) {
                plain++;
                assertThat(new String(fast, StandardCharsets.UTF_8)).isEqualTo(new String(generated, StandardCharsets.UTF_8));
            }
            assertThat(ServerFrames.publishAck(id, eventId, seq, epoch, timestamp, duplicate, routedTo)).isEqualTo(generated);
        }
        assertThat(plain).as("acks written without the generator").isGreaterThan(50);
    }

    @Test
    void numbersOfEveryLengthAndSignAreWrittenAsJacksonWritesThem() throws IOException {
        List<Long> values = new ArrayList<>(List.of(0L, -1L, Long.MAX_VALUE, Long.MIN_VALUE, Long.MIN_VALUE + 1));
        for (long power = 1; power > 0 && power <= Long.MAX_VALUE / 10; power *= 10) {
            values.addAll(List.of(power - 1, power, power + 1, 10 * power - 1, -power, -(10 * power - 1)));
        }
        for (long value : values) {
            byte[] plain = PlainJsonObject.start().number(PlainJsonObject.Name.of("n"), value).bytes();
            ObjectNode expected = WireJson.mapper().createObjectNode().put("n", value);

            assertThat(new String(plain, StandardCharsets.UTF_8)).as("%d", value)
                    .isEqualTo(WireJson.mapper().writeValueAsString(expected));
        }
    }

    @Test
    void anEventWhosePayloadWasReadIsWrittenFromItsFields() throws IOException {
        ObjectNode payload = (ObjectNode) PayloadKeepingParser.parse("{\"payload\":{ \"a\" : 1 }}", 64).get("payload");
        Event event = new Event("e-1", 3, "t.x", "s-1", Instant.EPOCH, payload, null, null, null, null, null, null, null);
        assertThat(new String(EventCodec.encode(event), StandardCharsets.UTF_8)).endsWith("\"payload\":{ \"a\" : 1 }}");

        payload.put("b", 2);

        assertThat(EventCodec.encodePlain(event)).isNull();
        assertThat(new String(EventCodec.encode(event), StandardCharsets.UTF_8)).endsWith("\"payload\":{\"a\":1,\"b\":2}}");
    }

    private static Event randomEvent(Random random) {
        ObjectNode payload = random.nextInt(5) == 0 ? WireJson.mapper().createObjectNode().put("tree", pick(random))
                : receivedPayload("{\"pad\":" + jsonString(pick(random)) + ",\"n\":" + random.nextInt() + "}");
        return new Event(pick(random), random.nextInt(3) == 0 ? 0 : random.nextLong(1, Long.MAX_VALUE), pick(random),
                pick(random), Instant.ofEpochMilli(random.nextLong(0, 4_000_000_000_000L)), payload, maybe(random),
                maybe(random), maybe(random), random.nextBoolean() ? null : random.nextInt(5),
                random.nextBoolean() ? null : random.nextInt(1, Integer.MAX_VALUE),
                random.nextBoolean() ? null : strings(random), maybe(random));
    }

    private static boolean needsGenerator(Event event) {
        List<String> strings = new ArrayList<>(List.of(event.eventId(), event.eventType(), event.sessionId()));
        for (String optional : new String[] {event.targetSessionId(), event.correlationId(), event.causationId(),
            event.idempotencyKey()}) {
            if (optional != null) {
                strings.add(optional);
            }
        }
        if (event.tags() != null) {
            strings.addAll(event.tags());
        }
        return !(event.payload() instanceof RawObjectNode)
                || strings.stream().anyMatch(s -> s.chars().anyMatch(c -> c < 0x20 || c > 0x7e || c == '"' || c == '\\'));
    }

    private static ObjectNode receivedPayload(String json) {
        try {
            return (ObjectNode) PayloadKeepingParser.parse("{\"payload\":" + json + "}", 64).get("payload");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String jsonString(String value) {
        return TextNode.valueOf(value).toString();
    }

    private static String pick(Random random) {
        // mostly plain strings, so that both paths are exercised often
        return random.nextInt(4) == 0 ? STRINGS[random.nextInt(STRINGS.length)] : "id-" + random.nextInt(1000);
    }

    private static String maybe(Random random) {
        return random.nextBoolean() ? null : pick(random);
    }

    private static List<String> strings(Random random) {
        List<String> values = new ArrayList<>();
        for (int i = random.nextInt(4); i > 0; i--) {
            values.add(pick(random));
        }
        return values;
    }
}
