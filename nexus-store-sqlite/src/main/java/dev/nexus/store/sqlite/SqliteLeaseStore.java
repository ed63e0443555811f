package dev.nexus.store.sqlite;

import dev.nexus.core.spi.Claim;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Claims in the {@code claims} table of the Nexus SQLite file (their reservations in {@code claim_resources}), on
 * a connection of their own with {@code synchronous=FULL}: every change is on disk when the call returns, so
 * claims and their fencing tokens survive restarts. Calls are serialised on this object; each change is one
 * {@code BEGIN IMMEDIATE} transaction, which also makes it atomic against any other connection to the file.
 *
 * <p>Fencing tokens come from a counter in {@code meta}, incremented in the transaction that grants the claim,
 * so they keep increasing across restarts even after every claim is gone.
 *
 * <p>Failures to read or write the file are thrown as {@link NexusException} {@code store_unavailable}.
 */
public final class SqliteLeaseStore implements LeaseStore, AutoCloseable {
    private static final String COLUMNS = "c.work_id, c.claimed_by, c.claimed_at, c.description, c.fencing_token, "
            + "c.expires_at, r.mode, r.resources";
    private static final String FROM = " FROM claims c LEFT JOIN claim_resources r ON r.fencing_token = c.fencing_token ";

    private final StoreConnection store;

    private SqliteLeaseStore(StoreConnection store) {
        this.store = store;
    }

    /**
     * Opens the claims in {@code databaseFile}, creating the file when it does not exist. The directory must exist.
     *
     * @throws IllegalStateException with a sentence saying what is wrong when the file cannot be used
     */
    public static SqliteLeaseStore open(Path databaseFile) {
        return new SqliteLeaseStore(StoreConnection.open(new DatabaseFile(databaseFile), "claim store", "claims"));
    }

    @Override
    public synchronized ClaimAttempt tryClaim(Claim request) {
        return store.inTransaction(connection -> {
            long token = Meta.getLong(connection, Meta.FENCING_TOKEN, 0) + 1;
            Claim wanted = request.withFencingToken(token);
            boolean granted;
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO claims (work_id, claimed_by, "
                    + "claimed_at, description, fencing_token, expires_at) VALUES (?, ?, ?, ?, ?, ?) "
                    + "ON CONFLICT (work_id) DO NOTHING")) {
                insert.setString(1, wanted.workId());
                insert.setString(2, wanted.claimedBy());
                insert.setString(3, wanted.claimedAt().toString());
                insert.setString(4, wanted.description());
                insert.setLong(5, wanted.fencingToken());
                insert.setString(6, instant(wanted.expiresAt()));
                granted = insert.executeUpdate() == 1;
            }
            if (granted) {
                Meta.put(connection, Meta.FENCING_TOKEN, Long.toString(token));
                insertResources(connection, wanted);
                return new ClaimAttempt(wanted, true);
            }
            Claim holder = select(connection, "WHERE c.work_id = ?", request.workId()).getFirst();
            return new ClaimAttempt(holder, false);
        });
    }

    @Override
    public synchronized Optional<Claim> get(String workId) {
        return store.reading(connection -> select(connection, "WHERE c.work_id = ?", workId).stream().findFirst());
    }

    @Override
    public synchronized boolean remove(Claim claim) {
        return store.inTransaction(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM claims WHERE work_id = ? AND claimed_by = ? AND fencing_token = ?")) {
                delete.setString(1, claim.workId());
                delete.setString(2, claim.claimedBy());
                delete.setLong(3, claim.fencingToken());
                if (delete.executeUpdate() != 1) {
                    return false;
                }
            }
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM claim_resources WHERE fencing_token = ?")) {
                delete.setLong(1, claim.fencingToken());
                delete.executeUpdate();
            }
            return true;
        });
    }

    @Override
    public synchronized Optional<Claim> renew(Claim claim, Instant expiresAt) {
        return store.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE claims SET expires_at = ? WHERE work_id = ? AND claimed_by = ? AND fencing_token = ?")) {
                update.setString(1, instant(expiresAt));
                update.setString(2, claim.workId());
                update.setString(3, claim.claimedBy());
                update.setLong(4, claim.fencingToken());
                if (update.executeUpdate() != 1) {
                    return Optional.empty();
                }
            }
            return select(connection, "WHERE c.work_id = ?", claim.workId()).stream().findFirst();
        });
    }

    @Override
    public synchronized List<Claim> list() {
        return store.reading(connection -> select(connection, ""));
    }

    @Override
    public synchronized List<Claim> heldBy(String sessionId) {
        return store.reading(connection -> select(connection, "WHERE c.claimed_by = ?", sessionId));
    }

    /** Closes the connection; idempotent. */
    @Override
    public synchronized void close() {
        store.close();
    }

    private static void insertResources(Connection connection, Claim claim) throws SQLException {
        if (claim.resources().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO claim_resources (fencing_token, mode, resources) VALUES (?, ?, ?)")) {
            insert.setLong(1, claim.fencingToken());
            insert.setString(2, claim.mode().wire());
            // resources never contain control characters, so a newline separates them unambiguously
            insert.setString(3, String.join("\n", claim.resources().stream().map(ResourceGlob::text).toList()));
            insert.executeUpdate();
        }
    }

    /** Claims matching {@code where}, in claim (fencing token) order. */
    private static List<Claim> select(Connection connection, String where, String... parameters) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(
                "SELECT " + COLUMNS + FROM + where + " ORDER BY c.fencing_token")) {
            for (int i = 0; i < parameters.length; i++) {
                select.setString(i + 1, parameters[i]);
            }
            List<Claim> claims = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    String expiresAt = row.getString(6);
                    String mode = row.getString(7);
                    String resources = row.getString(8);
                    claims.add(new Claim(row.getString(1), row.getString(2), Instant.parse(row.getString(3)),
                            row.getString(4), row.getLong(5), expiresAt == null ? null : Instant.parse(expiresAt),
                            resources == null ? List.of()
                                    : Arrays.stream(resources.split("\n")).map(ResourceGlob::parse).toList(),
                            mode == null ? ReservationMode.EXCLUSIVE : ReservationMode.parse(mode)));
                }
            }
            return claims;
        }
    }

    private static String instant(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
