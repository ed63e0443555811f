package dev.nexus.core.work;

/**
 * How work claims and the work queue behave.
 *
 * @param leases lease lengths
 * @param retry backoff of failed queue items
 * @param maxQueueItems most items the queue holds, in every status; an enqueue past it is refused with
 *     {@code queue_full}
 */
public record WorkOptions(LeasePolicy leases, RetryPolicy retry, int maxQueueItems) {
    public static final int DEFAULT_MAX_QUEUE_ITEMS = 100_000;

    public WorkOptions {
        if (leases == null || retry == null || maxQueueItems < 1) {
            throw new IllegalArgumentException("work options need leases, a retry policy and a positive queue bound");
        }
    }

    public static WorkOptions defaults() {
        return new WorkOptions(LeasePolicy.upTo(java.time.Duration.ofHours(24)), RetryPolicy.defaults(),
                DEFAULT_MAX_QUEUE_ITEMS);
    }

    public WorkOptions withLeases(LeasePolicy newLeases) {
        return new WorkOptions(newLeases, retry, maxQueueItems);
    }

    public WorkOptions withRetry(RetryPolicy newRetry) {
        return new WorkOptions(leases, newRetry, maxQueueItems);
    }
}
