package dev.nexus.store.sqlite;

import dev.nexus.core.spi.WorkItem;
import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.protocol.NexusException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Work queue items in the {@code work_items} table of the Nexus SQLite file, on a connection of their own with
 * {@code synchronous=FULL}: every change is on disk when the call returns. Calls are serialised on this object.
 *
 * <p>Failures to read or write the file are thrown as {@link NexusException} {@code store_unavailable}.
 */
public final class SqliteWorkQueueStore implements WorkQueueStore, AutoCloseable {
    private final StoreConnection store;

    private SqliteWorkQueueStore(StoreConnection store) {
        this.store = store;
    }

    /**
     * Opens the work items in {@code databaseFile}, creating the file when it does not exist. The directory must
     * exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    public static SqliteWorkQueueStore open(Path databaseFile) {
        return new SqliteWorkQueueStore(StoreConnection.open(new DatabaseFile(databaseFile), "work queue store", "work items"));
    }

    @Override
    public synchronized boolean insert(WorkItem item) {
        return store.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO work_items (work_id, seq, status, "
                    + "json) VALUES (?, ?, ?, ?) ON CONFLICT (work_id) DO NOTHING")) {
                insert.setString(1, item.workId());
                insert.setLong(2, item.sequence());
                insert.setString(3, item.status().wire());
                insert.setString(4, WorkItemJson.write(item));
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized void update(WorkItem item) {
        boolean updated = store.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE work_items SET status = ?, json = ? WHERE work_id = ?")) {
                update.setString(1, item.status().wire());
                update.setString(2, WorkItemJson.write(item));
                update.setString(3, item.workId());
                return update.executeUpdate() == 1;
            }
        });
        if (!updated) {
            throw new IllegalArgumentException("no work item '" + item.workId() + "' to update");
        }
    }

    @Override
    public synchronized Optional<WorkItem> get(String workId) {
        return store.reading(connection -> select(connection, "WHERE work_id = ?", workId).stream().findFirst());
    }

    @Override
    public synchronized List<WorkItem> list() {
        return store.reading(connection -> select(connection, ""));
    }

    /** Closes the connection; idempotent. */
    @Override
    public synchronized void close() {
        store.close();
    }

    private static List<WorkItem> select(Connection connection, String where, String... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT json FROM work_items " + where + " ORDER BY seq")) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            List<WorkItem> items = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    items.add(WorkItemJson.read(row.getString(1)));
                }
            }
            return items;
        }
    }
}
