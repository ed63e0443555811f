package dev.nexus.store.sqlite;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.WorkAttempt;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkStatus;
import dev.nexus.protocol.WireJson;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link WorkItem} is kept in the {@code work_items.json} column: an object with every field, instants as
 * ISO-8601 text exact to the nanosecond, absent values as JSON null.
 */
final class WorkItemJson {
    private WorkItemJson() {
    }

    static String write(WorkItem item) {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("work_id", item.workId());
        node.put("sequence", item.sequence());
        node.put("description", item.description());
        strings(node.putArray("capabilities_needed"), item.capabilitiesNeeded());
        node.put("priority", item.priority());
        strings(node.putArray("depends_on"), item.dependsOn());
        node.put("max_attempts", item.maxAttempts());
        node.put("enqueued_by", item.enqueuedBy());
        node.put("enqueued_at", text(item.enqueuedAt()));
        node.put("status", item.status().wire());
        node.put("ready_at", text(item.readyAt()));
        ArrayNode attempts = node.putArray("attempts");
        for (WorkAttempt attempt : item.attempts()) {
            ObjectNode a = attempts.addObject();
            a.put("session_id", attempt.sessionId());
            a.put("fencing_token", attempt.fencingToken());
            a.put("started_at", text(attempt.startedAt()));
            a.put("ended_at", text(attempt.endedAt()));
            a.put("outcome", attempt.outcome());
            a.put("reason", attempt.reason());
        }
        node.put("finished_at", text(item.finishedAt()));
        try {
            return WireJson.mapper().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a work item tree cannot fail to serialise", e);
        }
    }

    /** @throws IllegalStateException when the text is not a work item this code wrote */
    static WorkItem read(String json) {
        try {
            JsonNode node = WireJson.mapper().readTree(json);
            List<WorkAttempt> attempts = new ArrayList<>();
            for (JsonNode a : node.get("attempts")) {
                attempts.add(new WorkAttempt(a.get("session_id").asText(), a.get("fencing_token").asLong(),
                        instant(a.get("started_at")), instant(a.get("ended_at")), a.get("outcome").asText(),
                        textOrNull(a.get("reason"))));
            }
            return new WorkItem(node.get("work_id").asText(), node.get("sequence").asLong(),
                    textOrNull(node.get("description")), strings(node.get("capabilities_needed")),
                    node.get("priority").asInt(), strings(node.get("depends_on")), node.get("max_attempts").asInt(),
                    node.get("enqueued_by").asText(), instant(node.get("enqueued_at")),
                    WorkStatus.parse(node.get("status").asText()), instant(node.get("ready_at")), attempts,
                    instant(node.get("finished_at")));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalStateException("a stored work item cannot be read: " + e.getMessage(), e);
        }
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        return node == null || node.isNull() ? null : Instant.parse(node.asText());
    }
}
