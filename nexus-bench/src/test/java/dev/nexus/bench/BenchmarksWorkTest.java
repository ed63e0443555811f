package dev.nexus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The load generator measures what it says against a real server: every event delivered and counted, every
 * publish acknowledged. Short runs; no figure is asserted (figures come from real runs, docs/benchmarks.md).
 */
class BenchmarksWorkTest {
    @TempDir
    Path dataDir;

    private NexusServer server;

    @BeforeEach
    void start() {
        server = NexusServer.start(ServerConfig.builder().port(0).dataDir(dataDir).rateLimitPerMinute(0).build());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void latencyRunCountsEveryDelivery() throws Exception {
        LatencyBenchmark.Result result = new LatencyBenchmark(new LatencyBenchmark.Settings(server.httpUri(), 3, 1, 200,
                Duration.ofSeconds(1), Duration.ofMillis(200), 100)).run();
        assertThat(result.complete()).as(result.report()).isTrue();
        assertThat(result.expected()).isEqualTo(result.sent() * 3).isPositive();
        assertThat(result.latency().getTotalCount()).isEqualTo(result.received());
        assertThat(result.report()).contains("latency p99");
    }

    @Test
    void publishRunCountsEveryAck() throws Exception {
        PublishBenchmark.Result result = new PublishBenchmark(new PublishBenchmark.Settings(server.httpUri(), 2, 500, 8,
                Duration.ofSeconds(1), Duration.ofMillis(200), 100)).run();
        assertThat(result.errors()).isZero();
        assertThat(result.acked()).isBetween(400L, 600L);
        assertThat(result.latency().getTotalCount()).isEqualTo(result.acked());
        assertThat(result.report()).contains("ack latency p99");
    }
}
