package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.NexusPubSub;
import dev.nexus.bench.target.CpuMeter;
import dev.nexus.bench.target.NexusTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code routing}: what a publish costs as the number of distinct subscription patterns grows. One server (memory
 * store), one subscriber to {@code bench.routing.>} that receives every event, and idle sessions holding distinct
 * patterns that match nothing published ({@code bench.routing.p<i>.x}, {@code bench.routing.p<i>.*},
 * {@code bench.routing.p<i>.>}, {@code *.p<i>.y}). Publishes cycle through more distinct topics than the
 * trie's match cache holds, so each publish walks the trie. The same publishers run with the small set, then with
 * the large one; the cost per publish is the server's CPU per ack when the bench started the server, else the
 * inverse of acks per second. {@code ratio} = cost with the large set / cost with the small.
 */
public final class RoutingScenario {
    private static final int PUBLISH_TOPICS = 10_000;

    public record Settings(RunOptions run, int smallPatterns, int largePatterns, int patternsPerSession, int publishers,
            int window) {
        public Settings {
            if (smallPatterns < 1 || largePatterns < smallPatterns || patternsPerSession < 1 || publishers < 1 || window < 1) {
                throw new IllegalArgumentException("routing needs 1 <= small <= large patterns, patterns per session, publishers and window >= 1");
            }
        }
    }

    private final Settings settings;

    public RoutingScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        ObjectNode small;
        ObjectNode large;
        ObjectNode nexus = Report.figures();
        try (NexusTarget target = NexusTarget.of(settings.run().url(), concat(ServeOptions.memory(),
                List.of("--max-subscriptions", Integer.toString(Math.max(256, settings.patternsPerSession())))));
                NexusPubSub holders = new NexusPubSub(target.url(), settings.run().clientThreads())) {
            Report.putStart(nexus, target);
            holders.subscribe("bench.routing.>", (now, message) -> { });
            int held = hold(holders, 0, settings.smallPatterns() - 1);
            small = measure(target, held);
            held = hold(holders, held, settings.largePatterns() - 1);
            large = measure(target, held);
        }
        String costOf = small.has("server_cpu_us_per_publish") ? "server_cpu_us_per_publish" : "us_per_ack";
        double ratio = Report.significant(large.path(costOf).asDouble() / small.path(costOf).asDouble());
        ObjectNode summary = Report.summary("routing").put("small_patterns", settings.smallPatterns())
                .put("large_patterns", settings.largePatterns()).put("publishers", settings.publishers())
                .put("payload_bytes", settings.run().payloadBytes()).put("seconds", settings.run().duration().toSeconds());
        nexus.set("small", small);
        nexus.set("large", large);
        summary.set("nexus", nexus);
        summary.put("ratio", ratio).put("ratio_of", costOf);
        String text = String.format(Locale.ROOT, "routing: publish cost with %d vs %d subscription patterns (%d publishers, window %d)%n%s%n%s%n  ratio of %s, large/small: %.3f",
                settings.smallPatterns(), settings.largePatterns(), settings.publishers(), settings.window(),
                line(small), line(large), costOf, ratio);
        return new Report(text, summary);
    }

    private static String line(ObjectNode figures) {
        return String.format(Locale.ROOT, "  %7d patterns: %8.0f acks/s, %7.2f us/ack, server CPU %s us/publish, ack p50 %.3f ms, p99 %.3f ms",
                figures.path("patterns").asInt(), figures.path("acks_per_s").asDouble(), figures.path("us_per_ack").asDouble(),
                figures.has("server_cpu_us_per_publish") ? figures.path("server_cpu_us_per_publish").asText() : "-",
                figures.path("ack_p50_ms").asDouble(), figures.path("ack_p99_ms").asDouble());
    }

    /** Subscribes idle sessions to patterns {@code from} (inclusive) to {@code to} (exclusive); returns {@code to}. */
    private int hold(NexusPubSub holders, int from, int to) throws Exception {
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (int start = from; start < to; start += settings.patternsPerSession()) {
            List<String> patterns = new ArrayList<>();
            for (int i = start; i < Math.min(to, start + settings.patternsPerSession()); i++) {
                patterns.add(pattern(i));
            }
            pending.add(holders.subscribeAllAsync(patterns, (now, message) -> { }));
        }
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        return to;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    /** The i-th distinct pattern the idle sessions hold: exact, {@code *}, {@code >} and leading-{@code *} shapes in turn. */
    public static String pattern(int i) {
        return switch (i % 4) {
            case 0 -> "bench.routing.p" + i + ".x";
            case 1 -> "bench.routing.p" + i + ".*";
            case 2 -> "bench.routing.p" + i + ".>";
            default -> "*.p" + i + ".y";
        };
    }

    private ObjectNode measure(NexusTarget target, int patterns) throws Exception {
        AckedPublishing.Result result = new AckedPublishing(new AckedPublishing.Settings(target.url(), settings.publishers(),
                0, settings.window(), settings.run().duration(), settings.run().warmup(), settings.run().payloadBytes(),
                "bench.routing", PUBLISH_TOPICS), new CpuMeter(target)).run();
        ObjectNode figures = Report.figures().put("patterns", patterns + 1)
                .put("acks_per_s", Math.round(result.acksPerSecond()))
                .put("us_per_ack", Report.round(1e6 / Math.max(1e-9, result.acksPerSecond()), 3))
                .put("errors", result.errors());
        if (result.cpu().serverPercent() != null) {
            double serverCpuSeconds = result.cpu().serverPercent() / 100 * result.cpu().seconds();
            figures.put("server_cpu_us_per_publish", Report.round(1e6 * serverCpuSeconds / Math.max(1, result.acked()), 3));
        }
        Percentiles.put(figures, "ack_", result.latency());
        Report.putCpu(figures, result.cpu());
        return figures;
    }
}
