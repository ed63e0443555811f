package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fields of a {@link RawObjectNode}: a map that parses the object's bytes into a {@link LinkedHashMap} the
 * first time any of its methods is called, and delegates to it from then on. Parsing happens once, under this
 * object's lock; afterwards reads need no lock (the parsed map is published through a volatile field). Like any
 * event payload, the fields must not be changed once the node is shared between threads.
 */
final class FieldsOnDemand implements Map<String, JsonNode> {
    private final byte[] json;
    private volatile Map<String, JsonNode> parsed;

    FieldsOnDemand(byte[] json) {
        this.json = json;
    }

    /** The bytes, while nothing has parsed them; null afterwards. */
    byte[] unparsedJson() {
        return parsed == null ? json : null;
    }

    private Map<String, JsonNode> fields() {
        Map<String, JsonNode> fields = parsed;
        if (fields == null) {
            synchronized (this) {
                fields = parsed;
                if (fields == null) {
                    fields = parse();
                    parsed = fields;
                }
            }
        }
        return fields;
    }

    private Map<String, JsonNode> parse() {
        try {
            // the bytes were read with at most the deepest limit an operator can set; read them with that limit
            JsonNode node = WireJson.mapper(WireJson.MAX_CONFIGURABLE_DEPTH).readTree(json);
            Map<String, JsonNode> fields = new LinkedHashMap<>();
            ((ObjectNode) node).properties().forEach(field -> fields.put(field.getKey(), field.getValue()));
            return fields;
        } catch (IOException | ClassCastException e) {
            throw new UncheckedIOException("received JSON that was valid no longer parses", e instanceof IOException io
                    ? io : new IOException(e));
        }
    }

    @Override
    public int size() {
        return fields().size();
    }

    @Override
    public boolean isEmpty() {
        return fields().isEmpty();
    }

    @Override
    public boolean containsKey(Object key) {
        return fields().containsKey(key);
    }

    @Override
    public boolean containsValue(Object value) {
        return fields().containsValue(value);
    }

    @Override
    public JsonNode get(Object key) {
        return fields().get(key);
    }

    @Override
    public JsonNode put(String key, JsonNode value) {
        return fields().put(key, value);
    }

    @Override
    public JsonNode remove(Object key) {
        return fields().remove(key);
    }

    @Override
    public void putAll(Map<? extends String, ? extends JsonNode> entries) {
        fields().putAll(entries);
    }

    @Override
    public void clear() {
        fields().clear();
    }

    @Override
    public Set<String> keySet() {
        return fields().keySet();
    }

    @Override
    public Collection<JsonNode> values() {
        return fields().values();
    }

    @Override
    public Set<Entry<String, JsonNode>> entrySet() {
        return fields().entrySet();
    }

    @Override
    public boolean equals(Object other) {
        return other == this || fields().equals(other);
    }

    @Override
    public int hashCode() {
        return fields().hashCode();
    }

    @Override
    public String toString() {
        return fields().toString();
    }
}
