package dev.nexus.bench;

import java.net.URI;
import java.time.Duration;
import picocli.CommandLine.Option;

/** Options every load shares: where the server is, how long to measure, how big each event is. */
final class LoadOptions {
    @Option(names = "--url", description = "Server base URL.", defaultValue = "http://127.0.0.1:8450")
    URI url;

    @Option(names = "--duration", description = "Measured seconds.", defaultValue = "20")
    int durationSeconds;

    @Option(names = "--warmup", description = "Seconds of load before measuring.", defaultValue = "5")
    int warmupSeconds;

    @Option(names = "--payload-bytes", description = "Approximate payload size.", defaultValue = "200")
    int payloadBytes;

    Duration duration() {
        return Duration.ofSeconds(durationSeconds);
    }

    Duration warmup() {
        return Duration.ofSeconds(warmupSeconds);
    }
}
