package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.target.CpuMeter;
import dev.nexus.bench.target.NexusTarget;
import java.util.List;
import java.util.Locale;

/**
 * {@code durable}: publishers wait for each publish's ack (a window of unacknowledged publishes each, or a fixed
 * rate), once per durability mode, each mode on a fresh server with the SQLite store — the ack promises what the
 * mode says, so the figures are what each promise costs: acks per second and ack latency (from the send, or at a
 * fixed rate from the intended send time). With {@code --url} there is one run, in the server's own mode.
 */
public final class DurableScenario {
    /** @param rate events per second offered, all publishers together; 0 = as fast as acks allow */
    public record Settings(RunOptions run, List<String> modes, int publishers, int window, int rate) {
        public Settings {
            modes = List.copyOf(modes);
            if (modes.isEmpty() || publishers < 1 || window < 1 || rate < 0) {
                throw new IllegalArgumentException("durable needs modes, publishers >= 1, window >= 1, rate >= 0");
            }
        }
    }

    private final Settings settings;

    public DurableScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        List<String> modes = settings.run().url() == null ? settings.modes() : List.of("as-configured");
        ObjectNode byMode = Report.figures();
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "durable: %d publishers, %s, window %d, %d B payload, SQLite store, %d s measured per mode after %d s warm-up%n",
                settings.publishers(), settings.rate() == 0 ? "as fast as acks allow" : settings.rate() + " events/s offered",
                settings.window(), settings.run().payloadBytes(), settings.run().duration().toSeconds(),
                settings.run().warmup().toSeconds()));
        text.append(String.format(Locale.ROOT, "  %-14s %12s %10s %10s %10s %10s %8s %8s%n", "mode", "acks/s", "p50 ms",
                "p99 ms", "p99.9 ms", "max ms", "bench%", "server%"));
        for (String mode : modes) {
            List<String> serve = ServeOptions.forStore("sqlite", mode);
            try (NexusTarget target = NexusTarget.of(settings.run().url(), serve)) {
                AckedPublishing.Result result = new AckedPublishing(new AckedPublishing.Settings(target.url(),
                        settings.publishers(), settings.rate(), settings.window(), settings.run().duration(),
                        settings.run().warmup(), settings.run().payloadBytes(), "bench.durable", 1), new CpuMeter(target)).run();
                ObjectNode figures = Report.figures().put("acks_per_s", Math.round(result.acksPerSecond()))
                        .put("acks", result.acked()).put("errors", result.errors());
                Percentiles.put(figures, "ack_", result.latency());
                Report.putCpu(figures, result.cpu());
                Report.putStart(figures, target);
                byMode.set(mode, figures);
                text.append(String.format(Locale.ROOT, "  %-14s %12.0f %10.3f %10.3f %10.3f %10.3f %8.0f %8s%n", mode,
                        result.acksPerSecond(), figures.path("ack_p50_ms").asDouble(), figures.path("ack_p99_ms").asDouble(),
                        figures.path("ack_p99_9_ms").asDouble(), figures.path("ack_max_ms").asDouble(),
                        result.cpu().benchPercent(), result.cpu().serverPercent() == null ? "-"
                                : String.format(Locale.ROOT, "%.0f", result.cpu().serverPercent())));
            }
        }
        ObjectNode summary = Report.summary("durable").put("publishers", settings.publishers())
                .put("window", settings.window()).put("rate", settings.rate())
                .put("payload_bytes", settings.run().payloadBytes()).put("seconds", settings.run().duration().toSeconds());
        summary.set("nexus", byMode);
        return new Report(text.toString().stripTrailing(), summary);
    }
}
