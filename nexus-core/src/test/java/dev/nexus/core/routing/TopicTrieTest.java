package dev.nexus.core.routing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.nexus.protocol.MatchingTable;
import dev.nexus.protocol.TopicPattern;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TopicTrieTest {

    static Stream<Arguments> matchingTable() {
        return MatchingTable.rows().stream().map(r -> Arguments.of(r.pattern(), r.topic(), r.expected()));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' ~ ''{1}'' = {2}")
    @MethodSource("matchingTable")
    void singlePatternTruthTable(String pattern, String topic, boolean expected) {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse(pattern), "sub");

        assertThat(trie.match(topic)).isEqualTo(expected ? List.of("sub") : List.of());
    }

    @Test
    void allTablePatternsAtOnceMatchWhatTheReferenceMatcherPredicts() {
        TopicTrie<String> trie = new TopicTrie<>();
        Set<String> patterns = new LinkedHashSet<>();
        Set<String> topics = new LinkedHashSet<>();
        for (MatchingTable.Row row : MatchingTable.rows()) {
            patterns.add(row.pattern());
            topics.add(row.topic());
        }
        for (String pattern : patterns) {
            // the subscriber is the pattern as written, so "**" and ">" stay distinct subscribers
            assertThat(trie.subscribe(TopicPattern.parse(pattern), pattern)).isTrue();
        }
        for (String topic : topics) {
            Set<String> expected = patterns.stream().filter(p -> TopicPattern.parse(p).matches(topic))
                    .collect(Collectors.toSet());
            assertThat(trie.match(topic)).as("match(%s)", topic).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(expected);
        }
        // and the table's own expectations hold in the combined trie
        for (MatchingTable.Row row : MatchingTable.rows()) {
            assertThat(trie.match(row.topic()).contains(row.pattern()))
                    .as("'%s' ~ '%s'", row.pattern(), row.topic()).isEqualTo(row.expected());
        }
    }

    @Test
    void seededRandomCrossCheckAgainstTheReferenceMatcher() {
        Random random = new Random(20251117L);
        String[] alphabet = {"a", "b", "c", "ab"};
        int checks = 0;
        for (int round = 0; round < 40; round++) {
            TopicTrie<Integer> trie = new TopicTrie<>();
            List<TopicPattern> patterns = new ArrayList<>();
            int patternCount = 1 + random.nextInt(30);
            for (int i = 0; i < patternCount; i++) {
                TopicPattern pattern = TopicPattern.parse(randomPattern(random, alphabet));
                patterns.add(pattern);
                trie.subscribe(pattern, i);
            }
            // remove a few so the cross-check also covers a pruned trie
            for (int i = 0; i < patternCount; i++) {
                if (random.nextInt(5) == 0) {
                    assertThat(trie.unsubscribe(patterns.get(i), i)).isTrue();
                    patterns.set(i, null);
                }
            }
            for (int t = 0; t < 100; t++) {
                String topic = randomTopic(random, alphabet);
                Set<Integer> expected = new LinkedHashSet<>();
                for (int i = 0; i < patterns.size(); i++) {
                    if (patterns.get(i) != null && patterns.get(i).matches(topic)) {
                        expected.add(i);
                    }
                }
                List<Integer> actual = trie.match(topic);
                assertThat(actual).as("round %d, topic %s, patterns %s", round, topic, patterns)
                        .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(expected);
                // a second match (served from the cache) says the same
                assertThat(trie.match(topic)).containsExactlyInAnyOrderElementsOf(expected);
                checks++;
            }
        }
        assertThat(checks).isEqualTo(4000);
    }

    private static String randomPattern(Random random, String[] alphabet) {
        int length = 1 + random.nextInt(5);
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            int kind = random.nextInt(10);
            boolean last = i == length - 1;
            if (last && kind == 0) {
                tokens.add(">");
            } else if (last && kind == 1) {
                tokens.add("**");
            } else if (kind < 4) {
                tokens.add("*");
            } else {
                tokens.add(alphabet[random.nextInt(alphabet.length)]);
            }
        }
        return String.join(".", tokens);
    }

    private static String randomTopic(Random random, String[] alphabet) {
        int length = 1 + random.nextInt(6);
        List<String> segments = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            segments.add(alphabet[random.nextInt(alphabet.length)]);
        }
        return String.join(".", segments);
    }

    @Test
    void subscriberWithOverlappingPatternsAppearsOnce() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("work.*"), "alice");
        trie.subscribe(TopicPattern.parse("work.>"), "alice");
        trie.subscribe(TopicPattern.parse("work.claimed"), "alice");
        trie.subscribe(TopicPattern.parse(">"), "alice");
        trie.subscribe(TopicPattern.parse("work.claimed"), "bob");

        assertThat(trie.match("work.claimed")).containsExactlyInAnyOrder("alice", "bob");
        assertThat(trie.size()).isEqualTo(5);
    }

    @Test
    void subscribingTwiceReturnsFalseAndCountsOnce() {
        TopicTrie<String> trie = new TopicTrie<>();

        assertThat(trie.subscribe(TopicPattern.parse("a.*"), "s")).isTrue();
        assertThat(trie.subscribe(TopicPattern.parse("a.*"), "s")).isFalse();
        assertThat(trie.subscribe(TopicPattern.parse("a.>"), "s")).isTrue();
        assertThat(trie.subscribe(TopicPattern.parse("a.**"), "s")).as("** is the same subscription as >").isFalse();

        assertThat(trie.size()).isEqualTo(2);
        assertThat(trie.patterns()).containsExactlyInAnyOrder("a.*", "a.>");
    }

    @Test
    void sizeCountsPatternSubscriberPairs() {
        TopicTrie<String> trie = new TopicTrie<>();
        assertThat(trie.size()).isZero();

        trie.subscribe(TopicPattern.parse("a"), "s1");
        trie.subscribe(TopicPattern.parse("a"), "s2");
        trie.subscribe(TopicPattern.parse("b.>"), "s1");
        assertThat(trie.size()).isEqualTo(3);

        trie.unsubscribe(TopicPattern.parse("a"), "s1");
        assertThat(trie.size()).isEqualTo(2);
        assertThat(trie.unsubscribe(TopicPattern.parse("a"), "s1")).isFalse();
        assertThat(trie.unsubscribe(TopicPattern.parse("never.subscribed"), "s1")).isFalse();
        assertThat(trie.size()).isEqualTo(2);
    }

    @Test
    void unsubscribeRemovesTheSubscriptionAndPrunesEmptyLevels() {
        TopicTrie<String> trie = new TopicTrie<>();
        assertThat(trie.levelCount()).isEqualTo(1);

        trie.subscribe(TopicPattern.parse("a.b.c.d"), "s1");
        trie.subscribe(TopicPattern.parse("a.b.x"), "s2");
        trie.subscribe(TopicPattern.parse("a.*.>"), "s3");
        int full = trie.levelCount();
        assertThat(full).isEqualTo(1 + 4 + 1 + 1); // root, a, b, c, d, x, *

        assertThat(trie.unsubscribe(TopicPattern.parse("a.b.c.d"), "s1")).isTrue();
        assertThat(trie.match("a.b.c.d")).containsExactly("s3");
        assertThat(trie.levelCount()).isEqualTo(full - 2); // c and d pruned, b kept for x

        assertThat(trie.unsubscribe(TopicPattern.parse("a.b.x"), "s2")).isTrue();
        assertThat(trie.levelCount()).isEqualTo(3); // root, a, *

        assertThat(trie.unsubscribe(TopicPattern.parse("a.*.>"), "s3")).isTrue();
        assertThat(trie.levelCount()).isEqualTo(1);
        assertThat(trie.size()).isZero();
        assertThat(trie.patterns()).isEmpty();
        assertThat(trie.match("a.b.c.d")).isEmpty();
    }

    @Test
    void unsubscribingOneSubscriberKeepsTheOthersOnTheSamePattern() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("a.b"), "s1");
        trie.subscribe(TopicPattern.parse("a.b"), "s2");

        trie.unsubscribe(TopicPattern.parse("a.b"), "s1");

        assertThat(trie.match("a.b")).containsExactly("s2");
        assertThat(trie.levelCount()).isEqualTo(3);
    }

    @Test
    void unsubscribeOfAnAbsentSubscriberLeavesTheTrieAlone() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("a.b"), "s1");
        int levels = trie.levelCount();

        assertThat(trie.unsubscribe(TopicPattern.parse("a.b"), "other")).isFalse();
        assertThat(trie.unsubscribe(TopicPattern.parse("a.b.c"), "s1")).isFalse();
        assertThat(trie.unsubscribe(TopicPattern.parse("a.>"), "s1")).isFalse();

        assertThat(trie.levelCount()).isEqualTo(levels);
        assertThat(trie.match("a.b")).containsExactly("s1");
    }

    @Test
    void aSubscriberThatLeftIsNotKeptInMemoryByAnOldMatchOfATopicNoLongerPublished() {
        TopicTrie<Object> trie = new TopicTrie<>();
        Object stays = new Object();
        trie.subscribe(TopicPattern.parse("other.topic"), stays);
        Object leaves = new Object();
        WeakReference<Object> left = new WeakReference<>(leaves);
        trie.subscribe(TopicPattern.parse("broadcast.all"), leaves);
        assertThat(trie.match("broadcast.all")).containsExactly(leaves);

        trie.unsubscribe(TopicPattern.parse("broadcast.all"), leaves);
        leaves = null;

        // nothing publishes on broadcast.all again; the cached result must not hold the subscriber
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20)).until(() -> {
            System.gc();
            return left.get() == null;
        });
        assertThat(trie.match("other.topic")).containsExactly(stays);
    }

    @Test
    void cacheSeesNewSubscriptions() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("work.claimed"), "s1");
        assertThat(trie.match("work.claimed")).containsExactly("s1");

        trie.subscribe(TopicPattern.parse("work.*"), "s2");

        assertThat(trie.match("work.claimed")).containsExactlyInAnyOrder("s1", "s2");
    }

    @Test
    void cacheForgetsRemovedSubscriptions() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("work.>"), "s1");
        trie.subscribe(TopicPattern.parse(">"), "s2");
        assertThat(trie.match("work.claimed")).containsExactlyInAnyOrder("s1", "s2");

        trie.unsubscribe(TopicPattern.parse("work.>"), "s1");

        assertThat(trie.match("work.claimed")).containsExactly("s2");
    }

    @Test
    void cacheOfAnEmptyResultIsInvalidatedToo() {
        TopicTrie<String> trie = new TopicTrie<>();
        assertThat(trie.match("a.b")).isEmpty();

        trie.subscribe(TopicPattern.parse("a.b"), "s1");

        assertThat(trie.match("a.b")).containsExactly("s1");
    }

    @Test
    void matchingManyDistinctTopicsStaysCorrectPastTheCacheBound() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("t.*"), "s1");
        for (int i = 0; i < TopicTrie.MAX_CACHED_TOPICS + 100; i++) {
            assertThat(trie.match("t." + i)).containsExactly("s1");
        }
        trie.subscribe(TopicPattern.parse("t.5"), "s2");
        assertThat(trie.match("t.5")).containsExactlyInAnyOrder("s1", "s2");
        assertThat(trie.match("t.4096")).containsExactly("s1");
    }

    @Test
    void matchResultIsUnmodifiable() {
        TopicTrie<String> trie = new TopicTrie<>();
        trie.subscribe(TopicPattern.parse("a"), "s1");

        assertThat(trie.match("a")).isUnmodifiable();
    }

    @Test
    void interestListenerIsToldOfFirstAndLastInterestPerPattern() {
        List<String> calls = new ArrayList<>();
        TopicTrie<String> trie = new TopicTrie<>(new InterestListener() {
            @Override
            public void firstInterest(String pattern) {
                calls.add("+" + pattern);
            }

            @Override
            public void lastInterestGone(String pattern) {
                calls.add("-" + pattern);
            }
        });

        trie.subscribe(TopicPattern.parse("work.**"), "s1");
        trie.subscribe(TopicPattern.parse("work.>"), "s2");
        trie.subscribe(TopicPattern.parse("work.>"), "s2");
        trie.subscribe(TopicPattern.parse("chat.*"), "s1");
        assertThat(calls).containsExactly("+work.>", "+chat.*");

        trie.unsubscribe(TopicPattern.parse("work.>"), "s1");
        assertThat(calls).containsExactly("+work.>", "+chat.*");

        trie.unsubscribe(TopicPattern.parse("work.>"), "s2");
        trie.unsubscribe(TopicPattern.parse("work.>"), "s2");
        trie.unsubscribe(TopicPattern.parse("chat.*"), "nobody");
        assertThat(calls).containsExactly("+work.>", "+chat.*", "-work.>");

        trie.subscribe(TopicPattern.parse("work.>"), "s3");
        assertThat(calls).containsExactly("+work.>", "+chat.*", "-work.>", "+work.>");
        assertThat(trie.patterns()).containsExactlyInAnyOrder("work.>", "chat.*");
    }
}
