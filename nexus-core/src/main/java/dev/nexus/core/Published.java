package dev.nexus.core;

import java.time.Instant;

/**
 * The bus accepted an event.
 *
 * @param eventId its UUIDv7
 * @param seq its log position
 * @param epoch the log's epoch
 * @param timestamp when it was accepted
 * @param duplicate true when this answers a retry: the event was already published with the same idempotency key
 *     and nothing new was stored
 */
public record Published(String eventId, long seq, String epoch, Instant timestamp, boolean duplicate) {
    /** The same outcome, reported to a retry. */
    public Published asDuplicate() {
        return new Published(eventId, seq, epoch, timestamp, true);
    }
}
