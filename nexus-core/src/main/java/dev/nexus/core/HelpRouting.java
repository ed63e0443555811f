package dev.nexus.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.presence.CapabilityRanking;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The rules of capability routing: a {@code help.needed} event whose payload names {@code capabilities_needed}
 * (an array of strings) is, besides going to its subscribers, sent as a direct {@code help.request} to the
 * {@code route_count} best matching sessions ({@link CapabilityRanking}), never to its publisher. The count comes
 * from the payload's {@code route_count} (1–{@value #MAX_ROUTE_COUNT}) or the node's default.
 *
 * <p>A {@code help.request} carries the asker as {@code session_id}, the original payload plus
 * {@code help_event_id} and {@code help_seq}, the original's {@code correlation_id}, and the original event as
 * {@code causation_id}.
 */
final class HelpRouting {
    static final String HELP_NEEDED = "help.needed";
    static final String HELP_REQUEST = "help.request";
    static final int MAX_ROUTE_COUNT = 32;
    static final int MAX_CAPABILITIES = 64;

    private HelpRouting() {
    }

    /**
     * What to route, or null when the event is not routed.
     *
     * @throws NexusException {@code invalid_payload} when {@code capabilities_needed} or {@code route_count} is malformed
     */
    static Plan plan(PublishRequest request, int defaultCount) {
        if (!request.eventType().equals(HELP_NEEDED) || request.targetSessionId() != null) {
            return null;
        }
        JsonNode needed = request.payload().get("capabilities_needed");
        if (needed == null || needed.isNull()) {
            return null;
        }
        if (!needed.isArray() || needed.isEmpty() || needed.size() > MAX_CAPABILITIES) {
            throw invalid("payload.capabilities_needed must be an array of 1 to " + MAX_CAPABILITIES + " strings");
        }
        List<String> capabilities = new ArrayList<>(needed.size());
        for (JsonNode item : needed) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > 1024) {
                throw invalid("each of payload.capabilities_needed must be a non-blank string of at most 1024 characters");
            }
            capabilities.add(item.textValue());
        }
        int count = defaultCount;
        JsonNode routeCount = request.payload().get("route_count");
        if (routeCount != null && !routeCount.isNull()) {
            if (!routeCount.isIntegralNumber() || routeCount.asLong() < 1 || routeCount.asLong() > MAX_ROUTE_COUNT) {
                throw invalid("payload.route_count must be an integer from 1 to " + MAX_ROUTE_COUNT);
            }
            count = routeCount.intValue();
        }
        return new Plan(capabilities, count);
    }

    /** The direct event that routes {@code helpNeeded} to {@code target}. */
    static PublishRequest request(Event helpNeeded, String target) {
        ObjectNode payload = helpNeeded.payload().deepCopy();
        payload.put("help_event_id", helpNeeded.eventId());
        payload.put("help_seq", helpNeeded.seq());
        return new PublishRequest(HELP_REQUEST, helpNeeded.sessionId(), payload, target,
                helpNeeded.correlationId(), helpNeeded.eventId(), helpNeeded.priority(), null, null, null);
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_PAYLOAD, message, Map.of("field", "payload"));
    }

    /**
     * @param capabilities every capability a helper needs
     * @param count how many sessions to route to at most
     */
    record Plan(List<String> capabilities, int count) {
    }
}
