package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A recipient acknowledging (marking read) messages of its inbox: the body of {@code POST /sessions/{id}/inbox/ack}
 * and of the WebSocket {@code ack} frame. Exactly one of the two forms:
 * {@code {"event_ids":["…", …]}} (at most {@value #MAX_EVENT_IDS} ids) acknowledges those messages;
 * {@code {"up_to_seq":N}} acknowledges every message of the inbox with a seq up to N.
 *
 * @param eventIds the messages to acknowledge, or null
 * @param upToSeq the highest seq to acknowledge, or null
 */
public record AckRequest(List<String> eventIds, Long upToSeq) {
    public static final int MAX_EVENT_IDS = 1000;

    public AckRequest {
        if ((eventIds == null) == (upToSeq == null)) {
            throw new IllegalArgumentException("give event ids or up_to_seq, exactly one");
        }
        eventIds = eventIds == null ? null : List.copyOf(eventIds);
    }

    /**
     * Reads and checks the fields.
     *
     * @throws NexusException {@code missing_field} (neither form), {@code invalid_field} (both, or a bad value)
     */
    public static AckRequest read(JsonNode body) {
        JsonNode ids = body.get("event_ids");
        JsonNode upTo = body.get("up_to_seq");
        boolean hasIds = ids != null && !ids.isNull();
        boolean hasUpTo = upTo != null && !upTo.isNull();
        if (hasIds == hasUpTo) {
            throw new NexusException(hasIds ? ErrorCode.INVALID_FIELD : ErrorCode.MISSING_FIELD,
                    "give either event_ids (an array of event ids) or up_to_seq (a seq), not "
                            + (hasIds ? "both" : "neither"), Map.of("field", "event_ids"));
        }
        if (hasUpTo) {
            if (!upTo.isIntegralNumber() || !upTo.canConvertToLong() || upTo.longValue() < 1) {
                throw new NexusException(ErrorCode.INVALID_FIELD, "up_to_seq must be a positive integer",
                        Map.of("field", "up_to_seq"));
            }
            return new AckRequest(null, upTo.longValue());
        }
        if (!ids.isArray() || ids.isEmpty() || ids.size() > MAX_EVENT_IDS) {
            throw new NexusException(ErrorCode.INVALID_FIELD, "event_ids must be an array of 1 to " + MAX_EVENT_IDS
                    + " event ids", Map.of("field", "event_ids"));
        }
        List<String> list = new ArrayList<>(ids.size());
        for (JsonNode id : ids) {
            if (!id.isTextual() || id.textValue().isEmpty() || id.textValue().length() > 64) {
                throw new NexusException(ErrorCode.INVALID_FIELD, "each of event_ids must be an event id string",
                        Map.of("field", "event_ids"));
            }
            list.add(id.textValue());
        }
        return new AckRequest(list, null);
    }
}
