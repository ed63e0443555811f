package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
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

    private static final ObjectMapper MAPPER = create();

    private WireJson() {
    }

    /** The shared, thread-safe mapper. Do not reconfigure it. */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    private static ObjectMapper create() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(MAX_NESTING_DEPTH)
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
