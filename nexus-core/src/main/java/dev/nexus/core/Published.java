package dev.nexus.core;

import java.time.Instant;

/**
 * The bus accepted an event.
 *
 * @param eventId its UUIDv7
 * @param seq its log position
 * @param epoch the log's epoch
 * @param timestamp when it was accepted
 */
public record Published(String eventId, long seq, String epoch, Instant timestamp) {
}
