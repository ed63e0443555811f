package dev.nexus.server.ssot;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChangeSignalTest {
    private final ChangeSignal signal = new ChangeSignal();

    @Test
    void theFirstMarkSinceTheLastTakeIsKept() {
        assertThat(signal.pendingSince()).isEqualTo(ChangeSignal.CLEAN);

        signal.mark();
        long first = signal.pendingSince();
        signal.mark();

        assertThat(first).isNotEqualTo(ChangeSignal.CLEAN);
        assertThat(signal.pendingSince()).as("later marks do not postpone the write").isEqualTo(first);
        signal.take();
        assertThat(signal.pendingSince()).isEqualTo(ChangeSignal.CLEAN);
        signal.deliver(null);
        assertThat(signal.pendingSince()).isNotEqualTo(ChangeSignal.CLEAN);
    }
}
