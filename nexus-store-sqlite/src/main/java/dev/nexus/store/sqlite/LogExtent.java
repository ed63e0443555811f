package dev.nexus.store.sqlite;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * What the committed log holds: the contiguous seqs {@code firstSeq..head} (none when {@code firstSeq > head}).
 * Retention only ever removes the oldest events and appends only add the next seq, so the range has no holes.
 *
 * @param firstSeq the lowest seq retained, {@code head + 1} when none is
 * @param head the highest seq committed, 0 when none ever was
 * @param bytes the summed {@code size_bytes} of the retained events; kept only when a byte limit is set, else 0
 */
record LogExtent(long firstSeq, long head, long bytes) {
    /** Number of events retained. */
    long size() {
        return Math.max(0, head - firstSeq + 1);
    }

    /**
     * Reads the extent of the log in {@code connection}'s current transaction. The head never goes below
     * {@code first_seq - 1}, so a log whose every event was pruned does not hand out the same seqs again.
     */
    static LogExtent load(Connection connection, boolean countBytes) throws SQLException {
        long prunedBelow = Meta.getLong(connection, Meta.FIRST_SEQ, 1);
        // two queries: SQLite answers a lone MIN or MAX of the key from the end of the b-tree, both together by a scan
        Long min = seqAggregate(connection, "SELECT MIN(seq) FROM events");
        long head = min == null ? prunedBelow - 1 : Math.max(seqAggregate(connection, "SELECT MAX(seq) FROM events"),
                prunedBelow - 1);
        long first = min == null ? head + 1 : min;
        return new LogExtent(first, head, countBytes ? sumBytes(connection) : 0);
    }

    private static Long seqAggregate(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            long value = row.getLong(1);
            return row.wasNull() ? null : value;
        }
    }

    private static long sumBytes(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT COALESCE(SUM(size_bytes), 0) FROM events")) {
            row.next();
            return row.getLong(1);
        }
    }
}
