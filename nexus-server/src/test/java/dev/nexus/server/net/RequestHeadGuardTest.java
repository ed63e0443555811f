package dev.nexus.server.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.vertx.core.net.SocketAddress;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The guard on Netty's embedded channels, with frozen time: a listening channel hands it accepted channels, as
 * Netty's server bootstrap does, and the test moves the clock.
 */
class RequestHeadGuardTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private RequestHeadGuard guard;
    private EmbeddedChannel listener;

    @BeforeEach
    void listen() {
        guard = new RequestHeadGuard(TIMEOUT, 2);
        listener = new EmbeddedChannel(guard.acceptHandler());
    }

    @Test
    void theGuardReportsThatItSitsOnAListeningChannel() {
        assertThat(guard.installed()).isTrue();
        assertThat(new RequestHeadGuard(TIMEOUT, 1).installed()).isFalse();
    }

    @Test
    void aConnectionWhoseHeadIsNotCompleteIsClosedAtTheTimeoutNotBefore() throws Exception {
        Accepted connection = accept(40001);
        connection.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertThat(connection.isOpen()).isTrue();
        assertThat(guard.inFlight()).isEqualTo(1);

        connection.advanceTimeBy(TIMEOUT.toMillis() / 2, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertThat(connection.isOpen()).isFalse();
        assertThat(guard.inFlight()).isZero();
    }

    @Test
    void aCompleteHeadStopsTheClockFreesTheSlotAndLeavesThePipeline() throws Exception {
        Accepted connection = accept(40002);
        guard.headComplete(peer(40002));
        assertThat(guard.inFlight()).isZero();
        assertThat(connection.pipeline().names()).noneMatch(name -> name.contains("Pending"));

        connection.advanceTimeBy(TIMEOUT.toMillis() * 10, TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertThat(connection.isOpen()).isTrue();
        // a later request on the same keep-alive connection changes nothing
        guard.headComplete(peer(40002));
        assertThat(guard.inFlight()).isZero();
    }

    @Test
    void aHeadFromAnotherConnectionDoesNotReleaseThisOne() throws Exception {
        Accepted connection = accept(40003);
        guard.headComplete(peer(40004));
        assertThat(guard.inFlight()).isEqualTo(1);
        connection.advanceTimeBy(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        connection.runScheduledPendingTasks();
        assertThat(connection.isOpen()).isFalse();
    }

    @Test
    void pastTheCapANewConnectionIsClosedAtOnceAndASlotFreesWhenOneCloses() throws Exception {
        Accepted first = accept(40005);
        accept(40006);
        Accepted refused = new Accepted(40007);
        listener.writeInbound(refused);
        assertThat(refused.isOpen()).isFalse();
        assertThat(forwarded()).as("the refused connection never reaches the server").isNull();
        assertThat(guard.inFlight()).isEqualTo(2);

        first.close();
        assertThat(guard.inFlight()).isEqualTo(1);
        Accepted admitted = accept(40008);
        assertThat(admitted.isOpen()).isTrue();
        assertThat(guard.inFlight()).isEqualTo(2);
    }

    /** Hands the listening channel a new connection, checks it was passed on, and registers it as Netty would. */
    private Accepted accept(int port) throws Exception {
        Accepted connection = new Accepted(port);
        listener.writeInbound(connection);
        assertThat(forwarded()).isSameAs(connection);
        connection.register();
        connection.freezeTime();
        return connection;
    }

    /** The remote address of the connection from {@code port}, as Vert.x reports it to a request handler. */
    private static SocketAddress peer(int port) {
        return SocketAddress.inetSocketAddress(Accepted.address(port));
    }

    private Object forwarded() {
        return listener.readInbound();
    }

    /** An accepted connection from 127.0.0.1:{@code port}, not registered yet. */
    private static final class Accepted extends EmbeddedChannel {
        private final InetSocketAddress remote;

        Accepted(int port) {
            super(false, false);
            this.remote = address(port);
        }

        static InetSocketAddress address(int port) {
            try {
                return new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), port);
            } catch (java.net.UnknownHostException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        protected java.net.SocketAddress remoteAddress0() {
            return remote;
        }
    }
}
