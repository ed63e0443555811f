package dev.nexus.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code nexus-bench latency}: publish→delivery latency of a running Nexus server under a fixed offered load.
 * See {@link LatencyBenchmark} for the method.
 */
@Command(name = "nexus-bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Load generator for a running Nexus server (start it with --rate-limit 0).",
        subcommands = {BenchCommand.Latency.class, BenchCommand.Publish.class})
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchCommand()).execute(args));
    }

    @Command(name = "publish", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Publishers with a window of unacknowledged publishes; ack throughput and latency.")
    static final class Publish implements Callable<Integer> {
        @Mixin
        LoadOptions load;

        @Option(names = "--publishers", description = "WebSocket sessions publishing.", defaultValue = "10")
        int publishers;

        @Option(names = "--rate", description = "Events per second offered, all publishers together; 0 = as fast as acks allow.",
                defaultValue = "0")
        int rate;

        @Option(names = "--window", description = "Most unacknowledged publishes per publisher.", defaultValue = "64")
        int window;

        @Override
        public Integer call() throws Exception {
            PublishBenchmark.Result result = new PublishBenchmark(new PublishBenchmark.Settings(load.url, publishers,
                    rate, window, load.duration(), load.warmup(), load.payloadBytes)).run();
            System.out.println(result.report());
            return result.errors() == 0 ? 0 : 1;
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Fixed-rate publishers and WebSocket subscribers; latency from the intended send time.")
    static final class Latency implements Callable<Integer> {
        @Mixin
        LoadOptions load;

        @Option(names = "--subscribers", description = "WebSocket sessions subscribed to the benchmark topic.", defaultValue = "20")
        int subscribers;

        @Option(names = "--publishers", description = "WebSocket sessions publishing.", defaultValue = "2")
        int publishers;

        @Option(names = "--rate", description = "Events per second offered, all publishers together.", defaultValue = "1000")
        int rate;

        @Override
        public Integer call() throws Exception {
            LatencyBenchmark.Settings settings = new LatencyBenchmark.Settings(load.url, subscribers, publishers, rate,
                    load.duration(), load.warmup(), load.payloadBytes);
            LatencyBenchmark.Result result = new LatencyBenchmark(settings).run();
            System.out.println(result.report());
            return result.complete() ? 0 : 1;
        }
    }
}
