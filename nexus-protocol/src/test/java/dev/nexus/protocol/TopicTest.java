package dev.nexus.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;

/** Truth table of the topic grammar, in the manner of nats-server's sublist_test. */
class TopicTest {

    @ParameterizedTest(name = "[{index}] ''{0}'' valid={1}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
            broadcast             | true
            work.claimed          | true
            work.claimed.item-1   | true
            a.b.c                 | true
            A-Z_a-z.0-9           | true
            -                     | true
            _                     | true
            -.-._                 | true
            123                   | true
            a                     | true
            ""                    | false
            .                     | false
            .work                 | false
            work.                 | false
            work..claimed         | false
            ..                    | false
            "work claimed"        | false
            " work"               | false
            "work "               | false
            work.*                | false
            *                     | false
            work.>                | false
            >                     | false
            work.**               | false
            work/claimed          | false
            work:claimed          | false
            work,claimed          | false
            wörk.claimed          | false
            work.claimed!         | false
            "work\tclaimed"       | false
            """)
    void grammar(String topic, boolean valid) {
        assertThat(Topic.isValid(topic)).as("isValid(%s)", topic).isEqualTo(valid);
        if (valid) {
            assertThat(Topic.requireValid(topic)).isEqualTo(topic);
        } else {
            assertThatThrownBy(() -> Topic.requireValid(topic))
                    .isInstanceOfSatisfying(NexusException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
                        assertThat(e.details()).containsEntry("topic", topic);
                        assertThat(e.getMessage()).isNotBlank();
                    });
        }
    }

    static Stream<Arguments> limits() {
        return Stream.of(
                Arguments.of("16 segments", segments(16), true),
                Arguments.of("17 segments", segments(17), false),
                Arguments.of("255 characters", "a".repeat(255), true),
                Arguments.of("256 characters", "a".repeat(256), false),
                Arguments.of("255 characters in 3 segments", "a".repeat(85) + "." + "b".repeat(84) + "." + "c".repeat(84), true),
                Arguments.of("256 characters in 2 segments", "a".repeat(128) + "." + "b".repeat(127), false));
    }

    @ParameterizedTest(name = "{0}: valid={2}")
    @MethodSource("limits")
    void limits(String name, String topic, boolean valid) {
        assertThat(Topic.isValid(topic)).isEqualTo(valid);
        if (!valid) {
            assertThatThrownBy(() -> Topic.requireValid(topic))
                    .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC));
        }
    }

    @ParameterizedTest
    @NullAndEmptySource
    void nullAndEmptyAreInvalid(String topic) {
        assertThat(Topic.isValid(topic)).isFalse();
        assertThatThrownBy(() -> Topic.requireValid(topic))
                .isInstanceOfSatisfying(NexusException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOPIC);
                    assertThat(e.getMessage()).contains("empty");
                });
    }

    @Test
    void messageNamesTheProblem() {
        assertThatThrownBy(() -> Topic.requireValid("work claimed")).hasMessageContaining("' '");
        assertThatThrownBy(() -> Topic.requireValid("a..b")).hasMessageContaining("empty segment");
        assertThatThrownBy(() -> Topic.requireValid(segments(17))).hasMessageContaining("16 segments");
        assertThatThrownBy(() -> Topic.requireValid("a".repeat(256))).hasMessageContaining("255 characters");
    }

    static String segments(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "s" + i).collect(Collectors.joining("."));
    }
}
