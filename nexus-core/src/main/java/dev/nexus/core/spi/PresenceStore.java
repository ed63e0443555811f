package dev.nexus.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Where session records live. In a cluster, every node sees the same records.
 *
 * <p>Atomicity: {@link #update} is an atomic read-modify-write of one record: concurrent updates to the same
 * session are applied one after another, none lost. Records of different sessions are independent.
 */
public interface PresenceStore {
    /**
     * Applies {@code change} to the record of {@code sessionId} and stores the result. {@code change} receives null
     * when there is no record, and may return null to leave no record. May be retried, so it must be pure.
     *
     * @return the stored record, or null when none is left
     */
    SessionRecord update(String sessionId, UnaryOperator<SessionRecord> change);

    /** The record of one session, if any. */
    Optional<SessionRecord> get(String sessionId);

    /** All records, online and offline, in no particular order. */
    List<SessionRecord> list();

    /** Forgets offline sessions that went offline before {@code cutoff}; online ones are kept. */
    void forgetOfflineBefore(Instant cutoff);
}
