package dev.nexus.core.work;

import dev.nexus.core.spi.WorkAttempt;
import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.core.spi.WorkStatus;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.WorkCommand;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work queue's state: every item in memory, written through to the {@link WorkQueueStore}. Knows nothing of
 * claims; the {@link WorkCoordinator} calls it under its work lock, so mutations here are never concurrent, while
 * reads ({@link #get}, {@link #list}) may run at any time.
 *
 * <p>Order of hand-out: lowest priority number first (0 is critical), then enqueue order. An item is ready when it
 * is pending, its retry backoff has passed, and every item it depends on is completed.
 */
final class WorkQueue {
    private static final Comparator<WorkItem> HAND_OUT_ORDER =
            Comparator.comparingInt(WorkItem::priority).thenComparingLong(WorkItem::sequence);

    private final WorkQueueStore store;
    private final RetryPolicy retry;
    private final int maxItems;
    private final ConcurrentHashMap<String, WorkItem> items = new ConcurrentHashMap<>();
    private final TreeSet<WorkItem> pending = new TreeSet<>(HAND_OUT_ORDER);
    /** For each item, the pending items that depend on it (to dead-letter them with it). */
    private final ConcurrentHashMap<String, List<String>> dependents = new ConcurrentHashMap<>();
    private long lastSequence;

    WorkQueue(WorkQueueStore store, RetryPolicy retry, int maxItems) {
        this.store = store;
        this.retry = retry;
        this.maxItems = maxItems;
        for (WorkItem item : store.list()) {
            index(item);
            lastSequence = Math.max(lastSequence, item.sequence());
        }
    }

    Optional<WorkItem> get(String workId) {
        return Optional.ofNullable(items.get(workId));
    }

    boolean contains(String workId) {
        return items.containsKey(workId);
    }

    /** Items in a status (every item when null), in enqueue order. */
    List<WorkItem> list(WorkStatus status) {
        return items.values().stream()
                .filter(item -> status == null || item.status() == status)
                .sorted(Comparator.comparingLong(WorkItem::sequence))
                .toList();
    }

    /**
     * Adds an item.
     *
     * @throws NexusException {@code work_exists}, {@code queue_full}, or {@code invalid_field} when
     *     {@code depends_on} names an unknown or dead item
     */
    WorkItem enqueue(WorkCommand.Enqueue command, String sessionId, Instant now) {
        if (items.containsKey(command.workId())) {
            WorkItem existing = items.get(command.workId());
            throw new NexusException(ErrorCode.WORK_EXISTS, "work '" + command.workId() + "' is already queued ("
                    + existing.status().wire() + ")", Map.of("work_id", command.workId(), "status", existing.status().wire()));
        }
        if (items.size() >= maxItems) {
            throw new NexusException(ErrorCode.QUEUE_FULL, "the work queue holds its maximum of " + maxItems + " items",
                    Map.of("max_items", maxItems));
        }
        for (String dependency : command.dependsOn()) {
            WorkItem needed = items.get(dependency);
            if (needed == null || needed.status() == WorkStatus.DEAD) {
                throw new NexusException(ErrorCode.INVALID_FIELD, "depends_on names '" + dependency + "', which is "
                        + (needed == null ? "not in the queue" : "dead"), Map.of("field", "depends_on"));
            }
        }
        WorkItem item = new WorkItem(command.workId(), lastSequence + 1, command.description(),
                command.capabilitiesNeeded(), command.priority(), command.dependsOn(), command.maxAttempts(), sessionId,
                now, WorkStatus.PENDING, null, List.of(), null);
        if (!store.insert(item)) {
            throw new NexusException(ErrorCode.WORK_EXISTS, "work '" + command.workId() + "' is already queued",
                    Map.of("work_id", command.workId()));
        }
        lastSequence = item.sequence();
        index(item);
        return item;
    }

    /** Ready items whose needed capabilities are all in {@code capabilities} (lower case), in hand-out order. */
    List<WorkItem> candidates(Set<String> capabilities, Instant now, int limit) {
        List<WorkItem> ready = new ArrayList<>();
        for (WorkItem item : pending) {
            if (ready.size() == limit) {
                break;
            }
            if ((item.readyAt() == null || !item.readyAt().isAfter(now)) && dependenciesDone(item)
                    && item.capabilitiesNeeded().stream().allMatch(c -> capabilities.contains(c.toLowerCase(Locale.ROOT)))) {
                ready.add(item);
            }
        }
        return ready;
    }

    /** The item is now held by a claim. */
    WorkItem claimed(WorkItem item) {
        return save(items.get(item.workId()).withStatus(WorkStatus.CLAIMED));
    }

    /**
     * A grant of an item ended. Completed: the item is completed. A failure ({@link WorkAttempt#countsAsFailure}):
     * pending again after a backoff, or dead at its {@code max_attempts}. Otherwise (released, forced,
     * reassigned): pending again at once.
     *
     * @return the item as it now is, then every pending item that died with it because it depended on it
     */
    List<WorkItem> attemptEnded(String workId, WorkAttempt attempt) {
        WorkItem item = items.get(workId);
        WorkItem next;
        if (attempt.outcome().equals("completed")) {
            next = item.afterAttempt(attempt, WorkStatus.COMPLETED, null);
        } else if (attempt.countsAsFailure()) {
            int failures = item.failures() + 1;
            next = failures >= item.maxAttempts()
                    ? item.afterAttempt(attempt, WorkStatus.DEAD, null)
                    : item.afterAttempt(attempt, WorkStatus.PENDING, attempt.endedAt().plus(retry.backoff(failures)));
        } else {
            next = item.afterAttempt(attempt, WorkStatus.PENDING, null);
        }
        List<WorkItem> changed = new ArrayList<>();
        changed.add(save(next));
        if (next.status() == WorkStatus.DEAD) {
            killDependents(next.workId(), attempt.endedAt(), changed);
        }
        return changed;
    }

    /** At start-up: an item left claimed whose claim is gone is pending again; one pending but claimed is claimed. */
    void reconcile(Set<String> claimedIds) {
        for (WorkItem item : List.copyOf(items.values())) {
            if (item.status() == WorkStatus.CLAIMED && !claimedIds.contains(item.workId())) {
                save(item.withStatus(WorkStatus.PENDING));
            } else if (item.status() == WorkStatus.PENDING && claimedIds.contains(item.workId())) {
                save(item.withStatus(WorkStatus.CLAIMED));
            }
        }
    }

    private void killDependents(String deadId, Instant at, List<WorkItem> changed) {
        for (String dependentId : dependents.getOrDefault(deadId, List.of())) {
            WorkItem dependent = items.get(dependentId);
            if (dependent != null && dependent.status() == WorkStatus.PENDING) {
                changed.add(save(dependent.finished(WorkStatus.DEAD, at)));
                killDependents(dependentId, at, changed);
            }
        }
    }

    private boolean dependenciesDone(WorkItem item) {
        for (String dependency : item.dependsOn()) {
            WorkItem needed = items.get(dependency);
            if (needed == null || needed.status() != WorkStatus.COMPLETED) {
                return false;
            }
        }
        return true;
    }

    private WorkItem save(WorkItem item) {
        store.update(item);
        WorkItem previous = items.put(item.workId(), item);
        if (previous != null) {
            pending.remove(previous);
        }
        if (item.status() == WorkStatus.PENDING) {
            pending.add(item);
        }
        return item;
    }

    private void index(WorkItem item) {
        items.put(item.workId(), item);
        if (item.status() == WorkStatus.PENDING) {
            pending.add(item);
        }
        for (String dependency : item.dependsOn()) {
            dependents.computeIfAbsent(dependency, id -> new ArrayList<>()).add(item.workId());
        }
    }
}
