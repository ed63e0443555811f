package dev.nexus.protocol;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses WebSocket text frames from clients into {@link ClientFrame}s. Any problem becomes a
 * {@link NexusException} whose details carry the frame's {@code id} when one could be read, so the error reply
 * can be matched to the request.
 */
public final class ClientFrameReader {
    /** Most patterns accepted in one subscribe or unsubscribe frame. */
    public static final int MAX_TOPICS_PER_FRAME = 256;
    /** Longest credential accepted in an {@code auth} frame, in characters. */
    public static final int MAX_TOKEN_LENGTH = 8192;

    private ClientFrameReader() {
    }

    /**
     * @param text the frame text
     * @param sessionId the connection's session
     */
    public static ClientFrame read(String text, String sessionId) {
        return read(text, sessionId, WireJson.MAX_NESTING_DEPTH);
    }

    /**
     * @param text the frame text
     * @param sessionId the connection's session
     * @param maxDepth deepest JSON nesting accepted ({@link WireJson#mapper(int)})
     */
    public static ClientFrame read(String text, String sessionId, int maxDepth) {
        JsonNode tree;
        try {
            tree = PayloadKeepingParser.parse(text, maxDepth);
        } catch (JacksonException e) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "frame is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new NexusException(ErrorCode.MALFORMED_JSON, "frame could not be read: " + e.getMessage());
        }
        if (!(tree instanceof ObjectNode frame)) {
            throw new NexusException(ErrorCode.INVALID_FRAME, "a frame must be a JSON object with an \"action\"");
        }
        JsonNode id = frame.get("id");
        if (id != null && !id.isValueNode()) {
            throw new NexusException(ErrorCode.INVALID_FRAME, "id must be a string or a number");
        }
        try {
            return readAction(frame, id, sessionId);
        } catch (NexusException e) {
            if (id == null || id.isNull()) {
                throw e;
            }
            Map<String, Object> details = new LinkedHashMap<>(e.details());
            details.put("id", id);
            throw new NexusException(e.code(), e.getMessage(), details);
        }
    }

    private static ClientFrame readAction(ObjectNode frame, JsonNode id, String sessionId) {
        JsonNode action = frame.get("action");
        if (action == null || !action.isTextual()) {
            throw new NexusException(ErrorCode.INVALID_FRAME, "a frame needs a string \"action\": "
                    + "subscribe, unsubscribe, publish, ping, auth, ack, claim, renew, release, complete, fail, enqueue or "
                    + "next");
        }
        return switch (action.textValue()) {
            case "subscribe" -> new ClientFrame.Subscribe(id, patterns(frame), sinceSeq(frame), epoch(frame));
            case "unsubscribe" -> new ClientFrame.Unsubscribe(id, patterns(frame));
            case "publish" -> new ClientFrame.Publish(id, PublishRequestReader.read(frame, sessionId));
            case "ping" -> new ClientFrame.Ping(id);
            case "auth" -> new ClientFrame.Auth(id, token(frame));
            case "ack" -> new ClientFrame.Ack(id, AckRequest.read(frame));
            case "claim", "renew", "release", "complete", "fail", "enqueue", "next" ->
                    new ClientFrame.Work(id, WorkCommandReader.read(action.textValue(), frame));
            default -> throw new NexusException(ErrorCode.UNKNOWN_ACTION, "unknown action '" + action.textValue()
                    + "': use subscribe, unsubscribe, publish, ping, auth, ack, claim, renew, release, complete, fail, "
                    + "enqueue or next",
                    Map.of("action", action.textValue()));
        };
    }

    private static String token(ObjectNode frame) {
        JsonNode node = frame.get("token");
        if (node == null || node.isNull()) {
            throw new NexusException(ErrorCode.MISSING_FIELD, "token is required", Map.of("field", "token"));
        }
        if (!node.isTextual() || node.textValue().isEmpty() || node.textValue().length() > MAX_TOKEN_LENGTH) {
            throw new NexusException(ErrorCode.INVALID_FIELD,
                    "token must be a non-empty string of at most " + MAX_TOKEN_LENGTH + " characters",
                    Map.of("field", "token"));
        }
        return node.textValue();
    }

    private static Long sinceSeq(ObjectNode frame) {
        JsonNode node = frame.get("since_seq");
        if (node == null || node.isNull()) {
            if (frame.hasNonNull("epoch")) {
                throw new NexusException(ErrorCode.MISSING_FIELD, "epoch is given without since_seq",
                        Map.of("field", "since_seq"));
            }
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 0) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "since_seq must be a non-negative integer",
                    Map.of("field", "since_seq"));
        }
        return node.longValue();
    }

    private static String epoch(ObjectNode frame) {
        JsonNode node = frame.get("epoch");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > 64) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "epoch must be the string the server gave",
                    Map.of("field", "epoch"));
        }
        return node.textValue();
    }

    private static List<TopicPattern> patterns(ObjectNode frame) {
        JsonNode topics = frame.get("topics");
        if (topics == null || !topics.isArray() || topics.isEmpty()) {
            throw new NexusException(ErrorCode.MISSING_FIELD, "topics must be a non-empty array of topic patterns",
                    Map.of("field", "topics"));
        }
        if (topics.size() > MAX_TOPICS_PER_FRAME) {
            throw new NexusException(ErrorCode.INVALID_FIELD,
                    "at most " + MAX_TOPICS_PER_FRAME + " topics per frame", Map.of("field", "topics"));
        }
        List<TopicPattern> patterns = new ArrayList<>(topics.size());
        for (JsonNode topic : topics) {
            if (!topic.isTextual()) {
                throw new NexusException(ErrorCode.INVALID_PATTERN, "each topic must be a string",
                        Map.of("field", "topics"));
            }
            patterns.add(TopicPattern.parse(topic.textValue()));
        }
        return patterns;
    }
}
