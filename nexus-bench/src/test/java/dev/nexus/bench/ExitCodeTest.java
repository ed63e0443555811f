package dev.nexus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nexus.protocol.WireJson;
import org.junit.jupiter.api.Test;

/** A run that lost deliveries or subscribers, or saw errors, exits with 1 so scripts notice. */
class ExitCodeTest {
    @Test
    void cleanRunExitsZero() throws Exception {
        assertThat(BenchCommand.exitCode(json("""
                {"nexus":{"errors":0,"subscribers_lost":0,"complete":true},"peer":{"errors":0,"complete":true}}"""))).isZero();
    }

    @Test
    void missedDeliveriesLostSubscribersOrErrorsInEitherSystemExitOne() throws Exception {
        assertThat(BenchCommand.exitCode(json("""
                {"nexus":{"errors":0,"complete":false}}"""))).isEqualTo(1);
        assertThat(BenchCommand.exitCode(json("""
                {"nexus":{"errors":0,"subscribers_lost":2}}"""))).isEqualTo(1);
        assertThat(BenchCommand.exitCode(json("""
                {"nexus":{"errors":0},"peer":{"errors":3}}"""))).isEqualTo(1);
        assertThat(BenchCommand.exitCode(json("""
                {"nexus":{"sync":{"errors":0},"off":{"errors":1}}}"""))).isEqualTo(1);
    }

    private static com.fasterxml.jackson.databind.JsonNode json(String text) throws Exception {
        return WireJson.mapper().readTree(text);
    }
}
