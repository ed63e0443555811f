package dev.nexus.server.net;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFactory;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.socket.DatagramChannel;
import io.vertx.core.datagram.DatagramSocketOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.TcpConfig;
import io.vertx.core.transport.Transport;
import java.util.concurrent.ThreadFactory;

/**
 * Vert.x's native epoll transport (Linux; Vert.x's NIO transport where the native library does not load) with
 * one addition: every listening socket gets the {@link RequestHeadGuard}'s accept handler. Native epoll costs
 * fewer system calls and less kernel time per write than NIO, which is most of a delivery's cost on loopback
 * (see docs/benchmarks.md). Plug it in with {@code Vertx.builder().withTransport(new GuardedTransport(guard))}.
 *
 * <p>Why a transport: Vert.x 5's public server hooks ({@code HttpServer#connectionHandler}, the request and
 * WebSocket handlers) fire only once a request head is complete, so none of them can time out a client that
 * never completes one. The {@link io.vertx.core.spi.transport.Transport} SPI, installed through the public
 * {@code VertxBuilder#withTransport}, is the one supported place where Vert.x hands out the Netty
 * {@link ServerBootstrap} of a server it binds: {@code configure(TcpConfig, boolean, ServerBootstrap)} runs last,
 * just before the bind, and Vert.x 5.1 sets no handler of its own on the listening channel. The guard's handler
 * installed there sees each accepted channel before Vert.x initialises it. Every other method delegates to
 * the chosen transport unchanged.
 *
 * <p>Fallback: should a later Vert.x set its own listening-channel handler after this call, the guard sees no
 * connection and {@link RequestHeadGuard#installed()} stays false; the server then logs that the header timeout
 * and the handshake cap are not enforced, and the idle timeout and TLS handshake timeout remain the only bounds.
 * The end-to-end tests of the header timeout fail in that case, so an upgrade cannot lose it silently.
 */
public final class GuardedTransport implements Transport {
    private final Transport base = Transport.EPOLL.available() ? Transport.EPOLL : Transport.NIO;
    private final Spi implementation;

    public GuardedTransport(RequestHeadGuard guard) {
        this.implementation = new Spi(base.implementation(), guard);
    }

    @Override
    public String name() {
        return base.name();
    }

    @Override
    public boolean available() {
        return base.available();
    }

    @Override
    public Throwable unavailabilityCause() {
        return base.unavailabilityCause();
    }

    @Override
    public io.vertx.core.spi.transport.Transport implementation() {
        return implementation;
    }

    /** The chosen transport's SPI implementation, delegated, plus the guard on every server bootstrap. */
    @SuppressWarnings("deprecation") // InternetProtocolFamily is part of the SPI being delegated
    private static final class Spi implements io.vertx.core.spi.transport.Transport {
        private final io.vertx.core.spi.transport.Transport delegate;
        private final RequestHeadGuard guard;

        Spi(io.vertx.core.spi.transport.Transport delegate, RequestHeadGuard guard) {
            this.delegate = delegate;
            this.guard = guard;
        }

        @Override
        public void configure(TcpConfig config, boolean domainSocket, ServerBootstrap bootstrap) {
            delegate.configure(config, domainSocket, bootstrap);
            if (!domainSocket) {
                bootstrap.handler(guard.acceptHandler());
            }
        }

        @Override
        public void configure(TcpConfig config, boolean domainSocket, Bootstrap bootstrap) {
            delegate.configure(config, domainSocket, bootstrap);
        }

        @Override
        public void configure(DatagramChannel channel, DatagramSocketOptions options) {
            delegate.configure(channel, options);
        }

        @Override
        public boolean supportsDomainSockets() {
            return delegate.supportsDomainSockets();
        }

        @Override
        public boolean supportFileRegion() {
            return delegate.supportFileRegion();
        }

        @Override
        public boolean isAvailable() {
            return delegate.isAvailable();
        }

        @Override
        public Throwable unavailabilityCause() {
            return delegate.unavailabilityCause();
        }

        @Override
        public java.net.SocketAddress convert(SocketAddress address) {
            return delegate.convert(address);
        }

        @Override
        public SocketAddress convert(java.net.SocketAddress address) {
            return delegate.convert(address);
        }

        @Override
        public IoHandlerFactory ioHandlerFactory() {
            return delegate.ioHandlerFactory();
        }

        @Override
        public EventLoopGroup eventLoopGroup(int type, int threads, ThreadFactory threadFactory, int ioRatio) {
            return delegate.eventLoopGroup(type, threads, threadFactory, ioRatio);
        }

        @Override
        public DatagramChannel datagramChannel(io.netty.channel.socket.InternetProtocolFamily family) {
            return delegate.datagramChannel(family);
        }

        @Override
        public ChannelFactory<? extends DatagramChannel> datagramChannelFactory() {
            return delegate.datagramChannelFactory();
        }

        @Override
        public ChannelFactory<? extends Channel> channelFactory(boolean domainSocket) {
            return delegate.channelFactory(domainSocket);
        }

        @Override
        public ChannelFactory<? extends ServerChannel> serverChannelFactory(boolean domainSocket) {
            return delegate.serverChannelFactory(domainSocket);
        }
    }
}
