package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The tables of a Nexus database, created in a new file and checked in an existing one. Every store of the file
 * ({@link SqliteEventLog}, {@link SqliteLeaseStore}, {@link SqliteInboxStore}) applies it when they open; applying it twice changes nothing.
 *
 * <pre>
 * meta(key TEXT PRIMARY KEY, value TEXT)            schema_version, epoch, first_seq, fencing_token, open_durability
 * events(seq INTEGER PRIMARY KEY, event_type, timestamp (epoch millis), target_session_id, ttl (seconds),
 *        size_bytes, json (the event's wire JSON, seq included: everything else about the event is read from it))
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
 *
 * <p>Version 2 (2026-11-23) took out of {@code events} the columns that repeated the JSON and that no query read
 * ({@code event_id}, {@code session_id}, {@code idempotency_key}): an append binds three strings fewer. A version 1
 * file is upgraded when it opens, by copying its events once into a table of the new layout (see
 * {@link #upgradeFromVersion1}).
 */
final class Schema {
    private static final Logger LOG = LoggerFactory.getLogger(Schema.class);

    /** The layout this code reads and writes; a file with another version is refused rather than misread. */
    static final int VERSION = 2;

    /** The columns of {@code events}, in the order of their definitions; {@link EventRows#INSERT} binds them all. */
    static final String EVENTS_COLUMN_NAMES = "seq, event_type, timestamp, target_session_id, ttl, size_bytes, json";

    private static final String EVENTS_COLUMNS = """
            seq INTEGER PRIMARY KEY,
            event_type TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            target_session_id TEXT,
            ttl INTEGER,
            size_bytes INTEGER NOT NULL,
            json BLOB NOT NULL""";

    private static final String[] DDL = {
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID",
        "CREATE TABLE IF NOT EXISTS events (" + EVENTS_COLUMNS + ")",
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
     * Creates what is missing, upgrades a version 1 file, and records the version, inside the caller's transaction.
     *
     * @throws SQLException when the file cannot be written or read
     * @throws IllegalStateException when the file holds a schema version this code does not know
     */
    static void apply(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String ddl : DDL) {
                statement.execute(ddl);
            }
        }
        String version = Meta.get(connection, Meta.SCHEMA_VERSION);
        if ("1".equals(version)) {
            upgradeFromVersion1(connection);
        } else if (version != null && !version.equals(Integer.toString(VERSION))) {
            throw new IllegalStateException("the database has schema version " + version + " but this Nexus reads "
                    + "version " + VERSION + "; use a matching Nexus or move the file aside");
        }
        if (!Integer.toString(VERSION).equals(version)) {
            Meta.put(connection, Meta.SCHEMA_VERSION, Integer.toString(VERSION));
        }
    }

    /**
     * Version 1 to 2: the events move to a table without the repeated columns, in one copy (dropping three columns
     * one by one would rewrite the table three times). It takes time in proportion to the log, once, and needs
     * room for a second copy of the events until the transaction commits; the start logs a line before it begins.
     */
    private static void upgradeFromVersion1(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long events;
            try (ResultSet count = statement.executeQuery("SELECT COUNT(*) FROM events")) {
                events = count.next() ? count.getLong(1) : 0;
            }
            LOG.info("upgrading the database to schema version {}: copying {} event(s) into the new layout once",
                    VERSION, events);
            statement.execute("CREATE TABLE events_v2 (" + EVENTS_COLUMNS + ")");
            statement.execute("INSERT INTO events_v2 (" + EVENTS_COLUMN_NAMES + ") SELECT " + EVENTS_COLUMN_NAMES
                    + " FROM events ORDER BY seq");
            statement.execute("DROP TABLE events");
            statement.execute("ALTER TABLE events_v2 RENAME TO events");
        }
    }
}
