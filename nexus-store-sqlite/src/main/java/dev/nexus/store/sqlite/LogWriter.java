package dev.nexus.store.sqlite;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes the event log ("nexus-log-writer"), with group commit: it takes every append waiting
 * in its bounded queue (up to {@link WriterSettings#maxBatch()}), inserts them in one transaction together with
 * at most one chunk of retention, commits (the fsync, under {@code synchronous=FULL}), then completes the batch's
 * durable stages in seq order on this thread. Callbacks chained onto those stages therefore run here: they must
 * be quick and must not wait for the log.
 *
 * <p>When a transaction fails (disk full, I/O error, a damaged file) the writer records the failure, logs it once
 * at ERROR, completes the batch's stages exceptionally with {@code store_unavailable}, and from then on fails
 * every append it is given: nothing after a failed batch is written, so the committed log never has a gap.
 *
 * <p>Appends reach the queue in seq order (the log enqueues under its append lock), and a single thread writes
 * them, so commits and completions happen in seq order.
 */
final class LogWriter {
    private static final Logger LOG = LoggerFactory.getLogger(LogWriter.class);

    /** Work for the writer thread. */
    sealed interface Task permits Append, Prune, Stop {
    }

    /**
     * One event to store.
     *
     * @param event the event with its seq
     * @param durable completed once committed; null when the append was acknowledged without waiting for disk
     */
    /**
     * @param json the event's wire form when the caller already encoded it (with its seq), else null
     */
    record Append(Event event, byte[] json, CompletableFuture<Void> durable) implements Task {
    }

    /** Remove events older than {@code cutoff}; {@code done} completes once nothing beyond retention is left. */
    record Prune(Instant cutoff, CompletableFuture<Void> done) implements Task {
    }

    /** Commit what came before, then end the thread. */
    record Stop() implements Task {
    }

    private final DatabaseFile file;
    private final Connection connection;
    /** The writer's statements, prepared once: begin, insert, retention, commit. */
    private final StatementCache statements;
    private final PreparedStatement insert;
    private final Pruner pruner;
    private final boolean countBytes;
    private final WriterSettings settings;
    private final BlockingQueue<Task> queue;
    private final Thread thread;
    private final Object commitSignal = new Object();

    private volatile LogExtent committed;
    private volatile NexusException refusal;
    private volatile String failure;
    private volatile boolean stopped;
    private volatile long commits;

    // Owned by the writer thread.
    private Instant ageCutoff;
    private final List<CompletableFuture<Void>> pruneWaiters = new ArrayList<>();

    /**
     * @param connection the write connection; the writer owns and closes it
     * @param extent the committed log at open
     */
    LogWriter(DatabaseFile file, Connection connection, Pruner pruner, boolean countBytes, LogExtent extent,
            WriterSettings settings) throws SQLException {
        this.file = file;
        this.connection = connection;
        this.statements = new StatementCache(connection);
        this.insert = statements.get(EventRows.INSERT);
        this.pruner = pruner;
        this.countBytes = countBytes;
        this.settings = settings;
        this.committed = extent;
        this.queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        this.thread = new Thread(this::run, "nexus-log-writer");
        this.thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /**
     * Queues an append behind every earlier one. When the queue is full, waits up to
     * {@link WriterSettings#queueWait()} for room.
     *
     * @return false when there was no room in time; the append is then not queued
     */
    boolean enqueue(Append append) throws InterruptedException {
        if (!queue.offer(append, settings.queueWait().toNanos(), TimeUnit.NANOSECONDS)) {
            return false;
        }
        if (stopped && queue.remove(append)) {
            throw refusalOrClosed();
        }
        return true;
    }

    /**
     * Asks the writer to remove events older than {@code cutoff} (and anything beyond the count and byte limits)
     * and waits until it has, chunk by chunk between batches of appends. Returns early when the writer fails or
     * stops, or after {@link WriterSettings#closeWait()}.
     */
    void prune(Instant cutoff) throws InterruptedException {
        if (stopped || refusal != null) {
            return;
        }
        Prune prune = new Prune(cutoff, new CompletableFuture<>());
        long wait = settings.closeWait().toNanos();
        if (!queue.offer(prune, wait, TimeUnit.NANOSECONDS) || (stopped && queue.remove(prune))) {
            return;
        }
        try {
            prune.done().get(wait, TimeUnit.NANOSECONDS);
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("retention of {} did not finish in {}: {}", file.path(), settings.closeWait(), e.toString());
        }
    }

    /** Commits everything queued before this call, then ends the writer and closes its connection. */
    void stop() throws InterruptedException {
        long wait = settings.closeWait().toNanos();
        if (!stopped && !queue.offer(new Stop(), wait, TimeUnit.NANOSECONDS)) {
            LOG.error("the event log writer for {} took no stop request within {}", file.path(), settings.closeWait());
        }
        thread.join(settings.closeWait().toMillis());
        if (thread.isAlive()) {
            LOG.error("the event log writer for {} did not finish within {}; events still queued may not be stored",
                    file.path(), settings.closeWait());
        }
    }

    /** The committed log as of the last commit. */
    LogExtent committed() {
        return committed;
    }

    /** Why the writer cannot store events, or null while it can. */
    String failure() {
        return failure;
    }

    /** The exception appends get once the writer has failed, or null while it is healthy. */
    NexusException refusal() {
        return refusal;
    }

    /** Transactions committed so far. */
    long commits() {
        return commits;
    }

    /**
     * Waits until the event at {@code seq} is committed, the writer fails or stops, or {@code max} passes,
     * whichever comes first.
     */
    void awaitCommitted(long seq, Duration max) throws InterruptedException {
        if (committed.head() >= seq) {
            return;
        }
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (commitSignal) {
            while (committed.head() < seq && refusal == null && !stopped) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                TimeUnit.NANOSECONDS.timedWait(commitSignal, left);
            }
        }
    }

    private void run() {
        try {
            boolean stopping = false;
            List<Task> tasks = new ArrayList<>();
            List<Append> batch = new ArrayList<>();
            while (!stopping) {
                Task first = maintenanceDue() ? queue.poll() : queue.take();
                tasks.clear();
                batch.clear();
                if (first != null) {
                    tasks.add(first);
                    queue.drainTo(tasks, settings.maxBatch() - 1);
                }
                for (Task task : tasks) {
                    switch (task) {
                        case Append append -> batch.add(append);
                        case Prune prune -> {
                            ageCutoff = ageCutoff == null || prune.cutoff().isAfter(ageCutoff) ? prune.cutoff() : ageCutoff;
                            pruneWaiters.add(prune.done());
                        }
                        case Stop stop -> stopping = true;
                    }
                }
                write(batch);
                if (!maintenanceDue()) {
                    releasePruneWaiters();
                }
            }
            markClosedCleanly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail(new IllegalStateException("the writer thread was interrupted"), List.of());
        } catch (RuntimeException | Error e) {
            fail(e, List.of());
            throw e;
        } finally {
            stopped = true;
            refuseLeftovers();
            releasePruneWaiters();
            signalCommit();
            closeConnection();
        }
    }

    private boolean maintenanceDue() {
        return refusal == null && (ageCutoff != null || pruner.overLimit(committed));
    }

    /** One transaction: the batch's inserts plus at most one chunk of retention; then the batch's completions. */
    private void write(List<Append> batch) {
        if (refusal != null) {
            refuse(batch);
            return;
        }
        if (batch.isEmpty() && !maintenanceDue()) {
            return;
        }
        try {
            Transaction.begin(statements);
            LogExtent extent = committed;
            if (!batch.isEmpty()) {
                long bytes = extent.bytes();
                for (Append append : batch) {
                    int size = EventRows.bind(insert, append.event(), append.json());
                    bytes += countBytes ? size : 0;
                    insert.addBatch();
                }
                insert.executeBatch();
                extent = new LogExtent(extent.firstSeq(), batch.getLast().event().seq(), bytes);
            }
            Pruner.Trimmed trimmed = pruner.trim(statements, extent, ageCutoff);
            Transaction.commit(statements);
            commits++;
            committed = trimmed.extent();
            if (trimmed.ageDone()) {
                ageCutoff = null;
            }
        } catch (SQLException | RuntimeException e) {
            fail(e, batch);
            return;
        }
        signalCommit();
        for (Append append : batch) {
            if (append.durable() != null) {
                append.durable().complete(null);
            }
        }
    }

    /** Records the first failure (one ERROR line) and refuses the batch; later failures only refuse. */
    private void fail(Throwable cause, List<Append> batch) {
        rollbackQuietly();
        if (refusal != null) {
            refuse(batch);
            return;
        }
        String reason = cause instanceof SQLException sql ? DatabaseFile.explain(sql) : cause.toString();
        failure = "the event log in " + file.path() + " cannot store events: " + reason
                + "; publishes are refused until Nexus is restarted";
        refusal = new NexusException(ErrorCode.STORE_UNAVAILABLE,
                "events cannot be stored: the event log failed (" + reason + ")");
        long acknowledged = batch.stream().filter(append -> append.durable() == null).count();
        LOG.error(acknowledged == 0 ? failure : failure + "; lost " + acknowledged + " acknowledged but not yet "
                + "written event(s), seq " + batch.getFirst().event().seq() + " to " + batch.getLast().event().seq());
        LOG.debug("event log failure", cause);
        refuse(batch);
        signalCommit();
    }

    private NexusException refusalOrClosed() {
        return refusal != null ? refusal
                : new NexusException(ErrorCode.STORE_UNAVAILABLE, "events cannot be stored: the event log is closed");
    }

    private void refuse(List<Append> batch) {
        NexusException why = refusalOrClosed();
        for (Append append : batch) {
            if (append.durable() != null) {
                append.durable().completeExceptionally(why);
            }
        }
    }

    /** Anything still queued once the writer ends is refused, never left waiting. */
    private void refuseLeftovers() {
        List<Task> leftovers = new ArrayList<>();
        queue.drainTo(leftovers);
        List<Append> appends = new ArrayList<>();
        for (Task task : leftovers) {
            switch (task) {
                case Append append -> appends.add(append);
                case Prune prune -> prune.done().complete(null);
                case Stop stop -> {
                }
            }
        }
        refuse(appends);
    }

    private void releasePruneWaiters() {
        for (CompletableFuture<Void> waiter : pruneWaiters) {
            waiter.complete(null);
        }
        pruneWaiters.clear();
    }

    private void signalCommit() {
        synchronized (commitSignal) {
            commitSignal.notifyAll();
        }
    }

    /** A clean close leaves no open marker, so the next open keeps the epoch. */
    private void markClosedCleanly() {
        if (refusal != null) {
            return;
        }
        try {
            Transaction.begin(connection);
            Meta.remove(connection, Meta.OPEN_DURABILITY);
            Transaction.commit(connection);
        } catch (SQLException e) {
            LOG.warn("could not record the clean close of {}; the next start will begin a new epoch: {}",
                    file.path(), DatabaseFile.explain(e));
        }
    }

    private void rollbackQuietly() {
        try {
            insert.clearBatch();
        } catch (SQLException | RuntimeException e) {
            LOG.debug("clearing the failed batch did not succeed", e);
        }
        Transaction.rollbackQuietly(connection);
    }

    private void closeConnection() {
        try {
            statements.close();
            connection.close();
        } catch (SQLException e) {
            LOG.warn("closing the event log connection to {} failed: {}", file.path(), DatabaseFile.explain(e));
        }
    }
}
