package dev.nexus.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Encodes events to their wire JSON (fields in a fixed order, null fields omitted) and decodes them back.
 * Encoding happens once per event; the bytes are shared by every subscriber.
 */
public final class EventCodec {
    // the fields of an event, for encodePlain
    private static final PlainJsonObject.Name EVENT_ID = PlainJsonObject.Name.of("event_id");
    private static final PlainJsonObject.Name SEQ = PlainJsonObject.Name.of("seq");
    private static final PlainJsonObject.Name EVENT_TYPE = PlainJsonObject.Name.of("event_type");
    private static final PlainJsonObject.Name SESSION_ID = PlainJsonObject.Name.of("session_id");
    private static final PlainJsonObject.Name TIMESTAMP = PlainJsonObject.Name.of("timestamp");
    private static final PlainJsonObject.Name TARGET_SESSION_ID = PlainJsonObject.Name.of("target_session_id");
    private static final PlainJsonObject.Name CORRELATION_ID = PlainJsonObject.Name.of("correlation_id");
    private static final PlainJsonObject.Name CAUSATION_ID = PlainJsonObject.Name.of("causation_id");
    private static final PlainJsonObject.Name PRIORITY = PlainJsonObject.Name.of("priority");
    private static final PlainJsonObject.Name TTL = PlainJsonObject.Name.of("ttl");
    private static final PlainJsonObject.Name IDEMPOTENCY_KEY = PlainJsonObject.Name.of("idempotency_key");
    private static final PlainJsonObject.Name TAGS = PlainJsonObject.Name.of("tags");
    private static final PlainJsonObject.Name PAYLOAD = PlainJsonObject.Name.of("payload");

    private EventCodec() {
    }

    /** The UTF-8 JSON of one event. */
    public static byte[] encode(Event event) {
        byte[] plain = encodePlain(event);
        return plain != null ? plain : encodeWithGenerator(event);
    }

    /**
     * The common case without a JSON generator: a payload still as the client sent it and plain strings (see
     * {@link PlainJsonObject}); null when the event needs the generator. The same bytes as
     * {@link #encodeWithGenerator}.
     */
    static byte[] encodePlain(Event event) {
        byte[] payload = event.payload() instanceof RawObjectNode raw ? raw.receivedJson() : null;
        if (payload == null) {
            return null;
        }
        PlainJsonObject json = PlainJsonObject.start().string(EVENT_ID, event.eventId());
        if (event.seq() > 0) {
            json.number(SEQ, event.seq());
        }
        return json.string(EVENT_TYPE, event.eventType())
                .string(SESSION_ID, event.sessionId())
                .string(TIMESTAMP, WireTime.format(event.timestamp()))
                .optionalString(TARGET_SESSION_ID, event.targetSessionId())
                .optionalString(CORRELATION_ID, event.correlationId())
                .optionalString(CAUSATION_ID, event.causationId())
                .optionalNumber(PRIORITY, event.priority())
                .optionalNumber(TTL, event.ttl())
                .optionalString(IDEMPOTENCY_KEY, event.idempotencyKey())
                .optionalStrings(TAGS, event.tags())
                .json(PAYLOAD, payload)
                .bytes();
    }

    /** The UTF-8 JSON of one event, written by Jackson's generator (any event). */
    static byte[] encodeWithGenerator(Event event) {
        return EncodingBuffer.encode(g -> write(g, event), () -> "event " + event.eventId());
    }

    /** Writes one event as a JSON object to an open generator (used to stream history pages). */
    public static void write(JsonGenerator g, Event event) throws IOException {
        g.writeStartObject();
        g.writeStringField("event_id", event.eventId());
        if (event.seq() > 0) {
            g.writeNumberField("seq", event.seq());
        }
        g.writeStringField("event_type", event.eventType());
        g.writeStringField("session_id", event.sessionId());
        g.writeStringField("timestamp", WireTime.format(event.timestamp()));
        writeOptional(g, "target_session_id", event.targetSessionId());
        writeOptional(g, "correlation_id", event.correlationId());
        writeOptional(g, "causation_id", event.causationId());
        if (event.priority() != null) {
            g.writeNumberField("priority", event.priority());
        }
        if (event.ttl() != null) {
            g.writeNumberField("ttl", event.ttl());
        }
        writeOptional(g, "idempotency_key", event.idempotencyKey());
        if (event.tags() != null) {
            g.writeArrayFieldStart("tags");
            for (String tag : event.tags()) {
                g.writeString(tag);
            }
            g.writeEndArray();
        }
        g.writeFieldName("payload");
        JsonTreeWriter.write(g, event.payload());
        g.writeEndObject();
    }

    /** Reads an event from its wire JSON, as a client would. */
    public static Event decode(JsonNode node) {
        List<String> tags = null;
        if (node.hasNonNull("tags")) {
            tags = new ArrayList<>();
            for (JsonNode tag : node.get("tags")) {
                tags.add(tag.asText());
            }
        }
        return new Event(
                node.path("event_id").asText(),
                node.path("seq").asLong(0),
                node.path("event_type").asText(),
                node.path("session_id").asText(),
                WireTime.parse(node.path("timestamp").asText(), "timestamp"),
                node.get("payload") instanceof ObjectNode o ? o : WireJson.mapper().createObjectNode(),
                textOrNull(node, "target_session_id"),
                textOrNull(node, "correlation_id"),
                textOrNull(node, "causation_id"),
                node.hasNonNull("priority") ? node.get("priority").asInt() : null,
                node.hasNonNull("ttl") ? node.get("ttl").asInt() : null,
                tags,
                textOrNull(node, "idempotency_key"));
    }

    private static void writeOptional(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    private static String textOrNull(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value == null || value.isNull() ? null : value.asText();
    }
}
