package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;

/** The rules for work item ids and descriptions, shared by HTTP and WebSocket. */
public final class WorkId {
    public static final int MAX_LENGTH = 255;
    public static final int MAX_DESCRIPTION_LENGTH = 4096;

    private WorkId() {
    }

    /** Reads and checks {@code work_id}: a non-blank string of at most {@value #MAX_LENGTH} characters. */
    public static String read(JsonNode body) {
        String id = PublishRequestReader.requiredText(body, "work_id");
        if (id.isBlank() || id.length() > MAX_LENGTH) {
            throw new NexusException(ErrorCode.INVALID_FIELD,
                    "work_id must be a non-blank string of at most " + MAX_LENGTH + " characters",
                    Map.of("field", "work_id"));
        }
        return id;
    }

    /** Reads the optional {@code work_description}; null when absent. */
    public static String readDescription(JsonNode body) {
        JsonNode node = body.get("work_description");
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > MAX_DESCRIPTION_LENGTH) {
            throw new NexusException(ErrorCode.INVALID_FIELD,
                    "work_description must be a string of at most " + MAX_DESCRIPTION_LENGTH + " characters",
                    Map.of("field", "work_description"));
        }
        return node.textValue();
    }
}
