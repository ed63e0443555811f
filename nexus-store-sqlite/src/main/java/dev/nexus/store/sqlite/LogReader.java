package dev.nexus.store.sqlite;

import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.TopicPattern;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Answers {@link HistoryQuery}s from committed rows. SQL narrows by seq, time, ttl, direct messages and the
 * literal prefix of the pattern; the exact pattern match happens here, so rows are read in pages until
 * {@code limit} events match or the log is exhausted. Each page is one short read, so a reader never pins an old
 * snapshot of the log for long.
 */
final class LogReader {
    private static final int MIN_PAGE = 64;
    private static final int MAX_PAGE = 1_000;

    private final ReadConnections connections;
    private final Duration maxAge;

    LogReader(ReadConnections connections, Duration maxAge) {
        this.connections = connections;
        this.maxAge = maxAge;
    }

    /** The events {@code query} asks for as of {@code now}, in seq order. */
    List<Event> read(HistoryQuery query, Instant now) {
        long oldest = now.minus(maxAge).toEpochMilli();
        Conditions conditions = Conditions.of(query, now.toEpochMilli());
        return connections.read(connection -> {
            if (query.afterSeq() == null && query.since() == null) {
                return mostRecent(connection, query, conditions, oldest);
            }
            long from = query.since() == null ? oldest : Math.max(oldest, query.since().toEpochMilli());
            long after = query.afterSeq() != null ? query.afterSeq() : firstAtOrAfter(connection, from) - 1;
            return ascending(connection, query, conditions, after, from);
        });
    }

    private static List<Event> ascending(Connection connection, HistoryQuery query, Conditions conditions,
            long afterSeq, long fromMillis) throws SQLException {
        List<Event> result = new ArrayList<>();
        int page = pageSize(query.limit());
        String sql = "SELECT seq, event_type, json, timestamp FROM events WHERE seq > ? AND +timestamp >= ?"
                + conditions.sql() + " ORDER BY seq LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            long after = afterSeq;
            while (true) {
                select.setLong(1, after);
                select.setLong(2, fromMillis);
                int next = conditions.bind(select, 3);
                select.setInt(next, page);
                int rows = 0;
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        after = row.getLong(1);
                        if (conditions.matches(row.getString(2))) {
                            result.add(EventRows.decode(after, row.getBytes(3)));
                            if (result.size() == query.limit()) {
                                return result;
                            }
                        }
                    }
                }
                if (rows < page) {
                    return result;
                }
            }
        }
    }

    /** The newest matching events, stopping at the first one past the age limit. */
    private static List<Event> mostRecent(Connection connection, HistoryQuery query, Conditions conditions,
            long oldestMillis) throws SQLException {
        List<Event> newestFirst = new ArrayList<>();
        int page = pageSize(query.limit());
        String sql = "SELECT seq, event_type, json, timestamp FROM events WHERE seq < ?"
                + conditions.sql() + " ORDER BY seq DESC LIMIT ?";
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            long before = Long.MAX_VALUE;
            scan:
            while (true) {
                select.setLong(1, before);
                int next = conditions.bind(select, 2);
                select.setInt(next, page);
                int rows = 0;
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        rows++;
                        before = row.getLong(1);
                        if (row.getLong(4) < oldestMillis) {
                            break scan;
                        }
                        if (conditions.matches(row.getString(2))) {
                            newestFirst.add(EventRows.decode(before, row.getBytes(3)));
                            if (newestFirst.size() == query.limit()) {
                                break scan;
                            }
                        }
                    }
                }
                if (rows < page) {
                    break;
                }
            }
        }
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    /**
     * The lowest seq stamped at or after {@code fromMillis}, or {@code Long.MAX_VALUE} when there is none: a binary
     * search over the retained seqs, which relies on timestamps rising with seq (see {@code EventTimestamps} in the
     * core). Each probe reads the first row at or after a seq, so a prefix pruned meanwhile only moves the answer up.
     */
    private static long firstAtOrAfter(Connection connection, long fromMillis) throws SQLException {
        try (PreparedStatement probe = connection.prepareStatement(
                "SELECT seq, timestamp FROM events WHERE seq >= ? ORDER BY seq LIMIT 1")) {
            Row first = probe(probe, 0);
            if (first == null || first.timestamp() >= fromMillis) {
                return first == null ? Long.MAX_VALUE : first.seq();
            }
            long below = first.seq();
            long atOrAbove = Long.MAX_VALUE;
            long high = newestSeq(connection) + 1;
            while (high - below > 1) {
                long middle = below + (high - below) / 2;
                Row row = probe(probe, middle);
                if (row == null) {
                    high = middle;
                } else if (row.timestamp() >= fromMillis) {
                    atOrAbove = row.seq();
                    high = middle;
                } else {
                    below = row.seq();
                }
            }
            return atOrAbove;
        }
    }

    private record Row(long seq, long timestamp) {
    }

    private static Row probe(PreparedStatement probe, long atOrAfterSeq) throws SQLException {
        probe.setLong(1, atOrAfterSeq);
        try (ResultSet row = probe.executeQuery()) {
            return row.next() ? new Row(row.getLong(1), row.getLong(2)) : null;
        }
    }

    private static long newestSeq(Connection connection) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT MAX(seq) FROM events");
                ResultSet row = select.executeQuery()) {
            return row.next() ? row.getLong(1) : 0;
        }
    }

    private static int pageSize(int limit) {
        return Math.max(MIN_PAGE, Math.min(MAX_PAGE, limit));
    }

    /**
     * The filters every form shares: ttl not run out as of {@code nowMillis}, direct messages only when asked for,
     * and the pattern (its literal prefix in SQL, the exact match in Java).
     */
    private record Conditions(long nowMillis, boolean includeDirect, TopicPattern pattern, String typeSql,
            String typeValue) {

        static Conditions of(HistoryQuery query, long nowMillis) {
            TopicPattern pattern = query.pattern();
            if (pattern == null) {
                return new Conditions(nowMillis, query.includeDirect(), null, "", null);
            }
            if (pattern.isLiteral()) {
                return new Conditions(nowMillis, query.includeDirect(), pattern, " AND event_type = ?", pattern.text());
            }
            List<String> prefix = new ArrayList<>();
            for (String token : pattern.tokens()) {
                if (token.equals(TopicPattern.ONE) || token.equals(TopicPattern.REST)) {
                    break;
                }
                prefix.add(token);
            }
            if (prefix.isEmpty()) {
                return new Conditions(nowMillis, query.includeDirect(), pattern, "", null);
            }
            // Topic segments are letters, digits, '_' and '-', none of which GLOB treats specially.
            return new Conditions(nowMillis, query.includeDirect(), pattern, " AND event_type GLOB ?",
                    String.join(".", prefix) + ".*");
        }

        String sql() {
            return " AND (ttl IS NULL OR timestamp + ttl * 1000 > ?)"
                    + (includeDirect ? "" : " AND target_session_id IS NULL") + typeSql;
        }

        /** Binds this filter's parameters from {@code index} on; returns the next free index. */
        int bind(PreparedStatement select, int index) throws SQLException {
            select.setLong(index++, nowMillis);
            if (typeValue != null) {
                select.setString(index++, typeValue);
            }
            return index;
        }

        boolean matches(String eventType) {
            return pattern == null || pattern.matches(eventType);
        }
    }
}
