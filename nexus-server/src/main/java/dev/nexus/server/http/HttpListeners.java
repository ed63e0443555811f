package dev.nexus.server.http;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The HTTP and WebSocket server on several event loops: one Vert.x {@link HttpServer} per loop, each deployed in
 * its own event-loop context, all on the same address. Vert.x binds one listening socket for them and hands the
 * accepted connections to them in turn, so connections, and the reading, parsing and writing of each, are spread
 * over the loops; a connection stays on its loop for its whole life. The handler must be thread-safe (it runs on
 * every loop at once).
 *
 * <p>Port 0: Vert.x shares a listening socket only between servers given the same non-zero port, so a free port is
 * found first (bound and released by the JDK) and the servers listen on it; should another process take it in
 * between, the next free port is tried, up to {@value #PORT_ATTEMPTS} times.
 */
public final class HttpListeners {
    static final int PORT_ATTEMPTS = 5;

    private final List<HttpServer> servers;

    private HttpListeners(List<HttpServer> servers) {
        this.servers = List.copyOf(servers);
    }

    /**
     * Binds {@code eventLoops} servers and waits for all of them.
     *
     * @throws IllegalStateException when the address cannot be bound, naming why
     */
    public static HttpListeners listen(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
            int eventLoops, Duration timeout) {
        if (eventLoops < 1) {
            throw new IllegalArgumentException("eventLoops must be at least 1, got " + eventLoops);
        }
        if (options.getPort() != 0) {
            try {
                return deploy(vertx, options, handler, eventLoops, timeout);
            } catch (PortTaken e) {
                throw new IllegalStateException("cannot listen on " + options.getHost() + ":" + options.getPort()
                        + ": the address is already in use");
            }
        }
        for (int attempt = 1; ; attempt++) {
            HttpServerOptions onFreePort = new HttpServerOptions(options).setPort(freePort(options.getHost()));
            try {
                return deploy(vertx, onFreePort, handler, eventLoops, timeout);
            } catch (PortTaken e) {
                if (attempt == PORT_ATTEMPTS) {
                    throw new IllegalStateException("cannot listen on " + options.getHost() + ":0: the free ports "
                            + "found were taken by others " + PORT_ATTEMPTS + " times");
                }
            }
        }
    }

    private static HttpListeners deploy(Vertx vertx, HttpServerOptions options, Handler<HttpServerRequest> handler,
            int eventLoops, Duration timeout) {
        List<HttpServer> servers = new CopyOnWriteArrayList<>();
        Future<String> deployed = vertx.deployVerticle(() -> new VerticleBase() {
            @Override
            public Future<?> start() {
                return vertx.createHttpServer(options).requestHandler(handler).listen().onSuccess(servers::add);
            }
        }, new DeploymentOptions().setInstances(eventLoops));
        try {
            deployed.toCompletionStage().toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (addressInUse(e.getCause())) {
                throw new PortTaken();
            }
            throw new IllegalStateException("cannot listen on " + options.getHost() + ":" + options.getPort() + ": "
                    + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting");
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out binding " + options.getHost() + ":" + options.getPort());
        }
        return new HttpListeners(servers);
    }

    /** NIO reports a taken address as a {@link BindException}, native epoll as an IOException saying so. */
    private static boolean addressInUse(Throwable failure) {
        return failure instanceof BindException || (failure instanceof IOException
                && failure.getMessage() != null && failure.getMessage().contains("Address already in use"));
    }

    private static int freePort(String host) {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("cannot listen on " + host + ":0: " + e.getMessage());
        }
    }

    /** The port was bound by someone else. */
    private static final class PortTaken extends RuntimeException {
        PortTaken() {
            super(null, null, false, false);
        }
    }

    /** The port the servers listen on (the random one chosen for port 0). */
    public int port() {
        return servers.get(0).actualPort();
    }

    /** Event loops serving connections. */
    public int eventLoops() {
        return servers.size();
    }

    /**
     * Stops accepting and closes every connection, giving each server up to {@code grace} to finish what is in
     * flight; completes when all are closed.
     */
    public Future<Void> shutdown(Duration grace) {
        return Future.all(servers.stream().map(server -> server.shutdown(grace)).toList()).mapEmpty();
    }
}
