package dev.nexus.core.memory;

import dev.nexus.core.spi.PresenceStore;
import dev.nexus.core.spi.SessionRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/** Session records in a concurrent map: one node, lost on restart. */
public final class MemoryPresenceStore implements PresenceStore {
    private final ConcurrentHashMap<String, SessionRecord> records = new ConcurrentHashMap<>();

    @Override
    public SessionRecord update(String sessionId, UnaryOperator<SessionRecord> change) {
        return records.compute(sessionId, (id, current) -> change.apply(current));
    }

    @Override
    public Optional<SessionRecord> get(String sessionId) {
        return Optional.ofNullable(records.get(sessionId));
    }

    @Override
    public List<SessionRecord> list() {
        return List.copyOf(records.values());
    }

    @Override
    public void forgetOfflineBefore(Instant cutoff) {
        records.values().removeIf(r -> !r.online() && r.disconnectedAt() != null && r.disconnectedAt().isBefore(cutoff));
    }
}
