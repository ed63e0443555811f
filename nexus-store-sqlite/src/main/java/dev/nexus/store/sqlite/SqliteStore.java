package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Durability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

/**
 * The SQLite storage of one node: {@code <dataDir>/nexus.db}, holding the event log, the claims, the work queue
 * and the inboxes. A server builds its backends from it, for example
 * {@code new NodeBackends(store.eventLog(), new MemoryPresenceStore(), store.leases(), store.workQueue(),
 * store.inbox())}, and closes it after the node (closing the log twice is harmless).
 */
public final class SqliteStore implements AutoCloseable {
    /** The database file's name inside the data directory. */
    public static final String FILE_NAME = "nexus.db";

    private final Path databaseFile;
    private final SqliteEventLog eventLog;
    private final SqliteLeaseStore leases;
    private final SqliteWorkQueueStore workQueue;
    private final SqliteInboxStore inbox;

    private SqliteStore(Path databaseFile, SqliteEventLog eventLog, SqliteLeaseStore leases,
            SqliteWorkQueueStore workQueue, SqliteInboxStore inbox) {
        this.databaseFile = databaseFile;
        this.eventLog = eventLog;
        this.leases = leases;
        this.workQueue = workQueue;
        this.inbox = inbox;
    }

    /**
     * Opens (or creates) {@code <dataDir>/nexus.db}, creating the directory when missing.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the directory or the file cannot be
     *     used
     */
    public static SqliteStore open(Path dataDir, Durability durability, LogRetention retention, Clock clock) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create the data directory " + dataDir + ": " + e, e);
        }
        Path file = dataDir.resolve(FILE_NAME);
        SqliteEventLog log = SqliteEventLog.open(file, durability, retention, clock);
        SqliteLeaseStore leases = null;
        SqliteWorkQueueStore workQueue = null;
        try {
            leases = SqliteLeaseStore.open(file);
            workQueue = SqliteWorkQueueStore.open(file);
            return new SqliteStore(file, log, leases, workQueue, SqliteInboxStore.open(file));
        } catch (RuntimeException e) {
            log.close();
            if (leases != null) {
                leases.close();
            }
            if (workQueue != null) {
                workQueue.close();
            }
            throw e;
        }
    }

    public SqliteEventLog eventLog() {
        return eventLog;
    }

    public SqliteLeaseStore leases() {
        return leases;
    }

    public SqliteWorkQueueStore workQueue() {
        return workQueue;
    }

    public SqliteInboxStore inbox() {
        return inbox;
    }

    public Path databaseFile() {
        return databaseFile;
    }

    /** Closes the log (committing what is queued), the claims, the work queue and the inboxes; idempotent. */
    @Override
    public void close() {
        try {
            eventLog.close();
        } finally {
            try {
                leases.close();
            } finally {
                try {
                    workQueue.close();
                } finally {
                    inbox.close();
                }
            }
        }
    }
}
