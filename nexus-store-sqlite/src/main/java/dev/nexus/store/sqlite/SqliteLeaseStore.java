package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Claims in the {@code claims} table of the Nexus SQLite file, on a connection of their own with
 * {@code synchronous=FULL}: every change is on disk when the call returns, so claims and their fencing tokens
 * survive restarts. Calls are serialised on this object; each change is one {@code BEGIN IMMEDIATE} transaction,
 * which also makes it atomic against any other connection to the file.
 *
 * <p>Fencing tokens come from a counter in {@code meta}, incremented in the transaction that grants the claim,
 * so they keep increasing across restarts even after every claim is gone.
 *
 * <p>Failures to read or write the file are thrown as {@link NexusException} {@code store_unavailable}.
 */
public final class SqliteLeaseStore implements LeaseStore, AutoCloseable {
    private static final String COLUMNS = "work_id, claimed_by, claimed_at, description, fencing_token, expires_at";

    private final DatabaseFile file;
    private final Connection connection;
    private boolean closed;

    private SqliteLeaseStore(DatabaseFile file, Connection connection) {
        this.file = file;
        this.connection = connection;
    }

    /**
     * Opens the claims in {@code databaseFile}, creating the file when it does not exist. The directory must exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    public static SqliteLeaseStore open(Path databaseFile) {
        DatabaseFile file = new DatabaseFile(databaseFile);
        Connection connection = null;
        try {
            connection = file.openForWrites(Durability.SYNC);
            Transaction.begin(connection);
            Schema.apply(connection);
            Transaction.commit(connection);
            return new SqliteLeaseStore(file, connection);
        } catch (SQLException | RuntimeException e) {
            if (connection != null) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // the open failure is what gets reported
                }
            }
            throw file.unusable("claim store", e);
        }
    }

    @Override
    public synchronized ClaimAttempt tryClaim(Claim request) {
        return inTransaction(() -> {
            long token = Meta.getLong(connection, Meta.FENCING_TOKEN, 0) + 1;
            Claim wanted = new Claim(request.workId(), request.claimedBy(), request.claimedAt(), request.description(),
                    token, request.expiresAt());
            boolean granted;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO claims (" + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (work_id) DO NOTHING")) {
                insert.setString(1, wanted.workId());
                insert.setString(2, wanted.claimedBy());
                insert.setString(3, wanted.claimedAt().toString());
                insert.setString(4, wanted.description());
                insert.setLong(5, wanted.fencingToken());
                insert.setString(6, wanted.expiresAt() == null ? null : wanted.expiresAt().toString());
                granted = insert.executeUpdate() == 1;
            }
            if (granted) {
                Meta.put(connection, Meta.FENCING_TOKEN, Long.toString(token));
                return new ClaimAttempt(wanted, true);
            }
            Claim holder = select("WHERE work_id = ?", request.workId()).getFirst();
            return new ClaimAttempt(holder, false);
        });
    }

    @Override
    public synchronized Optional<Claim> get(String workId) {
        return reading(() -> select("WHERE work_id = ?", workId).stream().findFirst());
    }

    @Override
    public synchronized boolean remove(Claim claim) {
        return inTransaction(() -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM claims WHERE work_id = ? AND claimed_by = ? AND fencing_token = ?")) {
                delete.setString(1, claim.workId());
                delete.setString(2, claim.claimedBy());
                delete.setLong(3, claim.fencingToken());
                return delete.executeUpdate() == 1;
            }
        });
    }

    @Override
    public synchronized List<Claim> list() {
        return reading(() -> select(""));
    }

    @Override
    public synchronized List<Claim> heldBy(String sessionId) {
        return reading(() -> select("WHERE claimed_by = ?", sessionId));
    }

    /** Closes the connection; idempotent. */
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

    /** Claims matching {@code where}, in claim (fencing token) order. */
    private List<Claim> select(String where, String... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM claims " + where + " ORDER BY fencing_token")) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            List<Claim> claims = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String expiresAt = row.getString(6);
                    claims.add(new Claim(row.getString(1), row.getString(2), Instant.parse(row.getString(3)),
                            row.getString(4), row.getLong(5), expiresAt == null ? null : Instant.parse(expiresAt)));
                }
            }
            return claims;
        }
    }

    @FunctionalInterface
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** One read statement; in autocommit mode it sees the last committed state without taking the write lock. */
    private <T> T reading(Work<T> work) {
        requireOpen();
        try {
            return work.run();
        } catch (SQLException e) {
            throw unavailable(e);
        }
    }

    /** A write transaction holding the file's write lock from the start, so its reads and writes are atomic. */
    private <T> T inTransaction(Work<T> work) {
        requireOpen();
        try {
            Transaction.begin(connection);
            T result = work.run();
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

    private void requireOpen() {
        if (closed) {
            throw new NexusException(ErrorCode.STORE_UNAVAILABLE, "the claim store is closed");
        }
    }

    private NexusException unavailable(SQLException e) {
        return new NexusException(ErrorCode.STORE_UNAVAILABLE, "claims cannot be read or stored in " + file.path()
                + ": " + DatabaseFile.explain(e));
    }
}
