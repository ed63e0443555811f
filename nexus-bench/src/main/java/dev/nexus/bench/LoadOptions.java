package dev.nexus.bench;

import dev.nexus.bench.scenario.RunOptions;
import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every scenario shares: which server, which peer, how long to warm up and measure, how big each event is. */
final class LoadOptions {
    @Option(names = "--url", paramLabel = "URL",
            description = "A running Nexus server to load (start it with --rate-limit 0); unset = the bench starts its own.")
    URI url;

    @Option(names = "--duration", paramLabel = "SECONDS", description = "Measured seconds.", defaultValue = "20")
    int durationSeconds;

    @Option(names = "--warmup", paramLabel = "SECONDS", defaultValue = "20",
            description = "Seconds of load before measuring; the default leaves the JIT compilers of the server and "
                    + "the load generator time to finish (on two cores they take one for about 15 s).")
    int warmupSeconds;

    @Option(names = "--payload-bytes", paramLabel = "N", description = "Bytes of each event's payload.", defaultValue = "200")
    int payloadBytes;

    @Option(names = "--client-threads", paramLabel = "N", description = "I/O threads of the load generator's clients.",
            defaultValue = "2")
    int clientThreads;

    RunOptions toRunOptions(URI against) {
        return new RunOptions(url, against, Duration.ofSeconds(warmupSeconds), Duration.ofSeconds(durationSeconds),
                payloadBytes, clientThreads);
    }
}
