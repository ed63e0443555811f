package dev.nexus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * fanout, fanin and latency against the real local nats-server and Redis: the same run measures Nexus and the
 * peer, and the summary carries both and their ratio.
 */
class SideBySideSmokeTest {

    @ParameterizedTest(name = "{0} against {1}")
    @CsvSource({
            "fanout, nats, deliveries_per_s", "fanout, redis, deliveries_per_s",
            "fanin, nats, delivered_per_s", "fanin, redis, delivered_per_s",
            "latency, nats, p99_ms", "latency, redis, p99_ms"})
    void runsThePeerInTheSameRun(String scenario, String peer, String ratioOf) throws Exception {
        String url = peer.equals("nats") ? PeerServices.NATS : PeerServices.REDIS;
        PeerServices.require(peer, peer.equals("nats") ? 4222 : 6379);
        String[] shape = switch (scenario) {
            case "fanout" -> new String[] {"--subscribers", "3"};
            case "fanin" -> new String[] {"--publishers", "3"};
            default -> new String[] {"--rate", "300", "--subscribers", "3"};
        };
        String[] args = new String[shape.length + 3];
        args[0] = scenario;
        System.arraycopy(shape, 0, args, 1, shape.length);
        args[shape.length + 1] = "--against";
        args[shape.length + 2] = url;
        JsonNode summary = ScenariosSmokeTest.run(args);

        assertThat(summary.path("nexus").path("system").asText()).isEqualTo("nexus");
        assertThat(summary.path("peer").path("system").asText()).isEqualTo(peer);
        assertThat(summary.path("nexus").path(ratioOf).asDouble()).isPositive();
        assertThat(summary.path("peer").path(ratioOf).asDouble()).isPositive();
        assertThat(summary.path("ratio_of").asText()).isEqualTo(ratioOf);
        assertThat(summary.path("ratio").asDouble()).isCloseTo(
                summary.path("nexus").path(ratioOf).asDouble() / summary.path("peer").path(ratioOf).asDouble(),
                org.assertj.core.data.Percentage.withPercentage(1));
        if (scenario.equals("latency")) {
            assertThat(summary.path("peer").path("received").asLong()).isEqualTo(summary.path("peer").path("expected").asLong());
        }
    }
}
