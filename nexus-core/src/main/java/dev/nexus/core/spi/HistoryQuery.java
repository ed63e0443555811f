package dev.nexus.core.spi;

import dev.nexus.protocol.TopicPattern;
import java.time.Instant;

/**
 * What to read from the event log. Results are in seq order (which is also time order).
 *
 * <ul>
 *   <li>With {@code afterSeq}: the first {@code limit} matching events with a greater seq (paging and resume).</li>
 *   <li>Else with {@code since}: the first {@code limit} matching events at or after that instant.</li>
 *   <li>Else: the most recent {@code limit} matching events.</li>
 * </ul>
 *
 * @param since lower time bound, or null
 * @param afterSeq exclusive lower seq bound, or null
 * @param pattern only events whose type matches; null for all types
 * @param limit most events returned, at least 1
 * @param includeDirect whether direct messages (events with a target session) are included
 */
public record HistoryQuery(Instant since, Long afterSeq, TopicPattern pattern, int limit, boolean includeDirect) {
    public HistoryQuery {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive: " + limit);
        }
        if (afterSeq != null && afterSeq < 0) {
            throw new IllegalArgumentException("afterSeq must not be negative: " + afterSeq);
        }
    }

    /** The most recent or since-a-time form. */
    public HistoryQuery(Instant since, TopicPattern pattern, int limit, boolean includeDirect) {
        this(since, null, pattern, limit, includeDirect);
    }

    /** Events after a seq, for paging and resume. */
    public static HistoryQuery afterSeq(long seq, TopicPattern pattern, int limit, boolean includeDirect) {
        return new HistoryQuery(null, seq, pattern, limit, includeDirect);
    }
}
