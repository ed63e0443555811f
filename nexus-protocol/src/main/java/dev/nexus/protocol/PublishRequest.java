package dev.nexus.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A validated request to publish (see {@link Event} for the fields), before the bus gives it an id, a timestamp and a log position. Build one with
 * {@link PublishRequestReader} from client JSON, or directly for server-generated events.
 */
public record PublishRequest(
        String eventType,
        String sessionId,
        ObjectNode payload,
        String targetSessionId,
        String correlationId,
        String causationId,
        Integer priority,
        Integer ttl,
        List<String> tags,
        String idempotencyKey) {

    public PublishRequest {
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(sessionId, "sessionId");
        payload = payload == null ? WireJson.mapper().createObjectNode() : payload;
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** A plain event with only a type, a session and a payload. */
    public static PublishRequest of(String eventType, String sessionId, ObjectNode payload) {
        return new PublishRequest(eventType, sessionId, payload, null, null, null, null, null, null, null);
    }
}
