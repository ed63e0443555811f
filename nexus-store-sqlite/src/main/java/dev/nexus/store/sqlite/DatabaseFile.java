package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Durability;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * One SQLite database file and the ways this module connects to it. Every connection uses WAL journaling (readers
 * never block the writer nor each other) and waits up to {@link #BUSY_TIMEOUT_MILLIS} for another connection's
 * write lock instead of failing at once.
 *
 * @param path the database file
 */
record DatabaseFile(Path path) {
    /** How long a connection waits for another connection's write lock before failing with "database is locked". */
    static final int BUSY_TIMEOUT_MILLIS = 5_000;

    /**
     * A connection for writing, in autocommit mode: writers bracket their transactions with {@link Transaction}.
     *
     * @param durability {@code synchronous=OFF} for {@link Durability#OFF}, {@code FULL} (fsync at every commit)
     *     otherwise
     * @throws SQLException when the file cannot be opened as a database
     */
    Connection openForWrites(Durability durability) throws SQLException {
        SQLiteConfig config = commonConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(durability == Durability.OFF
                ? SQLiteConfig.SynchronousMode.OFF : SQLiteConfig.SynchronousMode.FULL);
        return config.createConnection(url());
    }

    /**
     * A connection that only reads ({@code query_only}); in autocommit mode each statement sees the last committed
     * state.
     */
    Connection openForReads() throws SQLException {
        Connection connection = commonConfig().createConnection(url());
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = 1");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }

    /** What every connection shares: the busy timeout, and no generated keys. */
    private static SQLiteConfig commonConfig() {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        // nothing here reads generated keys; with this on, the driver compiles and runs "SELECT last_insert_rowid()"
        // after each INSERT given to execute or executeUpdate (batches are spared)
        config.setGetGeneratedKeys(false);
        return config;
    }

    /** The exception thrown when the file cannot be used at all, with a sentence an operator can act on. */
    IllegalStateException unusable(String what, Exception cause) {
        String reason = cause instanceof SQLException sql ? explain(sql) : String.valueOf(cause.getMessage());
        return new IllegalStateException("cannot open the " + what + " in " + path + ": " + reason, cause);
    }

    /** A sentence for an SQLite failure: what the error code means here, then SQLite's own message. */
    static String explain(SQLException e) {
        String detail = e.getMessage();
        if (!(e instanceof SQLiteException sqlite)) {
            return detail;
        }
        SQLiteErrorCode code = sqlite.getResultCode();
        String meaning = switch (code) {
            case SQLITE_NOTADB, SQLITE_CORRUPT, SQLITE_CORRUPT_VTAB, SQLITE_CORRUPT_SEQUENCE, SQLITE_CORRUPT_INDEX ->
                    "the file is not an SQLite database or is corrupt; move it aside to start a new, empty log";
            case SQLITE_CANTOPEN, SQLITE_CANTOPEN_ISDIR, SQLITE_CANTOPEN_NOTEMPDIR, SQLITE_CANTOPEN_FULLPATH ->
                    "the file cannot be opened or created (is it a directory, or is its directory missing or not writable?)";
            case SQLITE_READONLY, SQLITE_READONLY_DIRECTORY, SQLITE_READONLY_CANTLOCK, SQLITE_READONLY_RECOVERY,
                    SQLITE_READONLY_ROLLBACK, SQLITE_READONLY_DBMOVED, SQLITE_READONLY_CANTINIT ->
                    "the database or its directory is read-only";
            case SQLITE_FULL -> "the disk is full";
            case SQLITE_BUSY, SQLITE_LOCKED -> "another process holds the database locked";
            default -> code.name().startsWith("SQLITE_IOERR") ? "an I/O error occurred" : null;
        };
        return meaning == null ? detail : meaning + " (" + detail + ")";
    }

    private String url() {
        return "jdbc:sqlite:" + path.toAbsolutePath();
    }
}
