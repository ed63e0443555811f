package dev.nexus.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.nexus.core.spi.ContractClock;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.WireJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.LoggerFactory;

/** What only a file-backed log promises: restarts, real commits, group commit, byte retention, loud failures. */
class SqliteEventLogTest {
    private static final LogRetention KEEP_ALL = LogRetention.of(1_000_000, Duration.ofHours(1));

    @TempDir
    Path dir;
    private final ContractClock clock = new ContractClock();
    private final ControlledConnection control = new ControlledConnection();
    private final List<AutoCloseable> opened = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        control.open();
        for (AutoCloseable closeable : opened) {
            closeable.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Durability.class)
    void reopeningKeepsEventsHeadAndEpoch(Durability durability) {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog first = open(file, durability, KEEP_ALL);
        List<Event> appended = appendAll(first, 100);
        String epoch = first.epoch();
        first.close();

        SqliteEventLog again = open(file, durability, KEEP_ALL);

        assertThat(again.epoch()).isEqualTo(epoch);
        assertThat(again.head().seq()).isEqualTo(100);
        assertThat(again.firstSeq()).isEqualTo(1);
        assertThat(again.size()).isEqualTo(100);
        assertThat(again.read(HistoryQuery.afterSeq(0, null, 1_000, true))).isEqualTo(appended);
        assertThat(again.append(event()).position().seq()).isEqualTo(101);
    }

    @Test
    void aNewFileHasANewEpoch() {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog first = open(file, Durability.SYNC, KEEP_ALL);
        String epoch = first.epoch();
        first.close();
        deleteDatabase(file);

        SqliteEventLog recreated = open(file, Durability.SYNC, KEEP_ALL);
        SqliteEventLog other = open(dir.resolve("other.db"), Durability.SYNC, KEEP_ALL);

        assertThat(recreated.epoch()).isNotEqualTo(epoch);
        assertThat(recreated.head().seq()).isZero();
        assertThat(other.epoch()).isNotIn(epoch, recreated.epoch());
    }

    @Test
    void seqsAreNotReusedAfterEverythingWasPrunedAndTheLogReopened() {
        Path file = dir.resolve("nexus.db");
        LogRetention oneMinute = LogRetention.of(1_000, Duration.ofMinutes(1));
        SqliteEventLog first = open(file, Durability.SYNC, oneMinute);
        appendAll(first, 5);
        clock.advance(Duration.ofMinutes(2));
        first.prune(clock.instant());
        assertThat(first.size()).isZero();
        first.close();

        SqliteEventLog again = open(file, Durability.SYNC, oneMinute);

        assertThat(again.head().seq()).isEqualTo(5);
        assertThat(again.firstSeq()).isEqualTo(6);
        assertThat(again.append(event()).position().seq()).isEqualTo(6);
    }

    @Test
    void aBatchAsyncRunThatDidNotCloseLeavesTheNextOpenANewEpoch() {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog crashed = open(file, Durability.BATCH_ASYNC, KEEP_ALL);
        appendAll(crashed, 3);
        assertThat(crashed.size()).isEqualTo(3);

        // opened while the first is still open: to the second, the first run never closed
        SqliteEventLog next = open(file, Durability.SYNC, KEEP_ALL);

        assertThat(next.epoch()).isNotEqualTo(crashed.epoch());
        assertThat(next.head().seq()).isEqualTo(3);
    }

    @Test
    void aSyncRunThatDidNotCloseKeepsItsEpoch() {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog crashed = open(file, Durability.SYNC, KEEP_ALL);
        appendAll(crashed, 3);

        SqliteEventLog next = open(file, Durability.SYNC, KEEP_ALL);

        assertThat(next.epoch()).isEqualTo(crashed.epoch());
        assertThat(next.head().seq()).isEqualTo(3);
    }

