package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: every session is told, with close code 1001 (going away). */
class ShutdownTest {

    @Test
    void closingTheServerTellsEveryConnectedSessionAndClosesWithGoingAway() throws Exception {
        TestServer nexus = TestServer.start();
        try (WsClient one = nexus.connect("one"); WsClient two = nexus.connect("two")) {
            one.subscribe("session.*");
            assertThat(two.ping("ready").path("type").asText()).isEqualTo("pong");

            nexus.close();

            for (WsClient client : new WsClient[] {one, two}) {
                JsonNode error = client.await(m -> "error".equals(m.path("type").asText()));
                assertThat(error.path("error").asText()).isEqualTo("shutting_down");
                assertThat(error.path("message").asText()).isNotBlank();
                assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
            }
        } finally {
            nexus.close();
        }
    }

    @Test
    void closingTwiceIsHarmless() {
        TestServer nexus = TestServer.start();
        try (WsClient ws = nexus.connect("lonely")) {
            assertThat(ws.ping("ready").path("type").asText()).isEqualTo("pong");
            nexus.close();
            assertThatCode(nexus::close).doesNotThrowAnyException();
            assertThatCode(nexus.server::close).doesNotThrowAnyException();
        }
    }

    @Test
    void theServerRefusesNewWorkOnceClosedAndItsPortIsFreed() throws Exception {
        TestServer nexus = TestServer.start();
        int port = nexus.server.port();
        nexus.close();

        try (java.net.ServerSocket rebind = new java.net.ServerSocket()) {
            rebind.setReuseAddress(true);
            rebind.bind(new java.net.InetSocketAddress("127.0.0.1", port));
            assertThat(rebind.isBound()).isTrue();
        }
    }
}
