package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Explicit write transactions on a connection left in autocommit mode. The SQLite driver, with autocommit off,
 * opens the next transaction as soon as one ends, which under {@code BEGIN IMMEDIATE} would hold the file's write
 * lock between transactions and shut out the other connections. So writers stay in autocommit mode and bracket
 * their work here: {@code BEGIN IMMEDIATE} takes the write lock up front (waiting up to the busy timeout), so a
 * transaction that reads before it writes never fails half-way because another connection committed.
 */
final class Transaction {
    private static final String BEGIN = "BEGIN IMMEDIATE";
    private static final String COMMIT = "COMMIT";

    private Transaction() {
    }

    static void begin(Connection connection) throws SQLException {
        execute(connection, BEGIN);
    }

    /** As {@link #begin(Connection)}, with the statement kept prepared in {@code statements}. */
    static void begin(StatementCache statements) throws SQLException {
        statements.get(BEGIN).execute();
    }

    /** Commits; under {@code synchronous=FULL} this is the fsync. */
    static void commit(Connection connection) throws SQLException {
        execute(connection, COMMIT);
    }

    /** As {@link #commit(Connection)}, with the statement kept prepared in {@code statements}. */
    static void commit(StatementCache statements) throws SQLException {
        statements.get(COMMIT).execute();
    }

    /** Rolls back if a transaction is open; failures are ignored, since the caller is already handling one. */
    static void rollbackQuietly(Connection connection) {
        try {
            execute(connection, "ROLLBACK");
        } catch (SQLException | RuntimeException ignored) {
            // no transaction was open, or the connection is unusable; either way nothing more can be undone
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
