package dev.nexus.protocol;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One event as the bus stores and delivers it. Immutable once sequenced; the payload node must not be modified
 * after construction (it is shared by every reader).
 *
 * @param eventId UUIDv7, time-ordered
 * @param seq position in the bus log, strictly increasing; 0 only before the log assigned it
 * @param eventType the topic, such as {@code work.claimed}
 * @param sessionId the publishing session (for server-generated session and work events, the session concerned)
 * @param timestamp when the bus accepted the event, millisecond precision
 * @param payload a JSON object, never null
 * @param targetSessionId for a direct message, the only session that receives it; else null
 * @param correlationId optional client correlation id
 * @param causationId optional id of the event that caused this one
 * @param priority 0 (critical) … 4 (bulk), or null when the publisher gave none (treated as 2)
 * @param ttl optional seconds the event stays in history (never beyond the log's retention); null for the log's retention
 * @param tags optional labels; null when none were given
 * @param idempotencyKey the publisher's key for safe retries (unique per session within the dedup window), or null
 */
public record Event(
        String eventId,
        long seq,
        String eventType,
        String sessionId,
        Instant timestamp,
        ObjectNode payload,
        String targetSessionId,
        String correlationId,
        String causationId,
        Integer priority,
        Integer ttl,
        List<String> tags,
        String idempotencyKey) {

    public static final int DEFAULT_PRIORITY = 2;

    public Event {
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(timestamp, "timestamp");
        Objects.requireNonNull(payload, "payload");
        tags = tags == null ? null : List.copyOf(tags);
    }

    /** The same event at a log position. */
    public Event withSeq(long newSeq) {
        return new Event(eventId, newSeq, eventType, sessionId, timestamp, payload, targetSessionId,
                correlationId, causationId, priority, ttl, tags, idempotencyKey);
    }

    /** True for a direct message: only {@link #targetSessionId()} receives it. */
    public boolean isDirect() {
        return targetSessionId != null;
    }
}
