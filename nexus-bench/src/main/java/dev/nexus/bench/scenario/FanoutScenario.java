package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.Payload;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.CpuMeter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.LongAdder;

/**
 * {@code fanout}: one publisher, N subscribers on one topic, as fast as deliveries come back (a window of
 * outstanding deliveries, {@link WindowedPublishing}); the figure is deliveries per second.
 */
public final class FanoutScenario {
    /** @param window events in flight (sent but not yet delivered to every subscriber) */
    public record Settings(RunOptions run, int subscribers, int window) {
        public Settings {
            if (subscribers < 1 || window < 1) {
                throw new IllegalArgumentException("subscribers and window must be at least 1: " + subscribers + ", " + window);
            }
        }
    }

    private final Settings settings;

    public FanoutScenario(Settings settings) {
        this.settings = settings;
    }

    public Report run() throws Exception {
        SideBySide.Figures figures = SideBySide.run(settings.run(), ServeOptions.memory(), this::measure);
        ObjectNode nexus = figures.nexus();
        ObjectNode peer = figures.peer();
        ObjectNode summary = Report.summary("fanout").put("subscribers", settings.subscribers())
                .put("payload_bytes", settings.run().payloadBytes()).put("seconds", settings.run().duration().toSeconds());
        Double ratio = Report.compare(summary, nexus, peer, "deliveries_per_s");
        String title = String.format(Locale.ROOT, "fanout: 1 publisher -> %d subscribers, %d B payload, %d s measured after %d s warm-up",
                settings.subscribers(), settings.run().payloadBytes(), settings.run().duration().toSeconds(),
                settings.run().warmup().toSeconds());
        return new Report(Report.sideBySide(title, nexus, peer, "deliveries_per_s", ratio), summary);
    }

    private ObjectNode measure(PubSub system, CpuMeter cpu) throws Exception {
        String topic = "bench.fanout." + Long.toHexString(System.nanoTime());
        LongAdder delivered = new LongAdder();
        for (int i = 0; i < settings.subscribers(); i++) {
            system.subscribe(topic, (now, message) -> delivered.increment());
        }
        PubSub.Publisher publisher = system.publisher();
        WindowedPublishing.Measured measured = new WindowedPublishing(List.of(publisher), List.of(topic),
                Payload.fixed(settings.run().payloadBytes()), delivered, settings.subscribers(),
                (long) settings.window() * settings.subscribers()).run(settings.run().warmup(), settings.run().duration(), cpu);
        ObjectNode figures = Report.figures().put("system", system.name())
                .put("deliveries_per_s", Math.round(measured.perSecond(measured.delivered())))
                .put("events_per_s", Math.round(measured.perSecond(measured.delivered()) / settings.subscribers()))
                .put("deliveries", measured.delivered())
                .put("errors", measured.errors())
                .put("subscribers_lost", system.subscribersLost());
        Report.putCpu(figures, measured.cpu());
        return figures;
    }
}
