package dev.nexus.store.sqlite;

import java.time.Duration;

/**
 * The bounds of the log writer.
 *
 * @param queueCapacity most appends (and maintenance requests) waiting for the writer; when full, an append waits
 *     up to {@code queueWait} for room and is then refused with {@code store_unavailable}
 * @param maxBatch most appends written in one transaction (one fsync)
 * @param pruneChunk most events removed by retention in one transaction
 * @param queueWait how long an append waits for room in a full queue
 * @param closeWait how long {@link SqliteEventLog#close()} waits for the writer to commit what is queued
 */
record WriterSettings(int queueCapacity, int maxBatch, int pruneChunk, Duration queueWait, Duration closeWait) {
    WriterSettings {
        if (queueCapacity < 1 || maxBatch < 1 || pruneChunk < 1) {
            throw new IllegalArgumentException("writer bounds must be positive: queue " + queueCapacity + ", batch "
                    + maxBatch + ", prune chunk " + pruneChunk);
        }
    }

    static WriterSettings defaults() {
        return new WriterSettings(10_000, 2_000, 5_000, Duration.ofSeconds(2), Duration.ofSeconds(30));
    }
}
