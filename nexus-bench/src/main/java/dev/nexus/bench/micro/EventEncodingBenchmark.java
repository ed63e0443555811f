package dev.nexus.bench.micro;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.ClientFrame;
import dev.nexus.protocol.ClientFrameReader;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.ServerFrames;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * {@link EventCodec#encode}: one event to its wire JSON, the work done once per published event ({@code encode},
 * payload built as a tree by the server); and the whole per-publish JSON work of a WebSocket publish
 * ({@code publishFrame}): read the client's frame, encode the event, write the ack.
 */
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
    private String frame;

    @Setup
    public void setUp() {
        ObjectNode payload = WireJson.mapper().createObjectNode();
        payload.put("pad", "x".repeat(Math.max(0, payloadBytes - 10)));
        event = new Event(UUID.randomUUID().toString(), 42, "bench.encode", "bench-session", Instant.now(), payload,
                null, "corr-1", null, null, null, null, null);
        frame = "{\"action\":\"publish\",\"event_type\":\"bench.encode\",\"payload\":{\"i\":42,\"pad\":\""
                + "x".repeat(Math.max(0, payloadBytes - 20)) + "\"}}";
    }

    @Benchmark
    public byte[] encode() {
        return EventCodec.encode(event);
    }

    @Benchmark
    public void publishFrame(Blackhole sink) {
        ClientFrame.Publish publish = (ClientFrame.Publish) ClientFrameReader.read(frame, "bench-session");
        PublishRequest request = publish.request();
        Event published = new Event(event.eventId(), 42, request.eventType(), request.sessionId(), event.timestamp(),
                request.payload(), null, null, null, null, null, null, null);
        sink.consume(EventCodec.encode(published));
        sink.consume(ServerFrames.publishAck(publish.id(), published.eventId(), 42, "epoch-1", "2026-11-23T12:00:00.000Z",
                false, null));
    }
}
