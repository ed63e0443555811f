package dev.nexus.server.work;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The threads work operations run on, off the Vert.x event loops (claims and queue items may be written to SQLite
 * with an fsync each). {@value #THREADS} threads; at most {@value #QUEUE_CAPACITY} operations wait, past which
 * one is refused with {@code server_busy} (503) rather than queued without bound. Closing stops the threads.
 */
public final class WorkExecutor implements AutoCloseable {
    public static final int THREADS = 4;
    public static final int QUEUE_CAPACITY = 4096;

    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(THREADS, THREADS, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(QUEUE_CAPACITY), runnable -> {
                Thread thread = new Thread(runnable, "nexus-work");
                thread.setDaemon(true);
                return thread;
            });

    /** Runs {@code task} on a work thread; the future fails with what it threw, or {@code server_busy}. */
    public <T> CompletableFuture<T> submit(Supplier<T> task) {
        try {
            return CompletableFuture.supplyAsync(task, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new NexusException(ErrorCode.SERVER_BUSY,
                    "more than " + QUEUE_CAPACITY + " work operations are waiting; retry shortly"));
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
