package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonTreeWriterTest {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", "[]", "null", "true", "0", "-1", "1.5", "\"\"",
        "{\"a\":{\"b\":[1,2,{\"c\":null}]},\"d\":[]}",
        "{\"unicode\":\"h\\u00e9llo \\u2603 \\ud83d\\ude00\",\"control\":\"tab\\tnl\\nq\\\"bs\\\\\\u0001\"}",
        "{\"big\":123456789012345678901234567890,\"dec\":1.00000000000000000001,\"exp\":1e300,\"neg\":-0.0}",
        "{\"long\":9223372036854775807,\"int\":-2147483648}"
    })
    void writesWhatTheMapperWritesForParsedDocuments(String json) throws Exception {
        JsonNode tree = WireJson.mapper().readTree(json);

        assertThat(JsonTreeWriter.text(tree)).isEqualTo(WireJson.mapper().writeValueAsString(tree));
        assertThat(new String(JsonTreeWriter.bytes(tree), StandardCharsets.UTF_8))
                .isEqualTo(new String(WireJson.mapper().writeValueAsBytes(tree), StandardCharsets.UTF_8));
    }

    @Test
    void writesEveryNumericNodeKindAsTheMapperDoes() throws Exception {
        ObjectNode tree = NODES.objectNode();
        tree.put("short", (short) 7);
        tree.put("int", 42);
        tree.put("long", 1L << 40);
        tree.put("float", 1.25f);
        tree.put("double", 3.141592653589793);
        tree.put("bigint", new BigInteger("98765432109876543210"));
        tree.put("decimal", new BigDecimal("12.3400"));
        tree.put("bool", false);
        tree.putNull("nothing");

        assertThat(JsonTreeWriter.text(tree)).isEqualTo(WireJson.mapper().writeValueAsString(tree));
    }

    @Test
    void matchesTheMapperOnThousandsOfRandomTrees() throws Exception {
        Random random = new Random(20261123L);
        for (int i = 0; i < 3_000; i++) {
            JsonNode tree = randomValue(random, 0);
            String expected = WireJson.mapper().writeValueAsString(tree);
            assertThat(JsonTreeWriter.text(tree)).as("tree #%d", i).isEqualTo(expected);
            assertThat(JsonTreeWriter.bytes(tree)).as("tree #%d as bytes", i)
                    .isEqualTo(WireJson.mapper().writeValueAsBytes(tree));
        }
    }

    @Test
    void anEncodedEventCarriesItsPayloadVerbatim() throws Exception {
        JsonNode payload = WireJson.mapper().readTree("{\"n\":[1,2.5,\"x\",{\"deep\":true}],\"s\":\"\\u00e9\"}");
        Event event = new Event("e1", 5, "a.b", "s1", java.time.Instant.parse("2026-11-23T10:00:00Z"),
                (ObjectNode) payload, null, null, null, null, null, null, null);

        JsonNode decoded = WireJson.mapper().readTree(EventCodec.encode(event));

        assertThat(decoded.get("payload")).isEqualTo(payload);
    }

    private static JsonNode randomValue(Random random, int depth) {
        int kind = random.nextInt(depth > 4 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.textNode(randomText(random));
            case 1 -> NODES.numberNode(random.nextInt());
            case 2 -> NODES.numberNode(random.nextLong());
            case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(40) - 20));
            case 4 -> NODES.booleanNode(random.nextBoolean());
            case 5 -> NODES.nullNode();
            case 6 -> {
                ObjectNode object = NODES.objectNode();
                int fields = random.nextInt(5);
                for (int f = 0; f < fields; f++) {
                    object.set(randomText(random), randomValue(random, depth + 1));
                }
                yield object;
            }
            default -> {
                ArrayNode array = NODES.arrayNode();
                int elements = random.nextInt(5);
                for (int e = 0; e < elements; e++) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
        };
    }

    private static String randomText(Random random) {
        StringBuilder text = new StringBuilder();
        int length = random.nextInt(12);
        for (int i = 0; i < length; i++) {
            int pick = random.nextInt(10);
            text.appendCodePoint(switch (pick) {
                case 0 -> random.nextInt(0x20);
                case 1 -> 0x1F600 + random.nextInt(50);
                case 2 -> 0xE9;
                case 3 -> '"';
                case 4 -> '\\';
                default -> 'a' + random.nextInt(26);
            });
        }
        return text.toString();
    }
}
