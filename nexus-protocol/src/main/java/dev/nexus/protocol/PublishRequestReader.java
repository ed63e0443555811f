package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads a {@link PublishRequest} from the JSON a client sent, over HTTP ({@code POST /events}) or WebSocket
 * (a {@code publish} frame), with the same rules for both so the transports behave identically.
 */
public final class PublishRequestReader {
    public static final int MAX_ID_LENGTH = 128;
    public static final int MAX_TAGS = 32;
    public static final int MAX_TAG_LENGTH = 64;

    private PublishRequestReader() {
    }

    /**
     * @param body the client's JSON object
     * @param connectionSessionId the session the connection belongs to (WebSocket), or null when the body must
     *     name it (HTTP)
     * @throws NexusException with the code of the first rule broken
     */
    public static PublishRequest read(JsonNode body, String connectionSessionId) {
        String eventType = requiredText(body, "event_type");
        Topic.requireValid(eventType);
        String sessionId;
        String claimed = optionalText(body, "session_id", SessionId.MAX_LENGTH);
        if (connectionSessionId == null) {
            if (claimed == null) {
                throw new NexusException(ErrorCode.MISSING_FIELD, "session_id is required", Map.of("field", "session_id"));
            }
            sessionId = SessionId.requireValid(claimed, "session_id");
        } else {
            if (claimed != null && !claimed.equals(connectionSessionId)) {
                throw new NexusException(ErrorCode.FORBIDDEN,
                        "session_id '" + claimed + "' differs from this connection's session '" + connectionSessionId
                                + "': a session publishes only as itself",
                        Map.of("field", "session_id", "session_id", claimed));
            }
            sessionId = connectionSessionId;
        }
        JsonNode payloadNode = body.get("payload");
        ObjectNode payload;
        if (payloadNode == null || payloadNode.isNull()) {
            payload = WireJson.mapper().createObjectNode();
        } else if (payloadNode instanceof ObjectNode object) {
            payload = object;
        } else {
            throw new NexusException(ErrorCode.INVALID_PAYLOAD,
                    "payload must be a JSON object, got " + payloadNode.getNodeType().name().toLowerCase(),
                    Map.of("field", "payload"));
        }
        String target = optionalText(body, "target_session_id", SessionId.MAX_LENGTH);
        if (target != null) {
            SessionId.requireValid(target, "target_session_id");
        }
        if ("message.direct".equals(eventType) && target == null) {
            throw new NexusException(ErrorCode.MISSING_FIELD, "message.direct requires target_session_id",
                    Map.of("field", "target_session_id"));
        }
        Integer priority = optionalInt(body, "priority", 0, 4);
        Integer ttl = optionalInt(body, "ttl", 1, Integer.MAX_VALUE);
        return new PublishRequest(eventType, sessionId, payload, target,
                optionalText(body, "correlation_id", MAX_ID_LENGTH),
                optionalText(body, "causation_id", MAX_ID_LENGTH),
                priority, ttl, tags(body), optionalText(body, "idempotency_key", MAX_ID_LENGTH));
    }

    static String requiredText(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            throw new NexusException(ErrorCode.MISSING_FIELD, field + " is required", Map.of("field", field));
        }
        if (!node.isTextual()) {
            throw invalidField(field, field + " must be a string");
        }
        return node.textValue();
    }

    private static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw invalidField(field, field + " must be a string");
        }
        if (node.textValue().length() > maxLength) {
            throw invalidField(field, field + " is longer than " + maxLength + " characters");
        }
        return node.textValue();
    }

    private static Integer optionalInt(JsonNode body, String field, int min, int max) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw invalidField(field, field + " must be an integer from " + min + " to " + max);
        }
        return node.intValue();
    }

    private static List<String> tags(JsonNode body) {
        JsonNode node = body.get("tags");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray() || node.size() > MAX_TAGS) {
            throw invalidField("tags", "tags must be an array of at most " + MAX_TAGS + " strings");
        }
        List<String> tags = new ArrayList<>(node.size());
        for (JsonNode tag : node) {
            if (!tag.isTextual() || tag.textValue().isEmpty() || tag.textValue().length() > MAX_TAG_LENGTH) {
                throw invalidField("tags", "each tag must be a non-empty string of at most " + MAX_TAG_LENGTH + " characters");
            }
            tags.add(tag.textValue());
        }
        return tags;
    }

    private static NexusException invalidField(String field, String message) {
        return new NexusException(ErrorCode.INVALID_FIELD, message, Map.of("field", field));
    }
}
