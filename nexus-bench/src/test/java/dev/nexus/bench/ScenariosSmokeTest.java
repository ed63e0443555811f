package dev.nexus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import dev.nexus.server.StoreKind;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each scenario runs briefly through the command line and ends with a well-formed JSON summary carrying its
 * figures. Runs without {@code --url} start their own server as a child process, as {@code bin/nexus bench} does;
 * the others load a server started here. No figure is asserted beyond "something was measured": the figures come
 * from real runs (docs/benchmarks.md).
 */
class ScenariosSmokeTest {
    private static final String[] SHORT = {"--duration", "2", "--warmup", "1"};

    @TempDir
    Path dataDir;

    @Test
    void fanoutStartsItsOwnServerAndCountsDeliveries() throws Exception {
        JsonNode summary = run("fanout", "--subscribers", "3");
        assertThat(summary.path("scenario").asText()).isEqualTo("fanout");
        assertThat(summary.path("subscribers").asInt()).isEqualTo(3);
        JsonNode nexus = summary.path("nexus");
        assertThat(nexus.path("system").asText()).isEqualTo("nexus");
        assertThat(nexus.path("deliveries").asLong()).isPositive();
        assertThat(nexus.path("deliveries_per_s").asDouble()).isPositive();
        assertThat(nexus.path("errors").asLong()).isZero();
        assertThat(nexus.path("bench_cpu_pct").asDouble()).isPositive();
        assertThat(nexus.path("server_cpu_pct").asDouble()).as("the started server's CPU is reported").isPositive();
        assertThat(nexus.path("server_start_ms").asLong()).as("and its start-up time").isPositive();
        assertThat(summary.has("peer")).isFalse();
    }

    @Test
    void faninAgainstAGivenServerCountsAcceptedAndDelivered() throws Exception {
        try (NexusServer server = memoryServer()) {
            JsonNode summary = run("fanin", "--publishers", "3", "--url", server.httpUri().toString());
            JsonNode nexus = summary.path("nexus");
            assertThat(nexus.path("accepted_per_s").asDouble()).isPositive();
            assertThat(nexus.path("delivered").asLong()).isPositive();
            assertThat(nexus.has("server_cpu_pct")).as("a given server's CPU is not known").isFalse();
        }
    }

    @Test
    void latencyReceivesEveryEventAndReportsPercentiles() throws Exception {
        try (NexusServer server = memoryServer()) {
            JsonNode summary = run("latency", "--rate", "400", "--subscribers", "3", "--url", server.httpUri().toString());
            JsonNode nexus = summary.path("nexus");
            assertThat(nexus.path("sent").asLong()).isPositive();
            assertThat(nexus.path("expected").asLong()).isEqualTo(nexus.path("sent").asLong() * 3);
            assertThat(nexus.path("received").asLong()).isEqualTo(nexus.path("expected").asLong());
            assertThat(nexus.path("complete").asBoolean()).isTrue();
            assertThat(nexus.path("subscribers_lost").asLong()).isZero();
            assertThat(nexus.path("p50_ms").asDouble()).isPositive()
                    .isLessThanOrEqualTo(nexus.path("p99_ms").asDouble());
            assertThat(nexus.path("p99_9_ms").asDouble()).isLessThanOrEqualTo(nexus.path("max_ms").asDouble());
            assertThat(nexus.path("publisher_late_p99_ms").asDouble()).as("the generator's own lateness is reported")
                    .isNotNegative().isLessThanOrEqualTo(nexus.path("publisher_late_max_ms").asDouble());
        }
    }

    @Test
    void durableMeasuresEachModeOnItsOwnServer() throws Exception {
        JsonNode summary = run("durable", "--modes", "sync,off", "--publishers", "2");
        for (String mode : new String[] {"sync", "off"}) {
            JsonNode figures = summary.path("nexus").path(mode);
            assertThat(figures.path("acks").asLong()).as(mode).isPositive();
            assertThat(figures.path("ack_p99_ms").asDouble()).as(mode).isPositive();
            assertThat(figures.path("errors").asLong()).as(mode).isZero();
        }
    }

    @Test
    void routingComparesTheCostOfTwoPatternSets() throws Exception {
        JsonNode summary = run("routing", "--small", "2", "--large", "700", "--patterns-per-session", "600",
                "--publishers", "2");
        assertThat(summary.path("nexus").path("small").path("patterns").asInt()).isEqualTo(2);
        assertThat(summary.path("nexus").path("large").path("patterns").asInt()).as("more patterns per session than fit one frame").isEqualTo(700);
        assertThat(summary.path("nexus").path("large").path("server_cpu_us_per_publish").asDouble()).isPositive();
        assertThat(summary.path("ratio_of").asText()).isEqualTo("server_cpu_us_per_publish");
        assertThat(summary.path("ratio").asDouble()).isPositive();
    }

    @Test
    void connectionsReportsMemoryPerSessionAndBroadcastTimes() throws Exception {
        JsonNode summary = run("connections", "--sessions", "40", "--broadcasts", "5");
        JsonNode nexus = summary.path("nexus");
        assertThat(nexus.path("broadcasts").asInt()).isEqualTo(5);
        assertThat(nexus.path("to_all_max_ms").asDouble()).isPositive();
        assertThat(nexus.has("server_rss_per_session_kib")).isTrue();
        assertThat(nexus.path("server_rss_after_mib").asDouble()).isPositive();
    }

    private NexusServer memoryServer() {
        return NexusServer.start(ServerConfig.builder().port(0).dataDir(dataDir).store(StoreKind.MEMORY)
                .rateLimitPerMinute(0).build());
    }

    static JsonNode run(String... args) throws Exception {
        String[] all = new String[args.length + SHORT.length];
        System.arraycopy(args, 0, all, 0, args.length);
        System.arraycopy(SHORT, 0, all, args.length, SHORT.length);
        return BenchRun.of(all).summary();
    }
}
