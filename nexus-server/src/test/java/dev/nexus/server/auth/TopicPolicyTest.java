package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.TopicPattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class TopicPolicyTest {
    private static final TopicPolicy POLICY = parse("""
            {"alice": {"publish": ["work.>", "status.update"], "subscribe": ["work.*", "session.>"]},
             "carol": {},
             "*": {"publish": ["chat.*"], "subscribe": ["chat.*"]}}
            """);

    @ParameterizedTest(name = "[{index}] {0} publishes {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            alice | work.started     | true
            alice | work.a.b.c       | true
            alice | status.update    | true
            alice | status.other     | false
            alice | work             | false
            alice | chat.hello       | false
            bob   | chat.hello       | true
            bob   | chat.hello.there | false
            bob   | work.started     | false
            carol | chat.hello       | false
            """)
    void publishIsAllowedWhenATopicMatchesThePublishList(String session, String topic, boolean allowed) {
        if (allowed) {
            assertThatCode(() -> POLICY.requirePublish(session, topic)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> POLICY.requirePublish(session, topic))
                    .isInstanceOfSatisfying(NexusException.class, e -> {
                        assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN_TOPIC);
                        assertThat(e.code().httpStatus()).isEqualTo(403);
                    });
        }
    }

    @ParameterizedTest(name = "[{index}] {0} subscribes {1}: {2}")
    @CsvSource(delimiter = '|', textBlock = """
            alice | work.claimed             | true
            alice | work.*                   | true
            alice | work.>                   | false
            alice | >                        | false
            alice | session.*                | true
            alice | session.>                | true
            alice | work.claimed session.*.x | true
            alice | work.claimed chat.*      | false
            bob   | chat.*                   | true
            bob   | chat.>                   | false
            carol | chat.*                   | false
            """)
    void subscribeIsAllowedWhenEveryPatternIsCoveredByTheSubscribeList(String session, String patterns,
            boolean allowed) {
        List<TopicPattern> parsed = Arrays.stream(patterns.split(" ")).map(TopicPattern::parse).toList();
        if (allowed) {
            assertThatCode(() -> POLICY.requireSubscribe(session, parsed)).doesNotThrowAnyException();
        } else {
            assertThatThrownBy(() -> POLICY.requireSubscribe(session, parsed))
                    .isInstanceOfSatisfying(NexusException.class,
                            e -> assertThat(e.code()).isEqualTo(ErrorCode.FORBIDDEN_TOPIC));
        }
    }

    @Test
    void withoutAnEntryForOthersUnlistedSessionsMayDoNothing() {
        TopicPolicy strict = parse("{\"alice\": {\"publish\": [\">\"], \"subscribe\": [\">\"]}}");
        assertThatCode(() -> strict.requirePublish("alice", "any.thing")).doesNotThrowAnyException();
        assertThatCode(() -> strict.requireSubscribe("alice", List.of(TopicPattern.parse(">"))))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> strict.requirePublish("bob", "any.thing")).isInstanceOf(NexusException.class);
        assertThatThrownBy(() -> strict.requireSubscribe("bob", List.of(TopicPattern.parse("any"))))
                .isInstanceOf(NexusException.class);
    }

    @Test
    void theOpenPolicyAllowsEverything() {
        assertThat(TopicPolicy.open().restricts()).isFalse();
        assertThatCode(() -> TopicPolicy.open().requirePublish("anyone", "any.thing")).doesNotThrowAnyException();
        assertThatCode(() -> TopicPolicy.open().requireSubscribe("anyone", List.of(TopicPattern.parse(">"))))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "not json",
        "[]",
        "{\"alice\": []}",
        "{\"alice\": {\"publish\": \"work.>\"}}",
        "{\"alice\": {\"publish\": [1]}}",
        "{\"alice\": {\"publish\": [\"work..x\"]}}",
        "{\"alice\": {\"subscribe\": [\">.a\"]}}",
        "{\"alice\": {\"publsh\": [\"work.>\"]}}",
        "{\".hidden\": {\"publish\": [\"work.>\"]}}"
    })
    void aMalformedFileIsRefusedWithASentence(String content) {
        assertThatThrownBy(() -> parse(content)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("Exception");
    }

    private static TopicPolicy parse(String json) {
        return TopicPolicy.parse(json.getBytes(StandardCharsets.UTF_8), Path.of("acl.json"));
    }
}