    @Test
    void syncDurableCompletesOnlyAfterTheCommitThatCoversTheEvent() throws Exception {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog log = openControlled(file, Durability.SYNC, KEEP_ALL, WriterSettings.defaults());
        control.hold();

        EventLog.Appended appended = log.append(event());
        soon().until(() -> control.heldCommits() == 1);

        assertThat(appended.durable()).isNotDone();
        assertThat(rowCount(file)).isZero();
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true))).isEmpty();

        control.open();
        appended.durable().get(10, TimeUnit.SECONDS);

        assertThat(rowCount(file)).isEqualTo(1);
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 10, true))).hasSize(1);
    }

    @Test
    void appendsWaitingForACommitAreWrittenTogether() throws Exception {
        SqliteEventLog log = openControlled(dir.resolve("nexus.db"), Durability.SYNC, KEEP_ALL, WriterSettings.defaults());
        long commitsBefore = log.commitCount();
        control.hold();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        durable.add(log.append(event()).durable());
        soon().until(() -> control.heldCommits() == 1);
        for (int i = 1; i < 5_000; i++) {
            durable.add(log.append(event()).durable());
        }

        control.open();
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);

        // the held one, then 4,999 in batches of at most 2,000
        assertThat(log.commitCount() - commitsBefore).isEqualTo(4);
        assertThat(log.size()).isEqualTo(5_000);
    }

    @Test
    void manyAppendsFromOneThreadShareFarFewerCommits() {
        SqliteEventLog log = open(dir.resolve("nexus.db"), Durability.SYNC, KEEP_ALL);
        long commitsBefore = log.commitCount();

        appendAll(log, 20_000);

        assertThat(log.commitCount() - commitsBefore).isLessThan(2_000);
        assertThat(log.size()).isEqualTo(20_000);
    }

    @Test
    void retentionByBytesKeepsTheNewestEventsWithinTheLimit() {
        Path file = dir.resolve("nexus.db");
        LogRetention fiveKilobytes = new LogRetention(1_000_000, Duration.ofHours(1), 5_000);
        SqliteEventLog log = open(file, Durability.SYNC, fiveKilobytes);
        appendAll(log, 100);

        log.prune(clock.instant());

        assertKeptNewestWithin(file, log, 5_000);
        log.close();
        SqliteEventLog again = open(file, Durability.SYNC, fiveKilobytes);
        appendAll(again, 30);
        again.prune(clock.instant());
        assertKeptNewestWithin(file, again, 5_000);
        assertThat(again.head().seq()).isEqualTo(130);
    }

    @Test
    void aLargeBacklogIsPrunedInChunksBetweenAppends() {
        WriterSettings smallChunks = new WriterSettings(10_000, 2_000, 100, Duration.ofSeconds(2), Duration.ofSeconds(30));
        LogRetention oneMinute = LogRetention.of(1_000_000, Duration.ofMinutes(1));
        SqliteEventLog log = openControlled(dir.resolve("nexus.db"), Durability.SYNC, oneMinute, smallChunks);
        appendAll(log, 1_000);
        clock.advance(Duration.ofMinutes(2));
        appendAll(log, 10);
        long commitsBefore = log.commitCount();

        log.prune(clock.instant());

        assertThat(log.commitCount() - commitsBefore).isEqualTo(10);
        assertThat(log.size()).isEqualTo(10);
        assertThat(log.firstSeq()).isEqualTo(1_001);
    }

    @Test
    void countRetentionRunsWithoutBeingAsked() {
        SqliteEventLog log = open(dir.resolve("nexus.db"), Durability.SYNC, LogRetention.of(50, Duration.ofHours(1)));

        appendAll(log, 500);

        soon().until(() -> log.size() == 50);
        assertThat(log.firstSeq()).isEqualTo(451);
    }

    @Test
    void aDirectoryWhereTheFileShouldBeFailsTheOpenClearly() throws Exception {
        Path file = Files.createDirectory(dir.resolve("nexus.db"));

        assertThatThrownBy(() -> SqliteEventLog.open(file, Durability.SYNC, KEEP_ALL, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot open the event log in " + file)
                .hasMessageContaining("cannot be opened or created");
        assertThatThrownBy(() -> SqliteLeaseStore.open(file))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot open the claim store in " + file);
    }

    @Test
    void aFileOfGarbageFailsTheOpenClearly() throws Exception {
        Path file = dir.resolve("nexus.db");
        byte[] garbage = new byte[8_192];
        new Random(7).nextBytes(garbage);
        Files.write(file, garbage);

        assertThatThrownBy(() -> SqliteEventLog.open(file, Durability.SYNC, KEEP_ALL, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot open the event log in " + file)
                .hasMessageContaining("not an SQLite database or is corrupt");
    }

    @Test
    void aFileOfAnotherSchemaVersionIsRefused() throws Exception {
        Path file = dir.resolve("nexus.db");
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID");
            statement.execute("INSERT INTO meta VALUES ('schema_version', '99')");
        }

        assertThatThrownBy(() -> SqliteEventLog.open(file, Durability.SYNC, KEEP_ALL, clock))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("schema version 99");
    }

    @ParameterizedTest
    @EnumSource(value = Durability.class, names = {"SYNC", "BATCH_ASYNC"})
    void aFailedCommitFailsLoudlyAndTheLogRefusesAppendsWithoutAGap(Durability durability) throws Exception {
        Path file = dir.resolve("nexus.db");
        ListAppender<ILoggingEvent> logged = captureLog(LogWriter.class);
        SqliteEventLog log = openControlled(file, durability, KEEP_ALL, WriterSettings.defaults());
        List<Event> committed = appendAll(log, 10);
        assertThat(log.size()).as("committed before the disk fails").isEqualTo(10);

        control.failCommitsWith(org.sqlite.SQLiteErrorCode.SQLITE_FULL);
        EventLog.Appended lost = log.append(event());
        soon().until(() -> log.failure() != null);

        if (durability == Durability.SYNC) {
            assertThatThrownBy(() -> lost.durable().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(NexusException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        }
        assertThat(log.failure()).contains("the disk is full").contains(file.toString());
        assertThatThrownBy(() -> log.append(event()))
                .isInstanceOfSatisfying(NexusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("the disk is full");
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 100, true))).isEqualTo(committed);
        log.prune(clock.instant());
        // the writer records the failure, then logs it: under load the line may follow the failure by a moment
        soon().untilAsserted(() -> assertThat(List.copyOf(logged.list)).filteredOn(e -> e.getLevel() == Level.ERROR).hasSize(1));
        log.close();

        SqliteEventLog reopened = open(file, durability, KEEP_ALL);
        assertThat(reopened.failure()).isNull();
        assertThat(reopened.head().seq()).isEqualTo(10);
        assertThat(reopened.read(HistoryQuery.afterSeq(0, null, 100, true))).isEqualTo(committed);
        assertThat(reopened.append(event()).position().seq()).isEqualTo(11);
    }

    @Test
    void closeCommitsEverythingStillQueued() {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog log = openControlled(file, Durability.BATCH_ASYNC, KEEP_ALL, WriterSettings.defaults());
        control.hold();
        log.append(event());
        soon().until(() -> control.heldCommits() == 1);
        for (int i = 1; i < 5_000; i++) {
            log.append(event());
        }

        control.open();
        log.close();

        SqliteEventLog reopened = open(file, Durability.BATCH_ASYNC, KEEP_ALL);
        assertThat(reopened.epoch()).isEqualTo(log.epoch());
        assertThat(reopened.head().seq()).isEqualTo(5_000);
        assertThat(reopened.size()).isEqualTo(5_000);
    }

    @Test
    void aFullQueueMakesTheAppendWaitThenRefusesItWithoutUsingASeq() throws Exception {
        WriterSettings tiny = new WriterSettings(10, 2_000, 5_000, Duration.ofMillis(200), Duration.ofSeconds(30));
        SqliteEventLog log = openControlled(dir.resolve("nexus.db"), Durability.SYNC, KEEP_ALL, tiny);
        control.hold();
        log.append(event());
        soon().until(() -> control.heldCommits() == 1);
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            durable.add(log.append(event()).durable());
        }

        assertThatThrownBy(() -> log.append(event()))
                .isInstanceOfSatisfying(NexusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE))
                .hasMessageContaining("write queue stayed full");
        assertThat(log.head().seq()).isEqualTo(11);
        assertThat(log.failure()).isNull();

        control.open();
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        log.append(event()).durable().get(10, TimeUnit.SECONDS);
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 100, true)).stream().map(Event::seq).toList())
                .isEqualTo(LongStream.rangeClosed(1, 12).boxed().toList());
    }

    @Test
    void afterCloseAppendsAreRefusedAndCloseIsIdempotent() {
        SqliteEventLog log = open(dir.resolve("nexus.db"), Durability.SYNC, KEEP_ALL);
        appendAll(log, 3);

        log.close();
        log.close();

        assertThatThrownBy(() -> log.append(event()))
                .isInstanceOfSatisfying(NexusException.class,
                        e -> assertThat(e.code()).isEqualTo(ErrorCode.STORE_UNAVAILABLE));
        log.prune(clock.instant());
        assertThat(log.head().seq()).isEqualTo(3);
    }

    @Test
    void aReadByTimeStartsAtTheFirstEventStampedAtOrAfterTheInstant() {
        SqliteEventLog log = open(dir.resolve("nexus.db"), Durability.SYNC, KEEP_ALL);
        Random random = new Random(20261123);
        List<Event> appended = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            // runs of equal timestamps, and gaps between them, of random lengths
            if (random.nextInt(5) == 0) {
                clock.advance(Duration.ofMillis(1 + random.nextInt(40)));
            }
            appended.addAll(appendAll(log, 1));
        }
        java.time.Instant start = appended.getFirst().timestamp();
        java.time.Instant end = appended.getLast().timestamp();
        for (long offset = -5; offset <= Duration.between(start, end).toMillis() + 5; offset += 1 + random.nextInt(7)) {
            java.time.Instant since = start.plusMillis(offset);
            List<Event> expected = appended.stream().filter(event -> !event.timestamp().isBefore(since)).limit(3)
                    .toList();

            assertThat(log.read(new HistoryQuery(since, null, 3, true))).as("since %s", since).isEqualTo(expected);
        }
    }

    @Test
    void aVersion1FileWithItsFormerIndexesIsUpgradedWhenItOpensAndKeepsItsEventsSeqsAndEpoch() throws Exception {
        Path file = dir.resolve("nexus.db");
        SqliteEventLog first = open(file, Durability.SYNC, KEEP_ALL);
        List<Event> written = appendAll(first, 5);
        String epoch = first.epoch();
        first.close();
        // the version 1 layout: the same events, with the columns that repeated the JSON
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement()) {
            statement.execute("""
                    CREATE TABLE events_v1 (seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, event_type TEXT NOT NULL,
                        session_id TEXT NOT NULL, timestamp INTEGER NOT NULL, target_session_id TEXT,
                        idempotency_key TEXT, ttl INTEGER, size_bytes INTEGER NOT NULL, json BLOB NOT NULL)""");
            statement.execute("INSERT INTO events_v1 SELECT seq, 'id-' || seq, event_type, 'alice', timestamp, "
                    + "target_session_id, NULL, ttl, size_bytes, json FROM events");
            statement.execute("DROP TABLE events");
            statement.execute("ALTER TABLE events_v1 RENAME TO events");
            statement.execute("CREATE INDEX events_by_timestamp ON events (timestamp)");
            statement.execute("CREATE INDEX events_by_idempotency_key ON events (session_id, idempotency_key) "
                    + "WHERE idempotency_key IS NOT NULL");
            statement.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'");
        }
        assertThat(query(file, "SELECT COUNT(*) FROM pragma_table_info('events')")).as("v1 columns").isEqualTo(10);

        SqliteEventLog upgraded = open(file, Durability.SYNC, KEEP_ALL);
        List<Event> more = appendAll(upgraded, 2);

        assertThat(query(file, "SELECT value FROM meta WHERE key = 'schema_version'")).isEqualTo(2);
        assertThat(query(file, "SELECT COUNT(*) FROM pragma_table_info('events')")).as("columns now").isEqualTo(7);
        assertThat(query(file, "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index' AND tbl_name = 'events'"))
                .as("indexes of events besides its seq").isZero();
        assertThat(upgraded.epoch()).isEqualTo(epoch);
        assertThat(more).extracting(Event::seq).containsExactly(6L, 7L);
        List<Event> all = new ArrayList<>(written);
        all.addAll(more);
        assertThat(upgraded.read(HistoryQuery.afterSeq(0, null, 100, true))).isEqualTo(all);
    }

    // ---- helpers

    private static org.awaitility.core.ConditionFactory soon() {
        return await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(10));
    }

    private SqliteEventLog open(Path file, Durability durability, LogRetention retention) {
        return track(SqliteEventLog.open(file, durability, retention, clock));
    }

    private SqliteEventLog openControlled(Path file, Durability durability, LogRetention retention,
            WriterSettings settings) {
        return track(SqliteEventLog.open(file, durability, retention, clock, settings, control::wrap));
    }

    private SqliteEventLog track(SqliteEventLog log) {
        opened.add(log);
        return log;
    }

    private Event event() {
        return new Event(UUID.randomUUID().toString(), 0, "orders.created", "alice", clock.instant(),
                WireJson.mapper().createObjectNode().put("text", "x".repeat(20)), null, null, null, null, null, null,
                null);
    }

    /** Appends {@code count} events, waits until all are durable, and returns them as stored. */
    private List<Event> appendAll(EventLog log, int count) {
        List<Event> stored = new ArrayList<>();
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Event event = event();
            EventLog.Appended appended = log.append(event);
            stored.add(event.withSeq(appended.position().seq()));
            durable.add(appended.durable());
        }
        CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new)).join();
        return stored;
    }

    private void assertKeptNewestWithin(Path file, SqliteEventLog log, long maxBytes) {
        long first = log.firstSeq();
        assertThat(first).isGreaterThan(1);
        assertThat(query(file, "SELECT SUM(size_bytes) FROM events")).isLessThanOrEqualTo(maxBytes);
        assertThat(query(file, "SELECT SUM(size_bytes) FROM events")
                + query(file, "SELECT size_bytes FROM events WHERE seq = (SELECT MAX(seq) FROM events)"))
                .as("one more event would not fit").isGreaterThan(maxBytes);
        assertThat(log.size()).isEqualTo(log.head().seq() - first + 1);
        assertThat(log.read(HistoryQuery.afterSeq(0, null, 1_000, true)).getFirst().seq()).isEqualTo(first);
    }

    private static long rowCount(Path file) {
        return query(file, "SELECT COUNT(*) FROM events");
    }

    /** A number read through a connection of its own, as another process would see the file. */
    private static long query(Path file, String sql) {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteDatabase(Path file) {
        for (String suffix : List.of("", "-wal", "-shm")) {
            try {
                Files.deleteIfExists(Path.of(file + suffix));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static ListAppender<ILoggingEvent> captureLog(Class<?> source) {
        Logger logger = (Logger) LoggerFactory.getLogger(source);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        return appender;
    }
}
