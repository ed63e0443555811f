package dev.nexus.store.sqlite;

import dev.nexus.core.EventIds;
import dev.nexus.core.EncodedEvent;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable event log in one SQLite file (WAL), the embedded default.
 *
 * <p><b>Appends.</b> {@link #append} assigns {@code head + 1} at once and queues the event for the writer thread
 * ({@code nexus-log-writer}), which commits everything waiting in one transaction (group commit; see
 * {@link LogWriter}). With {@link Durability#SYNC} the durable stage completes after the commit (the fsync) that
 * covers the event; with {@link Durability#BATCH_ASYNC} and {@link Durability#OFF} it is complete on return and the
 * event reaches the file with the next commit. At most 10,000 appends wait for the writer: when that many are
 * waiting, {@code append} blocks its caller for up to 2 seconds for room and then refuses the event with
 * {@code store_unavailable}, storing nothing and leaving the log healthy.
 *
 * <p><b>Reads</b> run on their own connections, concurrently with appends, and see committed events only: with
 * {@code sync}, the events whose durable stage has completed; with the other modes a read first waits (briefly)
 * for the writer to commit every event appended before it, so a read after an acknowledged append finds it.
 *
 * <p><b>Failure.</b> A failed commit fails the batch's durable stages with {@code store_unavailable}; from then on
 * {@link #failure()} says why and every append is refused with that error until the log is reopened. Events
 * committed before stay readable and contiguous.
 *
 * <p><b>Epoch.</b> Created at random with the file and kept across clean restarts. If the previous run ended
 * without {@link #close()} while acknowledging before the fsync ({@code batch-async} or {@code off}), events it
 * acknowledged may be missing and their seqs will be handed out again, so the log starts a new epoch and resuming
 * clients are told their position no longer holds. A {@code sync} log keeps its epoch after a crash: it never
 * acknowledged what it had not committed.
 */
public final class SqliteEventLog implements EventLog {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteEventLog.class);
    /** Longest a read waits for the writer to commit what was appended before it (modes other than sync). */
    private static final Duration READ_AFTER_WRITE_WAIT = Duration.ofSeconds(2);

    private final DatabaseFile file;
    private final Durability durability;
    private final LogRetention retention;
    private final Clock clock;
    private final String epoch;
    private final LogWriter writer;
    private final ReadConnections reads;
    private final LogReader reader;
    private final Object appendLock = new Object();
    private volatile long head;
    private volatile boolean closed;

    private SqliteEventLog(DatabaseFile file, Durability durability, LogRetention retention, Clock clock, String epoch,
            long head, LogWriter writer) {
        this.file = file;
        this.durability = durability;
        this.retention = retention;
        this.clock = clock;
        this.epoch = epoch;
        this.head = head;
        this.writer = writer;
        this.reads = new ReadConnections(file);
        this.reader = new LogReader(reads, retention.maxAge());
    }

    /**
     * Opens the log in {@code databaseFile}, creating the file (and a new epoch) when it does not exist. The
     * directory must exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used: not a
     *     database, corrupt, a directory, read-only, locked, or written by another schema version
     */
    public static SqliteEventLog open(Path databaseFile, Durability durability, LogRetention retention, Clock clock) {
        return open(databaseFile, durability, retention, clock, WriterSettings.defaults(), UnaryOperator.identity());
    }

    /** As {@link #open(Path, Durability, LogRetention, Clock)}, with the writer's bounds and its connection wrapped. */
    static SqliteEventLog open(Path databaseFile, Durability durability, LogRetention retention, Clock clock,
            WriterSettings settings, UnaryOperator<Connection> writeConnection) {
        Objects.requireNonNull(durability, "durability");
        Objects.requireNonNull(retention, "retention");
        Objects.requireNonNull(clock, "clock");
        DatabaseFile file = new DatabaseFile(databaseFile);
        Connection connection = null;
        try {
            connection = writeConnection.apply(file.openForWrites(durability));
            Opened opened = prepare(connection, durability, retention.limitsBytes());
            LogWriter writer = new LogWriter(file, connection, new Pruner(retention, settings.pruneChunk()),
                    retention.limitsBytes(), opened.extent(), settings);
            SqliteEventLog log = new SqliteEventLog(file, durability, retention, clock, opened.epoch(),
                    opened.extent().head(), writer);
            writer.start();
            LOG.info("event log {} open: epoch {}, seqs {} to {}, durability {}", databaseFile, opened.epoch(),
                    opened.extent().firstSeq(), opened.extent().head(), durability.option());
            return log;
        } catch (SQLException | RuntimeException e) {
            closeQuietly(connection);
            throw file.unusable("event log", e);
        }
    }

    private record Opened(String epoch, LogExtent extent) {
    }

    /** Schema, epoch and extent, read and marked open in one transaction. */
    private static Opened prepare(Connection connection, Durability durability, boolean countBytes) throws SQLException {
        Transaction.begin(connection);
        try {
            Schema.apply(connection);
            String epoch = Meta.get(connection, Meta.EPOCH);
            String uncleanMode = Meta.get(connection, Meta.OPEN_DURABILITY);
            if (epoch == null || (uncleanMode != null && !uncleanMode.equals(Durability.SYNC.option()))) {
                if (epoch != null) {
                    LOG.warn("the previous run ended without closing the event log while acknowledging before the "
                            + "fsync ({}); events it acknowledged may be missing, so the log starts a new epoch",
                            uncleanMode);
                }
                epoch = EventIds.randomToken();
                Meta.put(connection, Meta.EPOCH, epoch);
            }
            Meta.put(connection, Meta.OPEN_DURABILITY, durability.option());
            LogExtent extent = LogExtent.load(connection, countBytes);
            Transaction.commit(connection);
            return new Opened(epoch, extent);
        } catch (SQLException | RuntimeException e) {
            Transaction.rollbackQuietly(connection);
            throw e;
        }
    }

    @Override
    public String epoch() {
        return epoch;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Blocks only when 10,000 appends are already waiting for the writer, for up to 2 seconds.
     *
     * @throws NexusException {@code store_unavailable} when the log has failed or is closed, or when the writer's
     *     queue stayed full; nothing is stored then and no seq is used
     */
    @Override
    public Appended append(Event event) {
        return append(event, null);
    }

    /** {@inheritDoc} The bytes are stored as they are: the event is not encoded again. */
    @Override
    public Appended append(EncodedEvent encoded) {
        return append(encoded.event(), encoded.json());
    }

    private Appended append(Event event, byte[] json) {
        synchronized (appendLock) {
            if (closed) {
                throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "events cannot be stored: the event log is closed");
            }
            NexusException refusal = writer.refusal();
            if (refusal != null) {
                throw refusal;
            }
            long seq = head + 1;
            if (json != null && event.seq() != seq) {
                throw new IllegalArgumentException("an encoded event must carry the next seq " + seq + ", not "
                        + event.seq());
            }
            CompletableFuture<Void> durable = durability == Durability.SYNC ? new CompletableFuture<>() : null;
            try {
                if (!writer.enqueue(new LogWriter.Append(event.withSeq(seq), json, durable))) {
                    throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "events cannot be stored: the event log "
                            + "is not keeping up (its write queue stayed full); try again shortly");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new NexusException(ErrorCode.STORE_UNAVAILABLE,
                        "events cannot be stored: interrupted while waiting for the event log");
            }
            head = seq;
            return new Appended(new LogPosition(seq, epoch),
                    durable != null ? durable : CompletableFuture.completedFuture(null));
        }
    }

    @Override
    public List<Event> read(HistoryQuery query) {
        awaitAcknowledged();
        return reader.read(query, clock.instant());
    }

    @Override
    public LogPosition head() {
        return new LogPosition(head, epoch);
    }

    /** {@inheritDoc} Events appended but not yet committed count as retained: they will be readable. */
    @Override
    public long firstSeq() {
        return writer.committed().firstSeq();
    }

    @Override
    public long size() {
        awaitAcknowledged();
        return writer.committed().size();
    }

    /**
     * {@inheritDoc}
     *
     * <p>The writer removes the events in chunks of at most 5,000 per transaction, letting appends in between;
     * this call waits until it is done (or the log fails or closes).
     */
    @Override
    public void prune(Instant now) {
        if (closed) {
            return;
        }
        try {
            writer.prune(now.minus(retention.maxAge()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String failure() {
        return writer.failure();
    }

    /** Commits every queued append, stops the writer and closes the connections; idempotent. */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) {
                return;
            }
            closed = true;
        }
        try {
            writer.stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            reads.close();
        }
        LOG.info("event log {} closed at seq {}", file.path(), head);
    }

    /** Transactions the writer has committed; group commit makes this far smaller than the number of appends. */
    long commitCount() {
        return writer.commits();
    }

    /** In modes that acknowledge before the fsync, waits for what was acknowledged to be committed. */
    private void awaitAcknowledged() {
        if (durability == Durability.SYNC) {
            return;
        }
        try {
            writer.awaitCommitted(head, READ_AFTER_WRITE_WAIT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // already failing to open; the open failure is what gets reported
        }
    }
}
