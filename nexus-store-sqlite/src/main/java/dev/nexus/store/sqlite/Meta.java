package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** The {@code meta} table: named values that describe the database, read and written in the caller's transaction. */
final class Meta {
    /** {@link Schema#VERSION} of the file. */
    static final String SCHEMA_VERSION = "schema_version";
    /** The event log's epoch: random, created with the file, replaced when a run may have lost acknowledged events. */
    static final String EPOCH = "epoch";
    /** The lowest seq retention has not removed; keeps seqs from being reused once every event is pruned. */
    static final String FIRST_SEQ = "first_seq";
    /** The last fencing token granted; tokens keep increasing across restarts. */
    static final String FENCING_TOKEN = "fencing_token";
    /**
     * Present while an event log is open, holding its durability option; removed by a clean close. Found at open,
     * it means the previous run ended without closing.
     */
    static final String OPEN_DURABILITY = "open_durability";

    private static final String UPSERT =
            "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value";

    private Meta() {
    }

    /** The value, or null when absent. */
    static String get(Connection connection, String key) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT value FROM meta WHERE key = ?")) {
            select.setString(1, key);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    static long getLong(Connection connection, String key, long absent) throws SQLException {
        String value = get(connection, key);
        return value == null ? absent : Long.parseLong(value);
    }

    static void put(Connection connection, String key, String value) throws SQLException {
        try (PreparedStatement upsert = connection.prepareStatement(UPSERT)) {
            put(upsert, key, value);
        }
    }

    /** As {@link #put(Connection, String, String)}, with the statement kept prepared in {@code statements}. */
    static void put(StatementCache statements, String key, String value) throws SQLException {
        put(statements.get(UPSERT), key, value);
    }

    private static void put(PreparedStatement upsert, String key, String value) throws SQLException {
        upsert.setString(1, key);
        upsert.setString(2, value);
        upsert.executeUpdate();
    }

    static void remove(Connection connection, String key) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM meta WHERE key = ?")) {
            delete.setString(1, key);
            delete.executeUpdate();
        }
    }
}
