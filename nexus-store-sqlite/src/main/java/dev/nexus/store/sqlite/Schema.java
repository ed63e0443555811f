package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The tables of a Nexus database, created in a new file and checked in an existing one. Every store of the file
 * ({@link SqliteEventLog}, {@link SqliteLeaseStore}, {@link SqliteInboxStore}) applies it when they open; applying it twice changes nothing.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value TEXT)            schema_version, epoch, first_seq, fencing_token, open_durability
 * events(seq INTEGER PRIMARY KEY, event_id, event_type, session_id, timestamp (epoch millis), target_session_id,
 *        idempotency_key, ttl (seconds), size_bytes, json (the event's wire JSON, seq included))
 *   no other index: timestamps rise with seq, and idempotency keys are looked up in memory
 * claims(work_id TEXT PRIMARY KEY, claimed_by, claimed_at, description, fencing_token UNIQUE, expires_at)
 *   claims_by_holder(claimed_by, fencing_token); instants are ISO-8601 text, exact to the nanosecond
 * claim_resources(fencing_token INTEGER PRIMARY KEY, mode, resources (newline-separated globs))
 *                                                   only for claims that reserve resources
 * work_items(work_id TEXT PRIMARY KEY, seq UNIQUE (enqueue order), status, json (the whole item, see WorkItemJson))
 * inbox(recipient, seq, event_id, sender, event_type, state (pending|delivered|read), json) PRIMARY KEY (recipient, seq)
 * </pre>
 * Tables added after version 1 ({@code claim_resources}, {@code work_items}, {@code inbox}) are created in older files when they
 * open, which needs no version change: older code never reads them.
 */
final class Schema {
    /** The layout this code reads and writes; a file with another version is refused rather than misread. */
    static final int VERSION = 1;

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        """
        CREATE TABLE IF NOT EXISTS events (
            seq INTEGER PRIMARY KEY,
            event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            session_id TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            target_session_id TEXT,
            idempotency_key TEXT,
            ttl INTEGER,
            size_bytes INTEGER NOT NULL,
            json BLOB NOT NULL)""",
        // The events table has no index besides its seq, so an append is one b-tree insert. Timestamps rise with seq
        // (the node stamps them so), so a read by time finds its start by a binary search over seqs (LogReader);
        // idempotency keys are looked up in the node's memory, which a start fills by reading the recent events.
        // Files written before 2026-11-23 had an index of each; they go when such a file opens.
        "DROP INDEX IF EXISTS events_by_timestamp",
        "DROP INDEX IF EXISTS events_by_idempotency_key",
        """
        CREATE TABLE IF NOT EXISTS claims (
            work_id TEXT PRIMARY KEY,
            claimed_by TEXT NOT NULL,
            claimed_at TEXT NOT NULL,
            description TEXT,
            fencing_token INTEGER NOT NULL UNIQUE,
            expires_at TEXT)""",
        "CREATE INDEX IF NOT EXISTS claims_by_holder ON claims (claimed_by, fencing_token)",
        """
        CREATE TABLE IF NOT EXISTS claim_resources (
            fencing_token INTEGER PRIMARY KEY,
            mode TEXT NOT NULL,
            resources TEXT NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS work_items (
            work_id TEXT PRIMARY KEY,
            seq INTEGER NOT NULL UNIQUE,
            status TEXT NOT NULL,
            json TEXT NOT NULL)""",
        """
        CREATE TABLE IF NOT EXISTS inbox (
            recipient TEXT NOT NULL,
            seq INTEGER NOT NULL,
            event_id TEXT NOT NULL,
            sender TEXT NOT NULL,
            event_type TEXT NOT NULL,
            state TEXT NOT NULL,
            json BLOB NOT NULL,
            PRIMARY KEY (recipient, seq)) WITHOUT ROWID""",
    };

    private Schema() {
    }

    /**
     * Creates what is missing and records the version, inside the caller's transaction.
     *
     * @throws SQLException when the file cannot be written or read
     * @throws IllegalStateException when the file holds another schema version
     */
    static void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
        String version = Meta.get(connection, Meta.SCHEMA_VERSION);
        if (version == null) {
            Meta.put(connection, Meta.SCHEMA_VERSION, Integer.toString(VERSION));
        } else if (!version.equals(Integer.toString(VERSION))) {
            throw new IllegalStateException("the database has schema version " + version + " but this Nexus reads "
                    + "version " + VERSION + "; use a matching Nexus or move the file aside");
        }
    }
}
