package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * Replies the server sends over WebSocket. Replies carry {@code "type"} ({@code ack}, {@code error},
 * {@code pong}); events never do, so a client tells them apart by that one field.
 */
public final class ServerFrames {
    // the fields of a publish ack, for plainPublishAck
    private static final PlainJsonObject.Name ACK_TYPE = PlainJsonObject.Name.of("type");
    private static final PlainJsonObject.Name ACK_ACTION = PlainJsonObject.Name.of("action");
    private static final PlainJsonObject.Name ACK_ID = PlainJsonObject.Name.of("id");
    private static final PlainJsonObject.Name ACK_EVENT_ID = PlainJsonObject.Name.of("event_id");
    private static final PlainJsonObject.Name ACK_SEQ = PlainJsonObject.Name.of("seq");
    private static final PlainJsonObject.Name ACK_EPOCH = PlainJsonObject.Name.of("epoch");
    private static final PlainJsonObject.Name ACK_TIMESTAMP = PlainJsonObject.Name.of("timestamp");
    private static final PlainJsonObject.Name ACK_DUPLICATE = PlainJsonObject.Name.of("duplicate");
    private static final PlainJsonObject.Name ACK_ROUTED_TO = PlainJsonObject.Name.of("routed_to");

    private ServerFrames() {
    }

    /** A new {@code ack} reply for {@code action}, echoing {@code id}; add fields before sending. */
    public static ObjectNode ack(String action, JsonNode id) {
        ObjectNode ack = WireJson.mapper().createObjectNode();
        ack.put("type", "ack");
        ack.put("action", action);
        if (id != null && !id.isNull()) {
            ack.set("id", id);
        }
        return ack;
    }

    /** {@code {"type":"pong","id":...,"timestamp":...}}. */
    public static ObjectNode pong(JsonNode id, String timestamp) {
        ObjectNode pong = WireJson.mapper().createObjectNode();
        pong.put("type", "pong");
        if (id != null && !id.isNull()) {
            pong.set("id", id);
        }
        pong.put("timestamp", timestamp);
        return pong;
    }

    /** {@code {"type":"error","error":code,"message":...,...details}}. */
    public static ObjectNode error(NexusException e) {
        ObjectNode error = WireJson.mapper().createObjectNode();
        error.put("type", "error");
        error.setAll(errorBody(e));
        return error;
    }

    /** The error body shared by HTTP and WebSocket: {@code {"error":code,"message":...,...details}}. */
    public static ObjectNode errorBody(NexusException e) {
        ObjectNode body = WireJson.mapper().createObjectNode();
        body.put("error", e.code().code());
        body.put("message", e.getMessage());
        for (Map.Entry<String, Object> detail : e.details().entrySet()) {
            body.set(detail.getKey(), WireJson.mapper().valueToTree(detail.getValue()));
        }
        return body;
    }

    /** The JSON text of a reply. */
    public static String text(JsonNode frame) {
        return JsonTreeWriter.text(frame);
    }

    /** The UTF-8 JSON of a reply, as it goes on the wire. */
    public static byte[] bytes(JsonNode frame) {
        return JsonTreeWriter.bytes(frame);
    }

    /**
     * The UTF-8 JSON of the ack of a publish, written straight to bytes (the hottest reply; no tree is built):
     * the same fields in the same order as {@link #ack} with {@code event_id}, {@code seq}, {@code epoch},
     * {@code timestamp}, then {@code duplicate: true} for a retry and {@code routed_to} when given.
     */
    public static byte[] publishAck(JsonNode id, String eventId, long seq, String epoch, String timestamp,
            boolean duplicate, List<String> routedTo) {
        byte[] plain = plainPublishAck(id, eventId, seq, epoch, timestamp, duplicate, routedTo);
        return plain != null ? plain : generatedPublishAck(id, eventId, seq, epoch, timestamp, duplicate, routedTo);
    }

    /**
     * {@link #publishAck} without a JSON generator when its strings are plain and its id is absent, a plain
     * string or an integer ({@link PlainJsonObject}); null otherwise.
     */
    static byte[] plainPublishAck(JsonNode id, String eventId, long seq, String epoch, String timestamp,
            boolean duplicate, List<String> routedTo) {
        PlainJsonObject json = PlainJsonObject.start().string(ACK_TYPE, "ack").string(ACK_ACTION, "publish");
        if (id != null && !id.isNull()) {
            if (id.isTextual()) {
                json.string(ACK_ID, id.textValue());
            } else if (id.isIntegralNumber() && id.canConvertToLong()) {
                json.number(ACK_ID, id.longValue());
            } else {
                return null;
            }
        }
        json.string(ACK_EVENT_ID, eventId).number(ACK_SEQ, seq).string(ACK_EPOCH, epoch)
                .string(ACK_TIMESTAMP, timestamp);
        if (duplicate) {
            json.bool(ACK_DUPLICATE, true);
        }
        return json.optionalStrings(ACK_ROUTED_TO, routedTo).bytes();
    }

    /** {@link #publishAck} written by Jackson's generator (any ack). */
    static byte[] generatedPublishAck(JsonNode id, String eventId, long seq, String epoch, String timestamp,
            boolean duplicate, List<String> routedTo) {
        return EncodingBuffer.encode(g -> {
            g.writeStartObject();
            g.writeStringField("type", "ack");
            g.writeStringField("action", "publish");
            if (id != null && !id.isNull()) {
                g.writeFieldName("id");
                JsonTreeWriter.write(g, id);
            }
            g.writeStringField("event_id", eventId);
            g.writeNumberField("seq", seq);
            g.writeStringField("epoch", epoch);
            g.writeStringField("timestamp", timestamp);
            if (duplicate) {
                g.writeBooleanField("duplicate", true);
            }
            if (routedTo != null) {
                g.writeArrayFieldStart("routed_to");
                for (String session : routedTo) {
                    g.writeString(session);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
        }, () -> "a publish ack");
    }
}
