package dev.nexus.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Reads {@link WorkCommand}s from a JSON object: an HTTP body or a WebSocket frame; both transports accept the
 * same fields and refuse the same mistakes with the same codes ({@code missing_field}, {@code invalid_field}
 * naming the field).
 */
public final class WorkCommandReader {
    /** The actions this reader knows, in the order the documentation lists them. */
    public static final List<String> ACTIONS = List.of("claim", "renew", "release", "complete", "fail", "enqueue", "next");
    public static final int DEFAULT_PRIORITY = 2;
    public static final int DEFAULT_MAX_ATTEMPTS = 3;
    public static final int MAX_ATTEMPTS_LIMIT = 100;
    public static final int MAX_RESOURCES = 64;
    public static final int MAX_CAPABILITIES = 32;
    public static final int MAX_DEPENDENCIES = 64;
    public static final int MAX_REASON_LENGTH = 1024;

    private WorkCommandReader() {
    }

    /** Whether {@code action} names a work command. */
    public static boolean isWorkAction(String action) {
        return ACTIONS.contains(action);
    }

    /**
     * @param action one of {@link #ACTIONS}
     * @throws NexusException for a missing or invalid field
     * @throws IllegalArgumentException for an action that is not a work action (a caller's bug)
     */
    public static WorkCommand read(String action, JsonNode body) {
        return switch (action) {
            case "claim" -> new WorkCommand.Claim(WorkId.read(body), WorkId.readDescription(body), leaseTtl(body),
                    resources(body), mode(body));
            case "renew" -> new WorkCommand.Renew(WorkId.read(body), fencingToken(body), leaseTtl(body));
            case "release" -> new WorkCommand.Release(WorkId.read(body), fencingToken(body));
            case "complete" -> new WorkCommand.Complete(WorkId.read(body), fencingToken(body), body.get("result"));
            case "fail" -> new WorkCommand.Fail(WorkId.read(body), fencingToken(body),
                    optionalText(body, "reason", MAX_REASON_LENGTH));
            case "enqueue" -> new WorkCommand.Enqueue(WorkId.read(body), WorkId.readDescription(body),
                    strings(body, "capabilities_needed", MAX_CAPABILITIES, WorkId.MAX_LENGTH),
                    intField(body, "priority", 0, 4, DEFAULT_PRIORITY),
                    strings(body, "depends_on", MAX_DEPENDENCIES, WorkId.MAX_LENGTH),
                    intField(body, "max_attempts", 1, MAX_ATTEMPTS_LIMIT, DEFAULT_MAX_ATTEMPTS));
            case "next" -> new WorkCommand.Next(leaseTtl(body));
            default -> throw new IllegalArgumentException("not a work action: " + action);
        };
    }

    /** {@code lease_ttl_s}, or its seed-000 name {@code ttl_seconds}; both given must agree. Null when absent. */
    private static Long leaseTtl(JsonNode body) {
        Long lease = positiveLong(body, "lease_ttl_s");
        Long legacy = positiveLong(body, "ttl_seconds");
        if (lease != null && legacy != null && !lease.equals(legacy)) {
            throw invalid("lease_ttl_s", "lease_ttl_s and ttl_seconds (its older name) disagree; send one");
        }
        return lease != null ? lease : legacy;
    }

    private static Long fencingToken(JsonNode body) {
        return positiveLong(body, "fencing_token");
    }

    private static Long positiveLong(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isIntegralNumber() || !node.canConvertToLong() || node.longValue() < 1) {
            throw invalid(field, field + " must be a positive integer");
        }
        return node.longValue();
    }

    private static int intField(JsonNode body, String field, int min, int max, int absent) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return absent;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw invalid(field, field + " must be an integer from " + min + " to " + max);
        }
        return node.intValue();
    }

    private static String optionalText(JsonNode body, String field, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > maxLength) {
            throw invalid(field, field + " must be a string of at most " + maxLength + " characters");
        }
        return node.textValue();
    }

    /** An optional array of distinct non-blank strings; empty when absent. */
    private static List<String> strings(JsonNode body, String field, int maxItems, int maxLength) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > maxItems) {
            throw invalid(field, field + " must be an array of at most " + maxItems + " strings");
        }
        LinkedHashSet<String> values = new LinkedHashSet<>();
        for (JsonNode item : node) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > maxLength) {
                throw invalid(field, "each entry of " + field + " must be a non-blank string of at most "
                        + maxLength + " characters");
            }
            values.add(item.textValue());
        }
        return List.copyOf(values);
    }

    private static List<ResourceGlob> resources(JsonNode body) {
        List<ResourceGlob> globs = new ArrayList<>();
        for (String text : strings(body, "resources", MAX_RESOURCES, ResourceGlob.MAX_LENGTH)) {
            globs.add(ResourceGlob.parse(text));
        }
        return globs;
    }

    private static ReservationMode mode(JsonNode body) {
        JsonNode node = body.get("mode");
        if (node == null || node.isNull()) {
            return ReservationMode.EXCLUSIVE;
        }
        if (!node.isTextual()) {
            throw invalid("mode", "mode must be \"exclusive\" or \"shared\"");
        }
        return ReservationMode.parse(node.textValue());
    }

    private static NexusException invalid(String field, String message) {
        return new NexusException(ErrorCode.INVALID_FIELD, message, Map.of("field", field));
    }
}
