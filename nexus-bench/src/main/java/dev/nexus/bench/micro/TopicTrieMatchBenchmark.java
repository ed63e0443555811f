package dev.nexus.bench.micro;

import dev.nexus.bench.scenario.RoutingScenario;
import dev.nexus.core.routing.TopicTrie;
import dev.nexus.protocol.TopicPattern;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@link TopicTrie#match} with few and with many distinct patterns (the shapes the {@code routing} scenario
 * subscribes, {@link RoutingScenario#pattern}), over more distinct topics than the trie's match
 * cache holds (each call walks the trie) or over one topic (each call hits the cache).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TopicTrieMatchBenchmark {
    @Param({"10", "100000"})
    int patterns;

    @Param({"10000", "1"})
    int topics;

    private final TopicTrie<Integer> trie = new TopicTrie<>();
    private String[] published;
    private int next;

    @Setup
    public void setUp() {
        trie.subscribe(TopicPattern.parse("bench.routing.>"), -1);
        for (int i = 0; i < patterns - 1; i++) {
            trie.subscribe(TopicPattern.parse(RoutingScenario.pattern(i)), i);
        }
        published = new String[topics];
        for (int i = 0; i < topics; i++) {
            published[i] = "bench.routing.t" + i;
        }
    }

    @Benchmark
    public List<Integer> match() {
        String topic = published[next];
        next = next + 1 == published.length ? 0 : next + 1;
        return trie.match(topic);
    }
}
