package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Durability;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A store's own connection to the Nexus file with {@code synchronous=FULL}, so every committed change is on disk
 * when the call returns. Callers serialise their use of it (the stores' methods are synchronized). Failures are
 * thrown as {@link NexusException} {@code store_unavailable} naming what could not be read or stored.
 */
final class StoreConnection implements AutoCloseable {
    private final DatabaseFile file;
    private final Connection connection;
    private final String what;
    private boolean closed;

    private StoreConnection(DatabaseFile file, Connection connection, String what) {
        this.file = file;
        this.connection = connection;
        this.what = what;
    }

    /**
     * Opens the file (creating it when missing) and applies the schema.
     *
     * @param storeName the store, for messages ({@code claim store})
     * @param what what the store keeps, for messages ({@code claims}, {@code work items})
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    static StoreConnection open(DatabaseFile file, String storeName, String what) {
        Connection connection = null;
        try {
            connection = file.openForWrites(Durability.SYNC);
            Transaction.begin(connection);
            Schema.apply(connection);
            Transaction.commit(connection);
            return new StoreConnection(file, connection, what);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the open failure is what gets reported
                }
            }
            throw file.unusable(storeName, e);
        }
    }

    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /** One read statement; in autocommit mode it sees the last committed state without taking the write lock. */
    <T> T reading(Work<T> work) {
        requireOpen();
        try {
            return work.run(connection);
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A write transaction holding the file's write lock from the start, so its reads and writes are atomic. */
    <T> T inTransaction(Work<T> work) {
        requireOpen();
        try {
            Transaction.begin(connection);
            T result = work.run(connection);
            Transaction.commit(connection);
            return result;
        } catch (SQLException e) {
            Transaction.rollbackQuietly(connection);
            throw unavailable(e);
        } catch (RuntimeException e) {
            Transaction.rollbackQuietly(connection);
            throw e;
        }
    }

    /** Closes the connection; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            connection.close();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE, what + " cannot be used: their store is closed");
        }
    }

    private NexusException unavailable(SQLException e) {
        return new NexusException(ErrorCode.STORE_UNAVAILABLE, what + " cannot be read or stored in " + file.path()
                + ": " + DatabaseFile.explain(e));
    }
}
