package dev.nexus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class NodeOptionsTest {

    @Test
    void defaultsFollowSeed000() {
        NodeOptions defaults = NodeOptions.defaults();

        assertThat(defaults.historySize()).isEqualTo(1000);
        assertThat(defaults.historyRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.rateLimitPerMinute()).isEqualTo(100);
    }

    @Test
    void withersChangeOneValue() {
        MutableClock clock = new MutableClock();
        NodeOptions options = NodeOptions.defaults().withRateLimitPerMinute(0).withClaimGrace(Duration.ZERO)
                .withMaxSubscriptionsPerConnection(3).withHistory(10, Duration.ofMinutes(5)).withClock(clock);

        assertThat(options.rateLimitPerMinute()).isZero();
        assertThat(options.claimGrace()).isZero();
        assertThat(options.maxSubscriptionsPerConnection()).isEqualTo(3);
        assertThat(options.historySize()).isEqualTo(10);
        assertThat(options.historyRetention()).isEqualTo(Duration.ofMinutes(5));
        assertThat(options.clock()).isSameAs(clock);
        assertThat(options.sessionRetention()).isEqualTo(NodeOptions.defaults().sessionRetention());
    }

    @Test
    void invalidValuesAreRefusedWithTheValueInTheMessage() {
        NodeOptions d = NodeOptions.defaults();
        assertThatThrownBy(() -> d.withHistory(0, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("history size must be positive: 0");
        assertThatThrownBy(() -> d.withHistory(10, Duration.ZERO)).hasMessageContaining("history retention");
        assertThatThrownBy(() -> d.withRateLimitPerMinute(-1)).hasMessage("rate limit must not be negative: -1");
        assertThatThrownBy(() -> d.withClaimGrace(Duration.ofSeconds(-1))).hasMessageContaining("claim grace");
        assertThatThrownBy(() -> d.withMaxSubscriptionsPerConnection(0)).hasMessageContaining("max subscriptions");
        assertThatThrownBy(() -> d.withClock(null)).isInstanceOf(NullPointerException.class);
    }
}
