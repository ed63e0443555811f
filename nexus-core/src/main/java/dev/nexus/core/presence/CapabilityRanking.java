package dev.nexus.core.presence;

import dev.nexus.core.spi.SessionRecord;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which online sessions can help with a set of capabilities, best first. The one ranking behind both
 * {@code GET /sessions/capabilities} and the routing of {@code help.needed} events.
 *
 * <p>A session matches when it is online and announced every needed capability (compared case-insensitively;
 * no needed capability matches every online session). Matches are ordered: idle before busy; then least loaded
 * (claims held, plus one while it reports current work); then the one idle the longest (oldest last event), so
 * work spreads; then by session id, so the order is total.
 */
public final class CapabilityRanking {
    private CapabilityRanking() {
    }

    /**
     * A matching session and why it ranks where it does.
     *
     * @param record the session
     * @param availability idle or busy
     * @param load claims held plus one when it reports current work
     */
    public record Match(SessionRecord record, Availability availability, int load) {
        public String sessionId() {
            return record.sessionId();
        }
    }

    /**
     * @param sessions candidate records; offline ones never match
     * @param needed the capabilities wanted, all of them
     * @param idleOnly when true, busy sessions are left out
     * @param claimsHeld number of claims each session holds; absent means none
     * @param excluded sessions never returned (for instance the one asking for help)
     */
    public static List<Match> rank(Collection<SessionRecord> sessions, Collection<String> needed, boolean idleOnly,
            Map<String, Integer> claimsHeld, Set<String> excluded) {
        Set<String> wanted = lowerCase(needed);
        return sessions.stream()
                .filter(SessionRecord::online)
                .filter(r -> !excluded.contains(r.sessionId()))
                .filter(r -> lowerCase(r.capabilities()).containsAll(wanted))
                .map(r -> new Match(r, Availability.of(r),
                        claimsHeld.getOrDefault(r.sessionId(), 0) + (r.currentWork() == null ? 0 : 1)))
                .filter(m -> !idleOnly || m.availability() == Availability.IDLE)
                .sorted(Comparator.comparing(Match::availability)
                        .thenComparingInt(Match::load)
                        .thenComparing(m -> m.record().lastEvent())
                        .thenComparing(Match::sessionId))
                .toList();
    }

    private static Set<String> lowerCase(Collection<String> values) {
        return values.stream().map(v -> v.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
