package dev.nexus.server.ws;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A WebSocket connection's TCP-level idle timeout, counting only silence from the peer.
 *
 * <p>The server's connections carry Vert.x's idle timeout ({@code --ping-timeout}): a connection on which nothing
 * was read <em>or written</em> for that long is dropped. On a WebSocket that is the backstop behind the protocol's
 * own {@code ping_timeout} close (4003), for a peer that never answers the close. Counting writes costs every frame
 * written: Netty's {@link IdleStateHandler} then turns each write's void promise into a real one with a listener
 * (a promise, its listener array and a completion per delivery; docs/benchmarks.md, step 44). Once a connection
 * is a WebSocket its handler is replaced by one that watches reads only, with a timeout of the ping timeout plus
 * three ping intervals: the protocol's silence check, run every interval, closes the connection with 4003 at most
 * one interval after the ping timeout, so it comes first with two intervals to spare, and a peer still silent
 * two intervals later is dropped.
 */
final class SilenceTimeout {
    /** The name Vert.x gives the idle handler in a connection's pipeline. */
    static final String HANDLER_NAME = "idle";

    private SilenceTimeout() {
    }

    /** The read-only timeout for these ping settings. */
    static Duration after(WebSocketSettings settings) {
        return settings.pingTimeout().plus(settings.pingInterval().multipliedBy(3));
    }

    /**
     * Replaces the connection's idle handler with one that counts only silence from the peer, for {@code timeout}.
     * Does nothing where the connection has no idle handler (no idle timeout configured) or {@code pipeline} is
     * null (the socket's channel was not reachable: the write-counting timeout then stays, which is correct, only
     * dearer).
     *
     * @return whether the handler was replaced
     */
    static boolean install(ChannelPipeline pipeline, Duration timeout) {
        if (pipeline == null) {
            return false;
        }
        ChannelHandler current = pipeline.get(HANDLER_NAME);
        if (!(current instanceof IdleStateHandler)) {
            return false;
        }
        pipeline.replace(HANDLER_NAME, HANDLER_NAME, new IdleStateHandler(timeout.toNanos(), 0, 0, TimeUnit.NANOSECONDS));
        return true;
    }
}
