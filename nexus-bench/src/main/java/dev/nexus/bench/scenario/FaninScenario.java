package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.Payload;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.CpuMeter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code fanin}: P publishers, each on its own topic under one prefix, and one subscriber to all of them with a
 * wildcard; as fast as deliveries come back. Figures: events accepted per second (Nexus acks, Redis PUBLISH
 * replies, NATS publishes handed to the client) and events delivered per second.
 */
public final class FaninScenario {
    /** @param window events in flight per publisher (sent but not yet delivered) */
    public record Settings(RunOptions run, int publishers, int window, String store) {
        public Settings {
            if (publishers < 1 || window < 1) {
                throw new IllegalArgumentException("publishers and window must be at least 1: " + publishers + ", " + window);
            }
        }
    }

    private final Settings settings;

    public FaninScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        SideBySide.Figures figures = SideBySide.run(settings.run(), ServeOptions.forStore(settings.store(), "sync"), this::measure);
        ObjectNode nexus = figures.nexus();
        ObjectNode peer = figures.peer();
        ObjectNode summary = Report.summary("fanin").put("publishers", settings.publishers())
                .put("payload_bytes", settings.run().payloadBytes()).put("store", settings.store())
                .put("seconds", settings.run().duration().toSeconds());
        Double ratio = Report.compare(summary, nexus, peer, "delivered_per_s");
        String title = String.format(Locale.ROOT, "fanin: %d publishers -> 1 wildcard subscriber, %d B payload, %s store, %d s measured after %d s warm-up",
                settings.publishers(), settings.run().payloadBytes(), settings.store(), settings.run().duration().toSeconds(),
                settings.run().warmup().toSeconds());
        return new Report(Report.sideBySide(title, nexus, peer, "delivered_per_s", ratio), summary);
    }

    private ObjectNode measure(PubSub system, CpuMeter cpu) throws Exception {
        String prefix = "bench.fanin." + Long.toHexString(System.nanoTime());
        LongAdder delivered = new LongAdder();
        system.subscribeUnder(prefix, (now, message) -> delivered.increment());
        List<PubSub.Publisher> publishers = new ArrayList<>();
        List<String> topics = new ArrayList<>();
        for (int p = 0; p < settings.publishers(); p++) {
            publishers.add(system.publisher());
            topics.add(prefix + ".p" + p);
        }
        WindowedPublishing.Measured measured = new WindowedPublishing(publishers, topics,
                Payload.fixed(settings.run().payloadBytes()), delivered, 1, (long) settings.window() * settings.publishers())
                .run(settings.run().warmup(), settings.run().duration(), cpu);
        ObjectNode figures = Report.figures().put("system", system.name())
                .put("accepted_per_s", Math.round(measured.perSecond(measured.accepted())))
                .put("delivered_per_s", Math.round(measured.perSecond(measured.delivered())))
                .put("delivered", measured.delivered())
                .put("errors", measured.errors())
                .put("subscribers_lost", system.subscribersLost());
        Report.putCpu(figures, measured.cpu());
        return figures;
    }
}
