package dev.nexus.core;

import dev.nexus.core.spi.LogPosition;
import java.util.List;

/**
 * What a resuming subscriber missed.
 *
 * @param recovered true when {@code events} is complete
 * @param reason why not, when not
 * @param events the missed events in seq order; empty when not recovered
 * @param headSeq the log's last seq when it was read
 * @param epoch the log's epoch
 */
record Replay(boolean recovered, String reason, List<EncodedEvent> events, long headSeq, String epoch) {
    static Replay notRecovered(String reason, LogPosition head) {
        return new Replay(false, reason, List.of(), head.seq(), head.epoch());
    }
}
