package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;

/**
 * The prepared statements of one connection, each prepared the first time its SQL is asked for and kept until
 * {@link #close}. SQLite compiles a statement on every {@code prepareStatement}; a writer that runs the same few
 * statements in every transaction (begin, insert, retention, commit) prepares them once instead.
 *
 * <p>Not thread-safe: use it from the one thread that owns the connection. Callers must not close the statements
 * they get; they may close the result sets (which resets the statement for its next use).
 */
final class StatementCache implements AutoCloseable {
    private final Connection connection;
    private final Map<String, PreparedStatement> statements = new HashMap<>();

    StatementCache(Connection connection) {
        this.connection = connection;
    }

    /** The statement for {@code sql}, prepared now if this is the first time it is asked for. */
    PreparedStatement get(String sql) throws SQLException {
        PreparedStatement statement = statements.get(sql);
        if (statement == null) {
            statement = connection.prepareStatement(sql);
            statements.put(sql, statement);
        }
        return statement;
    }

    /** Closes every statement prepared so far (not the connection); the first failure is thrown after trying all. */
    @Override
    public void close() throws SQLException {
        SQLException first = null;
        for (PreparedStatement statement : statements.values()) {
            try {
                statement.close();
            } catch (SQLException e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        statements.clear();
        if (first != null) {
            throw first;
        }
    }
}
