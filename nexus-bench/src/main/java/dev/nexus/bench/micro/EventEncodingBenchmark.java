package dev.nexus.bench.micro;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.WireJson;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** {@link EventCodec#encode}: one event to its wire JSON, the work done once per published event. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class EventEncodingBenchmark {
    @Param({"200", "2000"})
    int payloadBytes;

    private Event event;

    @Setup
    public void setUp() {
        ObjectNode payload = WireJson.mapper().createObjectNode();
        payload.put("pad", "x".repeat(Math.max(0, payloadBytes - 10)));
        event = new Event(UUID.randomUUID().toString(), 42, "bench.encode", "bench-session", Instant.now(), payload,
                null, "corr-1", null, null, null, null, null);
    }

    @Benchmark
    public byte[] encode() {
        return EventCodec.encode(event);
    }
}
