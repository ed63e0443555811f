package dev.nexus.core.inbox;

import dev.nexus.core.spi.InboxEntry;
import dev.nexus.core.spi.InboxStore;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes inbox changes to the {@link InboxStore} on one thread of its own ({@code nexus-inbox-writer}), in the
 * order they were made, so a store on disk never blocks a caller. The queue holds at most {@value #QUEUE} changes;
 * a change that does not fit fails with {@code store_unavailable} (a new message is then refused; a state change
 * stays in memory only and is logged).
 */
final class InboxWriter implements AutoCloseable {
    static final int QUEUE = 65_536;
    private static final Logger LOG = LoggerFactory.getLogger(InboxWriter.class);

    private final InboxStore store;
    private final ThreadPoolExecutor thread;

    InboxWriter(InboxStore store) {
        this.store = store;
        this.thread = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "nexus-inbox-writer");
            t.setDaemon(true);
            return t;
        });
    }

    /** Saves entries; the future completes once they are stored. */
    CompletableFuture<Void> save(List<InboxEntry> entries) {
        return submit(() -> store.save(entries), "save");
    }

    CompletableFuture<Void> delete(List<InboxEntry> entries) {
        return submit(() -> store.delete(entries), "delete");
    }

    private CompletableFuture<Void> submit(Runnable change, String what) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            thread.execute(() -> {
                try {
                    change.run();
                    done.complete(null);
                } catch (RuntimeException e) {
                    LOG.error("inbox {} failed: {}", what, e.getMessage());
                    done.completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException e) {
            LOG.error("inbox {} refused: {} changes are waiting to be written", what, QUEUE);
            done.completeExceptionally(new NexusException(ErrorCode.STORE_UNAVAILABLE,
                    "the inbox store is " + QUEUE + " changes behind; retry shortly"));
        }
        return done;
    }

    /** Writes what is queued (up to 10 seconds), then stops; idempotent. */
    @Override
    public void close() {
        thread.shutdown();
        try {
            if (!thread.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("inbox writer did not finish its queue within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
