package dev.nexus.store.sqlite;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * Applies {@link LogRetention} inside the writer's transaction: removes the oldest events beyond the count, byte
 * or age limit, at most {@code chunk} of them per call so that a large backlog is removed over several
 * transactions between which appends get their turn. Only a prefix of the log is ever removed, so the retained
 * seqs stay contiguous; {@code first_seq} in {@link Meta} records where they now start.
 */
final class Pruner {
    private static final String DELETE_THROUGH = "DELETE FROM events WHERE seq BETWEEN ? AND ?";
    private static final String AGES_FROM = "SELECT seq, timestamp FROM events WHERE seq >= ? ORDER BY seq LIMIT ?";
    private static final String SIZES_FROM = "SELECT seq, size_bytes FROM events WHERE seq >= ? ORDER BY seq LIMIT ?";
    private static final String SIZE_BETWEEN =
            "SELECT COALESCE(SUM(size_bytes), 0) FROM events WHERE seq BETWEEN ? AND ?";

    private final LogRetention retention;
    private final int chunk;

    Pruner(LogRetention retention, int chunk) {
        if (chunk < 1) {
            throw new IllegalArgumentException("prune chunk must be positive: " + chunk);
        }
        this.retention = retention;
        this.chunk = chunk;
    }

    /** Whether the log is over its count or byte limit (the age limit needs a clock, so it is asked for). */
    boolean overLimit(LogExtent extent) {
        return extent.size() > retention.maxEvents()
                || (retention.limitsBytes() && extent.bytes() > retention.maxBytes());
    }

    /**
     * Removes one chunk of what is beyond the limits, in the caller's transaction.
     *
     * @param statements the statements of the connection whose transaction is open
     * @param extent the log including the caller's uncommitted appends
     * @param ageCutoff events older than this are beyond the age limit; null to leave age alone
     * @return the extent after the removal, and whether everything older than {@code ageCutoff} is gone
     */
    Trimmed trim(StatementCache statements, LogExtent extent, Instant ageCutoff) throws SQLException {
        long first = extent.firstSeq();
        long through = Math.max(first - 1, extent.head() - retention.maxEvents());
        boolean ageDone = true;
        if (ageCutoff != null) {
            AgeScan scan = scanAge(statements, first, ageCutoff.toEpochMilli());
            through = Math.max(through, scan.oldThrough());
            ageDone = scan.complete();
        }
        if (retention.limitsBytes() && extent.bytes() > retention.maxBytes()) {
            through = Math.max(through, bytesThrough(statements, first, extent.bytes() - retention.maxBytes()));
        }
        long cap = first + chunk - 1;
        if (through > cap) {
            through = cap;
            ageDone = false;
        }
        if (through < first) {
            LogExtent unchanged = extent.size() == 0 ? new LogExtent(first, extent.head(), 0) : extent;
            return new Trimmed(unchanged, ageDone);
        }
        long freed = retention.limitsBytes() ? sumBytes(statements, first, through) : 0;
        PreparedStatement delete = statements.get(DELETE_THROUGH);
        delete.setLong(1, first);
        delete.setLong(2, through);
        delete.executeUpdate();
        Meta.put(statements, Meta.FIRST_SEQ, Long.toString(through + 1));
        return new Trimmed(new LogExtent(through + 1, extent.head(), Math.max(0, extent.bytes() - freed)), ageDone);
    }

    /**
     * The outcome of {@link #trim}.
     *
     * @param extent the log after the removal
     * @param ageDone true when no event older than the age cutoff is left at the start of the log
     */
    record Trimmed(LogExtent extent, boolean ageDone) {
    }

    private record AgeScan(long oldThrough, boolean complete) {
    }

    /**
     * The longest run of old events at the start of the log, looking at no more than one chunk (plus the event after
     * it, to tell whether the run ends there).
     */
    private AgeScan scanAge(StatementCache statements, long first, long cutoffMillis) throws SQLException {
        PreparedStatement select = statements.get(AGES_FROM);
        select.setLong(1, first);
        select.setInt(2, chunk + 1);
        long through = first - 1;
        int old = 0;
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                if (rows.getLong(2) >= cutoffMillis) {
                    return new AgeScan(through, true);
                }
                if (old == chunk) {
                    return new AgeScan(through, false);
                }
                through = rows.getLong(1);
                old++;
            }
        }
        return new AgeScan(through, true);
    }

    /** The seq through which the oldest events add up to at least {@code excess} bytes (or the last one looked at). */
    private long bytesThrough(StatementCache statements, long first, long excess) throws SQLException {
        PreparedStatement select = statements.get(SIZES_FROM);
        select.setLong(1, first);
        select.setInt(2, chunk);
        long through = first - 1;
        long freed = 0;
        try (ResultSet rows = select.executeQuery()) {
            while (freed < excess && rows.next()) {
                through = rows.getLong(1);
                freed += rows.getLong(2);
            }
        }
        return through;
    }

    private static long sumBytes(StatementCache statements, long first, long through) throws SQLException {
        PreparedStatement select = statements.get(SIZE_BETWEEN);
        select.setLong(1, first);
        select.setLong(2, through);
        try (ResultSet row = select.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}
