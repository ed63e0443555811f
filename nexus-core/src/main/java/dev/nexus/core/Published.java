package dev.nexus.core;

import java.time.Instant;
import java.util.List;

/**
 * The bus accepted an event.
 *
 * @param eventId its UUIDv7
 * @param seq its log position
 * @param epoch the log's epoch
 * @param timestamp when it was accepted
 * @param duplicate true when this answers a retry: the event was already published with the same idempotency key
 *     and nothing new was stored
 * @param routedTo for a {@code help.needed} event with {@code capabilities_needed}: the sessions it was routed to
 *     as {@code help.request}, best match first (possibly none); null for every other event
 */
public record Published(String eventId, long seq, String epoch, Instant timestamp, boolean duplicate,
        List<String> routedTo) {

    public Published {
        routedTo = routedTo == null ? null : List.copyOf(routedTo);
    }

    public Published(String eventId, long seq, String epoch, Instant timestamp, boolean duplicate) {
        this(eventId, seq, epoch, timestamp, duplicate, null);
    }

    /** The same outcome, reported to a retry. */
    public Published asDuplicate() {
        return new Published(eventId, seq, epoch, timestamp, true, routedTo);
    }

    /** The same outcome, routed to these sessions. */
    public Published withRoutedTo(List<String> sessions) {
        return new Published(eventId, seq, epoch, timestamp, duplicate, sessions);
    }
}
