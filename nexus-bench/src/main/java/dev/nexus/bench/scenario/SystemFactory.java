package dev.nexus.bench.scenario;

import dev.nexus.bench.system.NexusPubSub;
import dev.nexus.bench.system.Peers;
import dev.nexus.bench.system.PubSub;
import dev.nexus.bench.target.NexusTarget;

/** Opens the clients a side-by-side scenario runs: Nexus at its target, the peer named by {@code --against}. */
final class SystemFactory {
    private SystemFactory() {
    }

    static PubSub nexus(NexusTarget target, RunOptions options) {
        return new NexusPubSub(target.url(), options.clientThreads());
    }

    static PubSub peer(RunOptions options) {
        return Peers.connect(options.against(), options.clientThreads());
    }
}
