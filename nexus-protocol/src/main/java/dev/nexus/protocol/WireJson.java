package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import java.io.CharConversionException;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one Jackson configuration used for everything that crosses the wire. Input limits are explicit
 * (Jackson's defaults still let fuzzers reach deep recursion): nesting depth, string length, number length
 * and document length are capped so hostile input fails fast with {@code malformed_json}.
 */
public final class WireJson {
    /** Deepest nesting of objects and arrays accepted in any document. */
    public static final int MAX_NESTING_DEPTH = 64;
    /** Longest single string value accepted, in characters. */
    public static final int MAX_STRING_LENGTH = 4 * 1024 * 1024;
    /** Longest document accepted, in bytes; transports enforce their own, smaller, size limits first. */
    public static final long MAX_DOCUMENT_LENGTH = 16L * 1024 * 1024;

    /** Deepest nesting an operator may configure. */
    public static final int MAX_CONFIGURABLE_DEPTH = 256;

    private static final ObjectMapper MAPPER = create(MAX_NESTING_DEPTH);
    private static final ConcurrentHashMap<Integer, ObjectMapper> BY_DEPTH = new ConcurrentHashMap<>();

    private WireJson() {
    }

    /**
     * Parses a document received as bytes (an HTTP body). JSON between systems is UTF-8 (RFC 8259 §8.1): bytes
     * that Jackson would otherwise auto-detect as UTF-16 or UTF-32 (a zero byte among the first four, or a UTF-16
     * byte-order mark) are refused rather than decoded.
     *
     * @throws IOException ({@link com.fasterxml.jackson.core.JacksonException} for malformed JSON) when the bytes
     *     are not one UTF-8 JSON document within the limits
     */
    public static JsonNode readUtf8(byte[] bytes) throws IOException {
        return readUtf8(bytes, MAX_NESTING_DEPTH);
    }

    /** As {@link #readUtf8(byte[])}, nesting allowed to {@code maxDepth} levels. */
    public static JsonNode readUtf8(byte[] bytes, int maxDepth) throws IOException {
        requireUtf8(bytes);
        return mapper(maxDepth).readTree(bytes);
    }

    /** Refuses bytes that announce another encoding than UTF-8 (see {@link #readUtf8(byte[])}). */
    static void requireUtf8(byte[] bytes) throws CharConversionException {
        int probe = Math.min(4, bytes.length);
        for (int i = 0; i < probe; i++) {
            if (bytes[i] == 0) {
                throw new CharConversionException("the document is not UTF-8 (a zero byte at offset " + i + ")");
            }
        }
        if (bytes.length >= 2 && ((bytes[0] & 0xff) == 0xfe && (bytes[1] & 0xff) == 0xff
                || (bytes[0] & 0xff) == 0xff && (bytes[1] & 0xff) == 0xfe)) {
            throw new CharConversionException("the document is not UTF-8 (a UTF-16 byte-order mark)");
        }
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /**
     * A mapper like {@link #mapper()} whose nesting limit is {@code maxDepth} (for {@code --max-json-depth}).
     *
     * @throws IllegalArgumentException outside 1..{@value #MAX_CONFIGURABLE_DEPTH}
     */
    public static ObjectMapper mapper(int maxDepth) {
        if (maxDepth == MAX_NESTING_DEPTH) {
            return MAPPER;
        }
        if (maxDepth < 1 || maxDepth > MAX_CONFIGURABLE_DEPTH) {
            throw new IllegalArgumentException("JSON nesting depth must be from 1 to " + MAX_CONFIGURABLE_DEPTH
                    + ", got " + maxDepth);
        }
        return BY_DEPTH.computeIfAbsent(maxDepth, WireJson::create);
    }

    private static ObjectMapper create(int maxDepth) {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(maxDepth)
                        .maxStringLength(MAX_STRING_LENGTH)
                        .maxNumberLength(100)
                        .maxNameLength(1024)
                        .maxDocumentLength(MAX_DOCUMENT_LENGTH)
                        .build())
                .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
                .build();
        return JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .build();
    }
}
