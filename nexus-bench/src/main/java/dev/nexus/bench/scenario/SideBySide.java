package dev.nexus.bench.scenario;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.bench.system.NexusPubSub;
import dev.nexus.bench.system.Peers;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.CpuMeter;
import dev.nexus.bench.target.NexusTarget;
import java.util.List;

/**
 * Runs one measurement against Nexus (a server the bench starts, or {@code --url}) and then, with
 * {@code --against}, the same measurement against the peer, in the same run and process.
 */
final class SideBySide {
    private SideBySide() {
    }

    /** One scenario's measurement of one system; {@code cpu} reads the server's CPU too when it is known. */
    @FunctionalInterface
    interface Measurement {
        ObjectNode measure(PubSub system, CpuMeter cpu) throws Exception;
    }

    /** @param peer null without {@code --against} */
    record Figures(ObjectNode nexus, ObjectNode peer) {
    }

    static Figures run(RunOptions options, List<String> serveOptions, Measurement measurement) throws Exception {
        ObjectNode nexus;
        try (NexusTarget target = NexusTarget.of(options.url(), serveOptions);
                PubSub system = new NexusPubSub(target.url(), options.clientThreads())) {
            nexus = measurement.measure(system, new CpuMeter(target));
            Report.putStart(nexus, target);
        }
        ObjectNode peer = null;
        if (options.against() != null) {
            try (PubSub system = Peers.connect(options.against(), options.clientThreads())) {
                peer = measurement.measure(system, new CpuMeter(null));
            }
        }
        return new Figures(nexus, peer);
    }
}
