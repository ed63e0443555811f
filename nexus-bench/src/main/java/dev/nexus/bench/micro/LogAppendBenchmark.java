package dev.nexus.bench.micro;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.spi.EventLog;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.WireJson;
import dev.nexus.store.sqlite.LogRetention;
import dev.nexus.store.sqlite.SqliteEventLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link SqliteEventLog}: a batch of {@value #BATCH} appends, then waiting until the last is durable as the mode
 * promises (under {@code sync}, after the fsync that covers it; the writer commits what has queued as one
 * transaction). Reported per event. {@link #appendOneAndWait} waits for every append before the next: under
 * {@code sync} each is a transaction and an fsync of its own (the cost of a lone publisher's acknowledged event);
 * under {@code off} an append is acknowledged at once, so the writer still batches. {@code retainedEvents} small
 * enough makes retention remove the oldest events at every commit, as on a server whose history is full.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LogAppendBenchmark {
    static final int BATCH = 1000;

    @Param({"sync", "off"})
    String durability;

    @Param({"100000000"})
    int retainedEvents;

    private Path dir;
    private SqliteEventLog log;
    private Event event;

    @Setup(Level.Trial)
    public void open() throws IOException {
        dir = Files.createTempDirectory("nexus-jmh-log-");
        log = SqliteEventLog.open(dir.resolve("nexus.db"), Durability.parse(durability),
                LogRetention.of(retainedEvents, Duration.ofDays(1)), Clock.systemUTC());
        ObjectNode payload = WireJson.mapper().createObjectNode().put("pad", "x".repeat(190));
        event = new Event(UUID.randomUUID().toString(), 0, "bench.log", "bench-session", Instant.now(), payload,
                null, null, null, null, null, null, null);
    }

    @TearDown(Level.Trial)
    public void close() throws IOException {
        log.close();
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void appendBatch() {
        EventLog.Appended last = null;
        for (int i = 0; i < BATCH; i++) {
            last = log.append(event);
        }
        last.durable().join();
    }

    @Benchmark
    public void appendOneAndWait() {
        log.append(event).durable().join();
    }
}
