package dev.nexus.core.spi;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One item of the work queue.
 *
 * @param workId its id, unique among items and claims
 * @param sequence its enqueue order, strictly increasing per store
 * @param description what it is; may be null
 * @param capabilitiesNeeded skills a session must have announced to be handed it (case-insensitive); may be empty
 * @param priority 0 (critical, handed out first) … 4 (bulk)
 * @param dependsOn items that must be completed before it is ready; may be empty
 * @param maxAttempts failed attempts after which it is dead
 * @param enqueuedBy the session that enqueued it
 * @param enqueuedAt when
 * @param status where it is
 * @param readyAt not handed out before this instant (retry backoff); null when ready now
 * @param attempts every finished attempt, oldest first
 * @param finishedAt when it became completed or dead; null before
 */
public record WorkItem(String workId, long sequence, String description, List<String> capabilitiesNeeded,
        int priority, List<String> dependsOn, int maxAttempts, String enqueuedBy, Instant enqueuedAt,
        WorkStatus status, Instant readyAt, List<WorkAttempt> attempts, Instant finishedAt) {
    public WorkItem {
        Objects.requireNonNull(workId, "workId");
        Objects.requireNonNull(enqueuedBy, "enqueuedBy");
        Objects.requireNonNull(enqueuedAt, "enqueuedAt");
        Objects.requireNonNull(status, "status");
        capabilitiesNeeded = List.copyOf(capabilitiesNeeded);
        dependsOn = List.copyOf(dependsOn);
        attempts = List.copyOf(attempts);
    }

    /** Finished attempts that count against {@link #maxAttempts}. */
    public int failures() {
        return (int) attempts.stream().filter(WorkAttempt::countsAsFailure).count();
    }

    public WorkItem withStatus(WorkStatus newStatus) {
        return new WorkItem(workId, sequence, description, capabilitiesNeeded, priority, dependsOn, maxAttempts,
                enqueuedBy, enqueuedAt, newStatus, readyAt, attempts, finishedAt);
    }

    /** This item after an attempt ended, in {@code newStatus}, ready again at {@code newReadyAt}. */
    public WorkItem afterAttempt(WorkAttempt attempt, WorkStatus newStatus, Instant newReadyAt) {
        List<WorkAttempt> all = new ArrayList<>(attempts);
        all.add(attempt);
        return new WorkItem(workId, sequence, description, capabilitiesNeeded, priority, dependsOn, maxAttempts,
                enqueuedBy, enqueuedAt, newStatus, newReadyAt, all, newStatus.isFinal() ? attempt.endedAt() : null);
    }

    /** This item made final without an attempt (a dependency died). */
    public WorkItem finished(WorkStatus finalStatus, Instant at) {
        return new WorkItem(workId, sequence, description, capabilitiesNeeded, priority, dependsOn, maxAttempts,
                enqueuedBy, enqueuedAt, finalStatus, null, attempts, at);
    }
}
