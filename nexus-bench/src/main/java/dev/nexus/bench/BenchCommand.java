package dev.nexus.bench;

import dev.nexus.bench.scenario.ConnectionsScenario;
import dev.nexus.bench.scenario.DurableScenario;
import dev.nexus.bench.scenario.FaninScenario;
import dev.nexus.bench.scenario.FanoutScenario;
import dev.nexus.bench.scenario.LatencyScenario;
import dev.nexus.bench.scenario.Report;
import dev.nexus.bench.scenario.RoutingScenario;
import java.io.PrintWriter;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Unmatched;

/**
 * {@code nexus bench <scenario>}: load scenarios against a Nexus server the bench starts (or {@code --url}), some
 * side by side with nats-server or Redis ({@code --against}). Every run prints a table and ends with one line of
 * JSON summarizing it. Exit status 0 when the run completed without errors, 1 otherwise, 2 for bad options.
 */
@Command(name = "nexus bench", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Load scenarios for Nexus, side by side with NATS or Redis; every run ends with one JSON line.",
        subcommands = {BenchCommand.Fanout.class, BenchCommand.Fanin.class, BenchCommand.Latency.class,
                BenchCommand.Durable.class, BenchCommand.Routing.class, BenchCommand.Connections.class,
                BenchCommand.Micro.class})
