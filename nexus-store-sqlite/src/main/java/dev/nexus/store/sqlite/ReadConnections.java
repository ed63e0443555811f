package dev.nexus.store.sqlite;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Read-only connections for any number of threads: each read borrows an idle connection or opens one, and gives it
 * back afterwards. Up to {@link #MAX_IDLE} idle connections are kept; beyond that a returned connection is closed.
 * Under WAL, readers see the last committed state and never wait for the writer.
 */
final class ReadConnections implements AutoCloseable {
    static final int MAX_IDLE = 4;
    private static final Logger LOG = LoggerFactory.getLogger(ReadConnections.class);

    /** A read that may fail with {@link SQLException}. */
    @FunctionalInterface
    interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    private final DatabaseFile file;
    private final ArrayBlockingQueue<Connection> idle = new ArrayBlockingQueue<>(MAX_IDLE);
    private volatile boolean closed;

    ReadConnections(DatabaseFile file) {
        this.file = file;
    }

    /**
     * Runs {@code read} on a connection of its own.
     *
     * @throws NexusException {@code store_unavailable} when the pool is closed or the database cannot be read
     */
    <T> T read(Read<T> read) {
        if (closed) {
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "the event log is closed");
        }
        Connection connection = idle.poll();
        try {
            if (connection == null) {
                connection = file.openForReads();
            }
            T result = read.apply(connection);
            release(connection);
            return result;
        } catch (SQLException e) {
            discard(connection);
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "the event log cannot be read: "
                    + DatabaseFile.explain(e));
        } catch (RuntimeException e) {
            discard(connection);
            throw e;
        }
    }

    @Override
    public void close() {
        closed = true;
        List<Connection> connections = new ArrayList<>();
        idle.drainTo(connections);
        connections.forEach(this::discard);
    }

    private void release(Connection connection) {
        if (closed || !idle.offer(connection)) {
            discard(connection);
        } else if (closed && idle.remove(connection)) {
            discard(connection);
        }
    }

    private void discard(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.debug("closing a read connection to {} failed", file.path(), e);
        }
    }
}
