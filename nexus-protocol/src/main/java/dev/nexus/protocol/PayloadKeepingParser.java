package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Parses a client's JSON document (a WebSocket frame or an HTTP body) into a tree, except that a top-level
 * {@code "payload"} object is kept as the bytes the client sent ({@link RawObjectNode}): the parser still reads
 * every token of it, so it is checked exactly as before (syntax, nesting depth, string and document lengths,
 * duplicate keys), but no tree is built for it and it is not written out again when the event is encoded.
 *
 * <p>The result is what {@code WireJson.mapper(maxDepth).readTree} returns for the same input, field for field;
 * only the payload's representation differs. Input that is not a JSON object is read by the mapper itself, so
 * its errors and results are unchanged too.
 */
public final class PayloadKeepingParser {
    private static final String PAYLOAD = "payload";

    private PayloadKeepingParser() {
    }

    /**
     * @throws IOException ({@link com.fasterxml.jackson.core.JacksonException} for malformed JSON) when the text is
     *     not one JSON document within the limits
     */
    public static JsonNode parse(String text, int maxDepth) throws IOException {
        ObjectMapper mapper = WireJson.mapper(maxDepth);
        if (!startsWithObject(text)) {
            return mapper.readTree(text);
        }
        try (JsonParser parser = mapper.getFactory().createParser(text)) {
            return readObject(parser, new Text(text));
        }
    }

    /**
     * As {@link #parse(String, int)} for a document received as bytes; the bytes must be UTF-8
     * ({@link WireJson#readUtf8(byte[], int)} says what is refused).
     */
    public static JsonNode parseUtf8(byte[] bytes, int maxDepth) throws IOException {
        WireJson.requireUtf8(bytes);
        ObjectMapper mapper = WireJson.mapper(maxDepth);
        if (!startsWithObject(bytes)) {
            return mapper.readTree(bytes);
        }
        try (JsonParser parser = mapper.getFactory().createParser(bytes)) {
            return readObject(parser, new Utf8(bytes));
        }
    }

    /** The document being read: where its parser's positions count from, and a range of it as UTF-8 bytes. */
    private sealed interface Source permits Text, Utf8 {
        long offset(JsonLocation location);

        byte[] utf8(long start, long end);
    }

    /** A document received as text (a WebSocket text frame): positions count characters. */
    private record Text(String text) implements Source {
        @Override
        public long offset(JsonLocation location) {
            return location.getCharOffset();
        }

        @Override
        public byte[] utf8(long start, long end) {
            return text.substring((int) start, (int) end).getBytes(StandardCharsets.UTF_8);
        }
    }

    /** A document received as UTF-8 bytes (an HTTP body, a stored event): positions count bytes. */
    private record Utf8(byte[] bytes) implements Source {
        @Override
        public long offset(JsonLocation location) {
            return location.getByteOffset();
        }

        @Override
        public byte[] utf8(long start, long end) {
            return Arrays.copyOfRange(bytes, (int) start, (int) end);
        }
    }

    private static JsonNode readObject(JsonParser parser, Source source) throws IOException {
        parser.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        parser.nextToken();
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        for (JsonToken token = parser.nextToken(); token == JsonToken.FIELD_NAME; token = parser.nextToken()) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            if (value == JsonToken.START_OBJECT && PAYLOAD.equals(name)) {
                long start = source.offset(parser.currentTokenLocation());
                parser.skipChildren();
                long end = source.offset(parser.currentTokenLocation()) + 1;
                root.set(name, new RawObjectNode(source.utf8(start, end)));
            } else {
                root.set(name, value(parser, value));
            }
        }
        JsonToken trailing = parser.nextToken();
        if (trailing != null) {
            throw new JsonParseException(parser, "Trailing token (of type " + trailing + ") found after the document");
        }
        return root;
    }

    /** A field's value as the mapper would build it; scalars without the mapper's per-call set-up. */
    private static JsonNode value(JsonParser parser, JsonToken token) throws IOException {
        return switch (token) {
            case VALUE_STRING -> TextNode.valueOf(parser.getText());
            case VALUE_TRUE -> BooleanNode.TRUE;
            case VALUE_FALSE -> BooleanNode.FALSE;
            case VALUE_NULL -> NullNode.getInstance();
            default -> SubtreeReader.INSTANCE.readTree(parser);
        };
    }

    private static boolean startsWithObject(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                return c == '{';
            }
        }
        return false;
    }

    private static boolean startsWithObject(byte[] bytes) {
        for (byte b : bytes) {
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
                return b == '{';
            }
        }
        return false;
    }

    /**
     * Reads one value from a parser positioned on it, leaving the parser on its last token (the shared mapper's
     * reader would also look for trailing tokens, which here are the rest of the document).
     */
    private static final class SubtreeReader {
        static final ObjectReader INSTANCE = WireJson.mapper().readerFor(JsonNode.class)
                .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
