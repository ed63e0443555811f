package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

class TopicPatternTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' -> ''{1}''")
    @CsvSource(delimiter = '|', textBlock = """
            *                 | *
            >                 | >
            **                | >
            broadcast         | broadcast
            work.claimed      | work.claimed
            work.*            | work.*
            work.>            | work.>
            work.**           | work.>
            a.*.c             | a.*.c
            *.claimed         | *.claimed
            *.*               | *.*
            *.>               | *.>
            *.**              | *.>
            a-b.c_d.*.>       | a-b.c_d.*.>
            """)
    void validPatternsAreNormalised(String pattern, String normalised) {
        TopicPattern parsed = TopicPattern.parse(pattern);
        assertThat(parsed.text()).isEqualTo(normalised);
        assertThat(parsed.toString()).isEqualTo(normalised);
        assertThat(parsed.tokens()).containsExactly(normalised.split("\\."));
    }

    @Test
    void doubleStarAndGreaterThanAreTheSameSubscription() {
        assertThat(TopicPattern.parse("work.**")).isEqualTo(TopicPattern.parse("work.>"));
        assertThat(TopicPattern.parse("**")).isEqualTo(TopicPattern.parse(">"));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' is invalid")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            a.>.b
            a.**.b
            >.a
            **.a
            >.>
            a*
            *a
            a.b*
            a.*b
            a>
            a.>>
            a.***
            ***
            a.
            .a
            .
            a..b
            *..>
            "a b"
            a/b
            a.b:c
            """)
    void invalidPatterns(String pattern) {
        assertThatThrownBy(() -> TopicPattern.parse(pattern))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
                    assertThat(e.details()).containsEntry("pattern", pattern);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @ParameterizedTest
    @NullAndEmptySource
    void emptyPatternIsInvalid(String pattern) {
        assertThatThrownBy(() -> TopicPattern.parse(pattern))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN);
                    assertThat(e.getMessage()).contains("empty");
                });
    }

    @Test
    void patternLimitsFollowTopicLimits() {
        String sixteen = IntStream.range(0, 16).mapToObj(i -> i % 2 == 0 ? "*" : "s" + i).collect(Collectors.joining("."));
        assertThat(TopicPattern.parse(sixteen).tokens()).hasSize(16);
        assertThat(TopicPattern.parse(sixteen.substring(0, sixteen.lastIndexOf('.')) + ".>").tokens()).hasSize(16);

        String seventeen = sixteen + ".>";
        assertThatThrownBy(() -> TopicPattern.parse(seventeen))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN))
                .hasMessageContaining("16 segments");

        assertThat(TopicPattern.parse("a".repeat(255)).text()).hasSize(255);
        assertThatThrownBy(() -> TopicPattern.parse("a".repeat(256)))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PATTERN))
                .hasMessageContaining("255 characters");
    }

    @ParameterizedTest
    @CsvSource({"work.claimed,true", "broadcast,true", "work.*,false", "work.>,false", "work.**,false", "*,false", ">,false"})
    void literalPatterns(String pattern, boolean literal) {
        assertThat(TopicPattern.parse(pattern).isLiteral()).isEqualTo(literal);
    }

    @Test
    void tokensAreImmutable() {
        TopicPattern pattern = TopicPattern.parse("a.*");
        assertThatThrownBy(() -> pattern.tokens().add("x")).isInstanceOf(UnsupportedOperationException.class);
    }

    /** The matching truth table; {@code TopicTrieTest} in nexus-core runs the same rows against the trie. */
    static Stream<Arguments> matchingTable() {
        return MatchingTable.rows().stream().map(r -> Arguments.of(r.pattern(), r.topic(), r.expected()));
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' ~ ''{1}'' = {2}")
    @MethodSource("matchingTable")
    void matching(String pattern, String topic, boolean expected) {
        assertThat(Topic.isValid(topic)).as("table topics must be valid topics: %s", topic).isTrue();
        assertThat(TopicPattern.parse(pattern).matches(topic)).isEqualTo(expected);
    }

    @Test
    void everyWildcardKindIsCoveredByTheTable() {
        List<MatchingTable.Row> rows = MatchingTable.rows();
        for (String wildcard : List.of("*", ">", "**")) {
            assertThat(rows).filteredOn(r -> List.of(r.pattern().split("\\.")).contains(wildcard))
                    .as("rows using %s", wildcard)
                    .anyMatch(MatchingTable.Row::expected)
                    .anyMatch(r -> !r.expected());
        }
        assertThat(rows).anyMatch(r -> r.topic().split("\\.").length >= 10 && r.expected());
    }

    @ParameterizedTest(name = "[{index}] ''{0}'' covers ''{1}'': {2}")
    @CsvSource(delimiter = '|', textBlock = """
            >          | >          | true
            >          | work.*     | true
            >          | *          | true
            work.>     | work.a.b   | true
            work.>     | work.*     | true
            work.>     | work.>     | true
            work.>     | work       | false
            work.>     | >          | false
            work.>     | *.a        | false
            work.*     | work.a     | true
            work.*     | work.*     | true
            work.*     | work.>     | false
            work.*     | work.a.b   | false
            work.*     | work       | false
            *.a        | work.a     | true
            *.a        | *.*        | false
            *.*        | *.a        | true
            *          | a          | true
            *          | >          | false
            a.b        | a.b        | true
            a.b        | a.*        | false
            a.*.>      | a.b.c.d    | true
            a.*.>      | a.>        | false
            """)
    void coversIsPatternContainment(String pattern, String other, boolean covers) {
        assertThat(TopicPattern.parse(pattern).covers(TopicPattern.parse(other))).isEqualTo(covers);
    }

    @Test
    void coversAgreesWithMatchingOverEveryShortTopic() {
        List<String> patterns = words(List.of("a", "b", "*", ">"), 3).stream()
                .filter(p -> !p.contains(">") || p.indexOf('>') == p.length() - 1)
                .toList();
        List<String> topics = words(List.of("a", "b", "c"), 5);
        for (String first : patterns) {
            TopicPattern a = TopicPattern.parse(first);
            for (String second : patterns) {
                TopicPattern b = TopicPattern.parse(second);
                boolean contained = topics.stream().filter(b::matches).allMatch(a::matches);
                assertThat(a.covers(b)).as("%s covers %s", a, b).isEqualTo(contained);
            }
        }
    }

    /** Every dot-joined word of 1 to {@code maxLength} segments from {@code alphabet}. */
    private static List<String> words(List<String> alphabet, int maxLength) {
        List<String> all = new java.util.ArrayList<>();
        List<String> previous = List.of("");
        for (int length = 1; length <= maxLength; length++) {
            List<String> current = new java.util.ArrayList<>();
            for (String prefix : previous) {
                for (String segment : alphabet) {
                    current.add(prefix.isEmpty() ? segment : prefix + "." + segment);
                }
            }
            all.addAll(current);
            previous = current;
        }
        return all;
    }
}