public final class BenchCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line, for main and for tests (which set its output writer). */
    static CommandLine commandLine() {
        return new CommandLine(new BenchCommand());
    }

    /** Prints the report, JSON line last; 0 when the run saw no errors, lost no subscriber and missed no delivery. */
    static int print(CommandSpec spec, Report report) {
        PrintWriter out = spec.commandLine().getOut();
        out.println(report.text());
        out.println(report.jsonLine());
        out.flush();
        return exitCode(report.summary());
    }

    /** 0 when no system in {@code summary} saw an error, lost a subscriber or missed a delivery; 1 otherwise. */
    static int exitCode(com.fasterxml.jackson.databind.JsonNode summary) {
        boolean clean = summary.findValues("errors").stream().allMatch(v -> v.asLong() == 0)
                && summary.findValues("subscribers_lost").stream().allMatch(v -> v.asLong() == 0)
                && summary.findValues("complete").stream().allMatch(v -> v.asBoolean());
        return clean ? 0 : 1;
    }

    /** A scenario that can also run against a peer system. */
    abstract static class Comparable {
        @Spec
        CommandSpec spec;

        @Mixin
        LoadOptions load;

        @Option(names = "--against", paramLabel = "URL",
                description = "Run the same shape against nats://host:port or redis://host:port too, side by side.")
        URI against;
    }

    @Command(name = "fanout", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "1 publisher -> N subscribers on one topic, as fast as deliveries come back: deliveries/s.")
    static final class Fanout extends Comparable implements Callable<Integer> {
        @Option(names = "--subscribers", paramLabel = "N", defaultValue = "100", description = "Subscribers (1, 10, 100, 1000).")
        int subscribers;

        @Option(names = "--window", paramLabel = "N", defaultValue = "1000",
                description = "Events in flight (sent, not yet delivered to every subscriber).")
        int window;

        @Override
        public Integer call() throws Exception {
            return print(spec, new FanoutScenario(new FanoutScenario.Settings(load.toRunOptions(against), subscribers, window)).run());
        }
    }

    @Command(name = "fanin", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "P publishers -> 1 wildcard subscriber: events accepted/s and delivered/s.")
    static final class Fanin extends Comparable implements Callable<Integer> {
        @Option(names = "--publishers", paramLabel = "N", defaultValue = "10", description = "Publishers.")
        int publishers;

        @Option(names = "--window", paramLabel = "N", defaultValue = "256", description = "Events in flight per publisher.")
        int window;

        @Option(names = "--store", paramLabel = "KIND", defaultValue = "memory",
                description = "Store of the server the bench starts: memory or sqlite.")
        String store;

        @Override
        public Integer call() throws Exception {
            return print(spec, new FaninScenario(new FaninScenario.Settings(load.toRunOptions(against), publishers, window, store)).run());
        }
    }

    @Command(name = "latency", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Open loop at a fixed rate; latency from the intended send time (HdrHistogram): p50, p99, p99.9, max.")
    static final class Latency extends Comparable implements Callable<Integer> {
        @Option(names = "--rate", paramLabel = "N", defaultValue = "10000", description = "Events per second offered.")
        int rate;

        @Option(names = "--subscribers", paramLabel = "N", defaultValue = "10", description = "Subscribers.")
        int subscribers;

        @Option(names = "--store", paramLabel = "KIND", defaultValue = "memory",
                description = "Store of the server the bench starts: memory or sqlite.")
        String store;

        @Option(names = "--durability", paramLabel = "MODE", defaultValue = "sync",
                description = "Durability of the server the bench starts (with --store sqlite).")
        String durability;

        @Override
        public Integer call() throws Exception {
            return print(spec, new LatencyScenario(new LatencyScenario.Settings(load.toRunOptions(against), subscribers,
                    rate, store, durability)).run());
        }
    }

    @Command(name = "durable", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Publish with acknowledgement per durability mode (SQLite store): acks/s and ack latency.")
    static final class Durable implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LoadOptions load;

        @Option(names = "--modes", paramLabel = "MODE", split = ",", defaultValue = "sync,batch-async,off",
                description = "Durability modes, one fresh server each (ignored with --url).")
        List<String> modes;

        @Option(names = "--publishers", paramLabel = "N", defaultValue = "10", description = "Publishers.")
        int publishers;

        @Option(names = "--window", paramLabel = "N", defaultValue = "64", description = "Most unacknowledged publishes per publisher.")
        int window;

        @Option(names = "--rate", paramLabel = "N", defaultValue = "0",
                description = "Events per second offered, all publishers together; 0 = as fast as acks allow.")
        int rate;

        @Override
        public Integer call() throws Exception {
            return print(spec, new DurableScenario(new DurableScenario.Settings(load.toRunOptions(null), modes, publishers,
                    window, rate)).run());
        }
    }

    @Command(name = "routing", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Publish cost with few vs many distinct subscription patterns.")
    static final class Routing implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LoadOptions load;

        @Option(names = "--small", paramLabel = "N", defaultValue = "10", description = "Patterns in the small set.")
        int small;

        @Option(names = "--large", paramLabel = "N", defaultValue = "100000", description = "Patterns in the large set.")
        int large;

        @Option(names = "--patterns-per-session", paramLabel = "N", defaultValue = "1000",
                description = "Patterns each idle session holds (the server's --max-subscriptions must allow it).")
        int patternsPerSession;

        @Option(names = "--publishers", paramLabel = "N", defaultValue = "4", description = "Publishers.")
        int publishers;

        @Option(names = "--window", paramLabel = "N", defaultValue = "64", description = "Most unacknowledged publishes per publisher.")
        int window;

        @Override
        public Integer call() throws Exception {
            return print(spec, new RoutingScenario(new RoutingScenario.Settings(load.toRunOptions(null), small, large,
                    patternsPerSession, publishers, window)).run());
        }
    }

    @Command(name = "micro", description = {"JMH micro-benchmarks of the hot pieces (TopicTrieMatch, EventEncoding, "
            + "LogAppend); every argument goes to JMH, for example: micro TopicTrieMatch -f 1 -wi 2 -i 3"})
    static final class Micro implements Callable<Integer> {
        @Unmatched
        List<String> jmhArguments = new java.util.ArrayList<>();

        @Override
        public Integer call() throws Exception {
            org.openjdk.jmh.Main.main(jmhArguments.toArray(String[]::new));
            return 0;
        }
    }

    @Command(name = "connections", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "N idle sessions: server RSS per session, time for a broadcast to reach all.")
    static final class Connections implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        LoadOptions load;

        @Option(names = "--sessions", paramLabel = "N", defaultValue = "10000", description = "Idle sessions.")
        int sessions;

        @Option(names = "--broadcasts", paramLabel = "N", defaultValue = "50", description = "Broadcasts, one at a time.")
        int broadcasts;

        @Override
        public Integer call() throws Exception {
            return print(spec, new ConnectionsScenario(new ConnectionsScenario.Settings(load.toRunOptions(null), sessions,
                    broadcasts)).run());
        }
    }
}
