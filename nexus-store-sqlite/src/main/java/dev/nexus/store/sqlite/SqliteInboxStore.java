package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.InboxEntry;
import dev.nexus.core.spi.InboxStore;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Inbox entries in the {@code inbox} table of the Nexus SQLite file, on a connection of their own with
 * {@code synchronous=FULL}: each call is one {@code BEGIN IMMEDIATE} transaction, on disk when it returns. Calls
 * are serialised on this object (the node makes them from one thread anyway).
 *
 * <p>Failures to read or write the file are thrown as {@link NexusException} {@code store_unavailable}.
 */
public final class SqliteInboxStore implements InboxStore {
    private final DatabaseFile file;
    private final Connection connection;
    private boolean closed;

    private SqliteInboxStore(DatabaseFile file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the inboxes in {@code databaseFile}, creating the file when it does not exist. The directory must exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    public static SqliteInboxStore open(Path databaseFile) {
        DatabaseFile file = new DatabaseFile(databaseFile);
        Connection connection = null;
        try {
            connection = file.openForWrites(Durability.SYNC);
            Transaction.begin(connection);
            Schema.apply(connection);
            Transaction.commit(connection);
            return new SqliteInboxStore(file, connection);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the open failure is what gets reported
                }
            }
            throw file.unusable("inbox store", e);
        }
    }

    @Override
    public synchronized List<InboxEntry> loadAll() {
        requireOpen();
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT recipient, seq, event_id, sender, event_type, state, json FROM inbox ORDER BY recipient, seq");
                ResultSet row = select.executeQuery()) {
            List<InboxEntry> entries = new ArrayList<>();
            while (row.next()) {
                entries.add(new InboxEntry(row.getString(1), row.getLong(2), row.getString(3), row.getString(4),
                        row.getString(5), row.getBytes(7), InboxEntry.State.fromWire(row.getString(6))));
            }
            return entries;
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    @Override
    public synchronized void save(List<InboxEntry> entries) {
        inTransaction("INSERT INTO inbox (recipient, seq, event_id, sender, event_type, state, json) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (recipient, seq) DO UPDATE SET state = excluded.state",
                entries, (statement, entry) -> {
                    statement.setString(3, entry.eventId());
                    statement.setString(4, entry.sender());
                    statement.setString(5, entry.eventType());
                    statement.setString(6, entry.state().wire());
                    statement.setBytes(7, entry.json());
                });
    }

    @Override
    public synchronized void delete(List<InboxEntry> entries) {
        inTransaction("DELETE FROM inbox WHERE recipient = ? AND seq = ?", entries, (statement, entry) -> {
        });
    }

    @Override
    public synchronized void close() {
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

    @FunctionalInterface
    private interface Binder {
        /** Binds the parameters after recipient (1) and seq (2). */
        void bind(PreparedStatement statement, InboxEntry entry) throws SQLException;
    }

    /** Runs {@code sql} once per entry, all in one transaction. */
    private void inTransaction(String sql, List<InboxEntry> entries, Binder binder) {
        requireOpen();
        if (entries.isEmpty()) {
            return;
        }
        try {
            Transaction.begin(connection);
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (InboxEntry entry : entries) {
                    statement.setString(1, entry.recipient());
                    statement.setLong(2, entry.seq());
                    binder.bind(statement, entry);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            Transaction.commit(connection);
        } catch (SQLException e) {
            Transaction.rollbackQuietly(connection);
            throw unavailable(e);
        }
    }

    private void requireOpen() {
        if (closed) {
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "the inbox store is closed");
        }
    }

    private NexusException unavailable(SQLException e) {
        return new NexusException(ErrorCode.STORE_UNAVAILABLE, "inboxes cannot be read or stored in " + file.path()
                + ": " + DatabaseFile.explain(e));
    }
}
