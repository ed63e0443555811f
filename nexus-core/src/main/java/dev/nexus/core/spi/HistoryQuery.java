package dev.nexus.core.spi;

import dev.nexus.protocol.TopicPattern;
import java.time.Instant;

/**
 * What to read from the event log.
 *
 * @param since only events with a timestamp at or after this instant; null for no lower bound
 * @param pattern only events whose type matches; null for all types
 * @param limit most events returned, at least 1
 * @param includeDirect whether direct messages (events with a target session) are included
 */
public record HistoryQuery(Instant since, TopicPattern pattern, int limit, boolean includeDirect) {
    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
    }
}
