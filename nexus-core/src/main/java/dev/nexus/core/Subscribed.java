package dev.nexus.core;

import java.util.List;

/**
 * The outcome of a subscribe.
 *
 * @param subscriptions every pattern the connection now holds
 * @param recovered for a subscribe with a {@link Resume}: true when every missed matching event was (or is being)
 *     delivered before live ones, with no gap and no duplicate; false when the gap cannot be filled; null when no
 *     resume was asked for
 * @param reason why not recovered: {@code epoch_changed}, {@code beyond_retention} or {@code unknown_position};
 *     null otherwise
 * @param recoveredEvents how many missed events were replayed
 * @param headSeq the log's last seq when the subscription took effect
 * @param epoch the log's epoch
 */
public record Subscribed(List<String> subscriptions, Boolean recovered, String reason, int recoveredEvents,
        long headSeq, String epoch) {
}
