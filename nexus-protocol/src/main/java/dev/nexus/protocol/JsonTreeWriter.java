package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Writes a JSON tree to a generator by walking it, the same output as {@code ObjectMapper.writeTree}.
 *
 * <p>It exists for speed: the mapper builds a fresh serializer provider for every call, which cost about a tenth
 * of the server's CPU on the publish path (each event payload and each reply goes through here). Trees hold only
 * JSON values (objects, arrays, text, numbers, booleans, null); a node of any other kind (a POJO wrapper) is
 * handed to the mapper. An event payload a client sent is usually still the client's bytes: those are copied.
 */
public final class JsonTreeWriter {
    private JsonTreeWriter() {
    }

    /**
     * Writes {@code node} at the generator's current position; an object still held as the bytes it was received
     * as ({@link PayloadKeepingParser}) is copied as those bytes.
     */
    public static void write(JsonGenerator g, JsonNode node) throws IOException {
        if (node instanceof RawObjectNode raw && raw.writeReceived(g)) {
            return;
        }
        switch (node.getNodeType()) {
            case OBJECT -> {
                g.writeStartObject();
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    g.writeFieldName(field.getKey());
                    write(g, field.getValue());
                }
                g.writeEndObject();
            }
            case ARRAY -> {
                g.writeStartArray();
                for (JsonNode element : node) {
                    write(g, element);
                }
                g.writeEndArray();
            }
            case STRING -> g.writeString(node.textValue());
            case NUMBER -> writeNumber(g, node);
            case BOOLEAN -> g.writeBoolean(node.booleanValue());
            case NULL -> g.writeNull();
            default -> WireJson.mapper().writeTree(g, node);
        }
    }

    /** The UTF-8 JSON of {@code node}. */
    public static byte[] bytes(JsonNode node) {
        return EncodingBuffer.encode(g -> write(g, node), () -> "a JSON tree");
    }

    /** The JSON text of {@code node}. */
    public static String text(JsonNode node) {
        StringWriter out = new StringWriter(128);
        try (JsonGenerator g = WireJson.mapper().getFactory().createGenerator(out)) {
            write(g, node);
        } catch (IOException e) {
            throw new UncheckedIOException("a JSON tree cannot fail to serialise to a string", e);
        }
        return out.toString();
    }

    private static void writeNumber(JsonGenerator g, JsonNode node) throws IOException {
        switch (node.numberType()) {
            case INT -> g.writeNumber(node.intValue());
            case LONG -> g.writeNumber(node.longValue());
            case BIG_INTEGER -> g.writeNumber(node.bigIntegerValue());
            case FLOAT -> g.writeNumber(node.floatValue());
            case DOUBLE -> g.writeNumber(node.doubleValue());
            case BIG_DECIMAL -> g.writeNumber(node.decimalValue());
        }
    }
}
