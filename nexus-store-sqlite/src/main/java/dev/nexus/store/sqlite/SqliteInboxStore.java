package dev.nexus.store.sqlite;

import dev.nexus.core.spi.InboxEntry;
import dev.nexus.core.spi.InboxStore;
import java.nio.file.Path;
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
 * <p>Failures to read or write the file are thrown as {@code NexusException} {@code store_unavailable}.
 */
public final class SqliteInboxStore implements InboxStore {
    private final StoreConnection store;

    private SqliteInboxStore(StoreConnection store) {
        this.store = store;
    }

    /**
     * Opens the inboxes in {@code databaseFile}, creating the file when it does not exist. The directory must exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    public static SqliteInboxStore open(Path databaseFile) {
        return new SqliteInboxStore(StoreConnection.open(new DatabaseFile(databaseFile), "inbox store", "inbox entries"));
    }

    @Override
    public synchronized List<InboxEntry> loadAll() {
        return store.reading(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT recipient, seq, event_id, sender, "
                    + "event_type, state, json FROM inbox ORDER BY recipient, seq");
                    ResultSet row = select.executeQuery()) {
                List<InboxEntry> entries = new ArrayList<>();
                while (row.next()) {
                    entries.add(new InboxEntry(row.getString(1), row.getLong(2), row.getString(3), row.getString(4),
                            row.getString(5), row.getBytes(7), InboxEntry.State.fromWire(row.getString(6))));
                }
                return entries;
            }
        });
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
        store.close();
    }

    @FunctionalInterface
    private interface Binder {
        /** Binds the parameters after recipient (1) and seq (2). */
        void bind(PreparedStatement statement, InboxEntry entry) throws SQLException;
    }

    /** Runs {@code sql} once per entry, all in one transaction. */
    private void inTransaction(String sql, List<InboxEntry> entries, Binder binder) {
        if (entries.isEmpty()) {
            return;
        }
        store.inTransaction(connection -> {
            try (PreparedStatement statement = connection.prepareStatement(sql)) {
                for (InboxEntry entry : entries) {
                    statement.setString(1, entry.recipient());
                    statement.setLong(2, entry.seq());
                    binder.bind(statement, entry);
                    statement.addBatch();
                }
                statement.executeBatch();
            }
            return null;
        });
    }
}
