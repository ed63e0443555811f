package dev.nexus.server.ssot;

import dev.nexus.core.Node;
import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.core.spi.SessionRecord;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bus state that the SSOT files show, read once so that every file of one sync tells the same story.
 *
 * @param takenAt when it was read (the files' {@code updated_at})
 * @param position the log head read before the state: the state reflects at least every event up to it
 * @param sessions every known session, online or recently offline, ordered by session id
 * @param claims every current work claim, ordered by work id
 */
record SsotSnapshot(Instant takenAt, LogPosition position, List<SessionRecord> sessions, List<Claim> claims) {

    SsotSnapshot {
        sessions = List.copyOf(sessions);
        claims = List.copyOf(claims);
    }

    /** Reads the node's state now. Non-blocking apart from the stores' own reads. */
    static SsotSnapshot capture(Node node, Clock clock) {
        LogPosition head = node.head();
        List<SessionRecord> sessions = node.presence().all();
        List<Claim> claims = new ArrayList<>(node.work().claimed());
        claims.sort(Comparator.comparing(Claim::workId));
        return new SsotSnapshot(clock.instant(), head, sessions, claims);
    }

    /** Work ids claimed by each session, in work id order; sessions without claims are absent. */
    Map<String, List<String>> claimedWorkBySession() {
        Map<String, List<String>> bySession = new LinkedHashMap<>();
        for (Claim claim : claims) {
            bySession.computeIfAbsent(claim.claimedBy(), id -> new ArrayList<>()).add(claim.workId());
        }
        return bySession;
    }
}
