package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Slow request heads (slowloris), over raw sockets: a connection that dribbles its request head is closed after
 * {@code --header-timeout} however steadily it sends, and past {@code --max-handshakes} connections still sending
 * their first head, new ones are closed at once — while complete clients keep being served.
 */
class SecuritySlowHeadersTest {

    @Test
    void aClientDribblingItsRequestHeadIsClosedAfterTheHeaderTimeoutWhileOthersAreServed() throws IOException {
        ScheduledExecutorService dribbler = Executors.newSingleThreadScheduledExecutor();
        try (TestServer server = TestServer.start(b -> b.headerTimeout(Duration.ofSeconds(1)));
                WsClient upgraded = server.connect("upgraded-early");
                Socket keepAlive = RawHttp.connect(server.server.port());
                Socket slow = RawHttp.connect(server.server.port())) {
            assertThat(RawHttp.get(keepAlive, "/health").status()).isEqualTo(200);

            RawHttp.sendRaw(slow, "GET /health HTTP/1.1\r\nHo");
            AtomicInteger dribbled = new AtomicInteger();
            dribbler.scheduleAtFixedRate(() -> {
                try {
                    RawHttp.sendRaw(slow, "s");
                    dribbled.incrementAndGet();
                } catch (IOException closed) {
                    throw new IllegalStateException(closed);
                }
            }, 200, 200, TimeUnit.MILLISECONDS);
            // while it dribbles, complete requests are served
            assertThat(server.http.get("/health").status()).isEqualTo(200);

            assertThat(RawHttp.closedByServer(slow)).as("the dribbling connection is closed").isTrue();
            // it was never silent long: bytes kept arriving, so no idle timeout was involved
            assertThat(dribbled.get()).isGreaterThanOrEqualTo(3);

            // connections whose head was complete before are not touched, though they are older than the timeout
            assertThat(upgraded.ping("still-open").path("type").asText()).isEqualTo("pong");
            assertThat(RawHttp.get(keepAlive, "/health").status()).isEqualTo(200);
            assertThat(server.http.get("/health").status()).isEqualTo(200);
        } finally {
            dribbler.shutdownNow();
        }
    }

    @Test
    void aConnectionThatNeverSendsAnythingIsClosedAfterTheHeaderTimeout() {
        try (TestServer server = TestServer.start(b -> b.headerTimeout(Duration.ofMillis(500)));
                Socket silent = RawHttp.connect(server.server.port())) {
            assertThat(RawHttp.closedByServer(silent)).isTrue();
            assertThat(server.http.get("/health").status()).isEqualTo(200);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void pastTheHandshakeCapNewConnectionsAreClosedAtOnceUntilASlotFrees() throws IOException {
        int cap = 3;
        List<Socket> incomplete = new ArrayList<>();
        try (TestServer server = TestServer.start(b -> b.maxHandshakes(cap).headerTimeout(Duration.ofMinutes(1)))) {
            int port = server.server.port();
            try {
                for (int i = 0; i < cap; i++) {
                    Socket socket = RawHttp.connect(port);
                    RawHttp.sendRaw(socket, "GET /health HTTP/1.1\r\n");
                    incomplete.add(socket);
                }
                try (Socket refused = RawHttp.connect(port)) {
                    assertThat(RawHttp.closedByServer(refused)).as("connection %d of %d", cap + 1, cap).isTrue();
                }

                // one of the incomplete heads completes: it is served, and its slot is free again
                Socket completing = incomplete.get(0);
                RawHttp.sendRaw(completing, "Host: 127.0.0.1\r\n\r\n");
                assertThat(RawHttp.reply(completing).status()).isEqualTo(200);
                try (Socket next = RawHttp.connect(port)) {
                    assertThat(RawHttp.get(next, "/health").status()).isEqualTo(200);
                }
                // the connections still sending their heads were not disturbed
                Socket waiting = incomplete.get(1);
                RawHttp.sendRaw(waiting, "Host: 127.0.0.1\r\n\r\n");
                assertThat(RawHttp.reply(waiting).status()).isEqualTo(200);
            } finally {
                for (Socket socket : incomplete) {
                    socket.close();
                }
            }
        }
    }
}
