package dev.nexus.core.presence;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.core.spi.SessionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CapabilityRankingTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    private static SessionRecord session(String id, boolean online, String status, String work, int lastEventSecond,
            String... capabilities) {
        return new SessionRecord(id, null, status, work, List.of(capabilities), T0, T0.plusSeconds(lastEventSecond),
                online, online ? null : T0);
    }

    private static List<String> ids(List<CapabilityRanking.Match> matches) {
        return matches.stream().map(CapabilityRanking.Match::sessionId).toList();
    }

    @Test
    void onlySessionsWithEveryNeededCapabilityMatchCaseInsensitively() {
        List<SessionRecord> sessions = List.of(
                session("both", true, "active", null, 1, "Python", "websocket"),
                session("python-only", true, "active", null, 1, "python"),
                session("none", true, "active", null, 1));

        assertThat(ids(CapabilityRanking.rank(sessions, List.of("python", "WebSocket"), false, Map.of(), Set.of())))
                .containsExactly("both");
    }

    @Test
    void offlineAndExcludedSessionsNeverMatch() {
        List<SessionRecord> sessions = List.of(
                session("offline", false, "active", null, 1, "python"),
                session("asker", true, "active", null, 1, "python"),
                session("helper", true, "active", null, 1, "python"));

        assertThat(ids(CapabilityRanking.rank(sessions, List.of("python"), false, Map.of(), Set.of("asker"))))
                .containsExactly("helper");
    }

    @Test
    void idleComeBeforeBusyWhateverTheirLoad() {
        List<SessionRecord> sessions = List.of(
                session("busy-free", true, "working", null, 1, "python"),
                session("idle-loaded", true, "active", null, 1, "python"));

        assertThat(ids(CapabilityRanking.rank(sessions, List.of("python"), false, Map.of("idle-loaded", 5), Set.of())))
                .containsExactly("idle-loaded", "busy-free");
        assertThat(ids(CapabilityRanking.rank(sessions, List.of("python"), true, Map.of(), Set.of())))
                .as("idle only").containsExactly("idle-loaded");
    }

    @Test
    void amongEquallyAvailableTheLeastLoadedComesFirstCountingClaimsAndCurrentWork() {
        List<SessionRecord> sessions = List.of(
                session("two-claims", true, "working", null, 1, "python"),
                session("reports-work", true, "active", "fixing bug", 1, "python"),
                session("one-claim", true, "working", null, 1, "python"));

        List<CapabilityRanking.Match> ranked = CapabilityRanking.rank(sessions, List.of("python"), false,
                Map.of("two-claims", 2, "one-claim", 1), Set.of());

        assertThat(ids(ranked)).containsExactly("one-claim", "reports-work", "two-claims");
        assertThat(ranked).extracting(CapabilityRanking.Match::load).containsExactly(1, 1, 2);
    }

    @Test
    void equalLoadsGoToTheLongestIdleThenBySessionId() {
        List<SessionRecord> sessions = List.of(
                session("recent", true, "active", null, 9, "python"),
                session("b-old", true, "active", null, 1, "python"),
                session("a-old", true, "active", null, 1, "python"));

        assertThat(ids(CapabilityRanking.rank(sessions, List.of("python"), false, Map.of(), Set.of())))
                .containsExactly("a-old", "b-old", "recent");
    }

    @Test
    void noNeededCapabilityMatchesEveryOnlineSession() {
        List<SessionRecord> sessions = List.of(session("x", true, "active", null, 1),
                session("y", false, "active", null, 1));

        assertThat(ids(CapabilityRanking.rank(sessions, List.of(), false, Map.of(), Set.of()))).containsExactly("x");
    }
}
