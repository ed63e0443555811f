package dev.nexus.server.net;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.vertx.core.net.SocketAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Defends against slow request heads (slowloris): bounds the time from TCP accept until a connection's first
 * HTTP request head — a plain request or a WebSocket upgrade — is complete, and how many connections may be in
 * that state at once ("handshakes in flight").
 *
 * <p>A connection whose first head is not complete within the header timeout is closed, however steadily it
 * dribbles bytes (an idle timeout only counts silence). A connection accepted while {@code maxInFlight} others
 * are still sending their first head is closed at once, before Vert.x sees it. The clock starts at accept, so a
 * TLS handshake counts against the same timeout. Later requests on a keep-alive connection are not covered; the
 * server's idle timeout bounds those.
 *
 * <p>Wiring: {@link #acceptHandler()} goes on each listening channel's pipeline (see {@link GuardedTransport}),
 * where it sees every accepted channel before Vert.x initialises it; the HTTP request handler calls
 * {@link #headComplete} for every request it receives. Connections are matched by their remote address and port,
 * which identify one live TCP connection to a listening socket. Thread-safe.
 */
public final class RequestHeadGuard {
    private static final Logger LOG = LoggerFactory.getLogger(RequestHeadGuard.class);

    private final long timeoutNanos;
    private final int maxInFlight;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ConcurrentHashMap<Peer, Pending> pending = new ConcurrentHashMap<>();
    private final Acceptor acceptor = new Acceptor();
    private volatile boolean installed;

    /**
     * @param headerTimeout how long a connection has, from accept, to complete its first request head
     * @param maxInFlight most connections at once whose first request head is not complete
     */
    public RequestHeadGuard(Duration headerTimeout, int maxInFlight) {
        Objects.requireNonNull(headerTimeout, "headerTimeout");
        if (headerTimeout.isNegative() || headerTimeout.isZero()) {
            throw new IllegalArgumentException("header timeout must be positive: " + headerTimeout);
        }
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("handshakes in flight must be at least 1: " + maxInFlight);
        }
        this.timeoutNanos = headerTimeout.toNanos();
        this.maxInFlight = maxInFlight;
    }

    /** The handler for listening channels' pipelines; shared by all of them. */
    ChannelHandler acceptHandler() {
        return acceptor;
    }

    /**
     * Tells the guard a request head from {@code remote} is complete: its connection is no longer watched. A
     * connection that is not watched (a later request on a keep-alive connection) is ignored.
     */
    public void headComplete(SocketAddress remote) {
        if (remote == null || pending.isEmpty()) {
            return;
        }
        Pending watched = pending.get(new Peer(remote.hostAddress(), remote.port()));
        if (watched != null) {
            watched.complete();
        }
    }

    /** Connections accepted whose first request head is not complete yet. */
    public int inFlight() {
        return inFlight.get();
    }

    /**
     * Whether the guard sits on a listening channel. False after the server listens means this Vert.x version did
     * not take the hook: the header timeout and the handshake cap are then not enforced.
     */
    public boolean installed() {
        return installed;
    }

    /** The remote end of a TCP connection, as Vert.x reports it ({@link SocketAddress#hostAddress()}, port). */
    private record Peer(String host, int port) {
    }

    /** On a listening channel: sees each accepted channel before the server bootstrap registers it. */
    @ChannelHandler.Sharable
    private final class Acceptor extends ChannelInboundHandlerAdapter {
        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            installed = true;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof Channel child) || !(child.remoteAddress() instanceof InetSocketAddress remote)) {
                ctx.fireChannelRead(msg);
                return;
            }
            if (inFlight.incrementAndGet() > maxInFlight) {
                inFlight.decrementAndGet();
                LOG.debug("closed a new connection from {}: {} connections are still sending their request head",
                        remote, maxInFlight);
                child.unsafe().closeForcibly();
                return;
            }
            SocketAddress address = SocketAddress.inetSocketAddress(remote);
            Pending watch = new Pending(new Peer(address.hostAddress(), address.port()));
            pending.put(watch.peer, watch);
            child.pipeline().addFirst(watch);
            child.closeFuture().addListener(closed -> watch.release());
            ctx.fireChannelRead(child);
        }
    }

    /** First on an accepted channel's pipeline until its first request head is complete; closes it on time-out. */
    private final class Pending extends ChannelInboundHandlerAdapter {
        private final Peer peer;
        private final AtomicBoolean released = new AtomicBoolean();
        private volatile ChannelHandlerContext context;
        private volatile ScheduledFuture<?> deadline;

        Pending(Peer peer) {
            this.peer = peer;
        }

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            context = ctx;
            deadline = ctx.executor().schedule(() -> expire(ctx), timeoutNanos, TimeUnit.NANOSECONDS);
            if (released.get()) {
                deadline.cancel(false);
            }
        }

        void complete() {
            ChannelHandlerContext ctx = context;
            if (ctx == null || !release()) {
                return;
            }
            if (ctx.executor().inEventLoop()) {
                ctx.pipeline().remove(this);
            } else {
                ctx.executor().execute(() -> {
                    if (!ctx.isRemoved()) {
                        ctx.pipeline().remove(this);
                    }
                });
            }
        }

        private void expire(ChannelHandlerContext ctx) {
            if (release()) {
                LOG.debug("closed the connection from {}:{}: its request head was not complete within {} ms",
                        peer.host(), peer.port(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                ctx.channel().close();
            }
        }

        /** Stops watching; true for the one call that did. */
        boolean release() {
            if (!released.compareAndSet(false, true)) {
                return false;
            }
            inFlight.decrementAndGet();
            pending.remove(peer, this);
            ScheduledFuture<?> scheduled = deadline;
            if (scheduled != null) {
                scheduled.cancel(false);
            }
            return true;
        }
    }
}
