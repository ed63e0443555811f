package dev.nexus.server;

import dev.nexus.core.Node;
import dev.nexus.core.NodeBackends;
import dev.nexus.core.NodeOptions;
import dev.nexus.core.memory.MemoryPresenceStore;
import dev.nexus.store.sqlite.LogRetention;
import dev.nexus.store.sqlite.SqliteStore;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.server.auth.AclFile;
import dev.nexus.server.auth.AuthMode;
import dev.nexus.server.auth.Authenticator;
import dev.nexus.server.auth.Authenticators;
import dev.nexus.server.auth.Caller;
import dev.nexus.server.auth.TopicPolicy;
import dev.nexus.server.http.AdminCredential;
import dev.nexus.server.http.AdminRoutes;
import dev.nexus.server.http.EventRoutes;
import dev.nexus.server.http.HttpListeners;
import dev.nexus.server.http.HttpReplies;
import dev.nexus.server.http.InboxRoutes;
import dev.nexus.server.http.OriginPolicy;
import dev.nexus.server.http.RequestReader;
import dev.nexus.server.http.SessionRoutes;
import dev.nexus.server.http.UdcRoutes;
import dev.nexus.server.http.WorkRoutes;
import dev.nexus.server.net.GuardedTransport;
import dev.nexus.server.net.RequestHeadGuard;
import dev.nexus.server.registry.Registration;
import dev.nexus.server.registry.RegistryClient;
import dev.nexus.server.ssot.SsotSync;
import dev.nexus.server.work.WorkDispatcher;
import dev.nexus.server.work.WorkExecutor;
import dev.nexus.server.ws.WebSocketEndpoint;
import dev.nexus.server.ws.WebSocketSettings;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Nexus server: the engine ({@link Node}) behind HTTP and WebSocket on Vert.x, plus SSOT file sync
 * and registry registration when configured.
 *
 * <p>Lifecycle: {@link #start} binds and returns once the server accepts connections (port 0 picks a free port,
 * see {@link #port()}); {@link #close()} shuts down gracefully — every session is told {@code shutting_down}
 * and closed with 1001 (going away), SSOT files get a final flush, the data directory is unlocked. Idempotent.
 */
public final class NexusServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NexusServer.class);
    /** How often the ACL file is checked for a change. */
    static final java.time.Duration ACL_FILE_POLL = java.time.Duration.ofSeconds(1);

    private final ServerConfig config;
    private final DataDirectory dataDirectory;
    private final Node node;
    private final Vertx vertx;
    private final List<AutoCloseable> components;
    private final Authenticator authenticator;
    private final RequestHeadGuard requestHeads;
    private final Supplier<TopicPolicy> topics;
    private HttpListeners listeners;
    private boolean closed;

    private NexusServer(ServerConfig config, DataDirectory dataDirectory, Node node, Vertx vertx,
            List<AutoCloseable> components, Authenticator authenticator, RequestHeadGuard requestHeads,
            Supplier<TopicPolicy> topics) {
        this.authenticator = authenticator;
        this.topics = topics;
        this.requestHeads = requestHeads;
        this.config = config;
        this.dataDirectory = dataDirectory;
        this.node = node;
        this.vertx = vertx;
        this.components = components;
    }

    /**
     * Starts a server and waits until it listens.
     *
     * @throws IllegalStateException with a sentence for the operator when it cannot start (address in use,
     *     data directory locked, insecure bind refused)
     */
    public static NexusServer start(ServerConfig config) {
        refuseInsecureBind(config);
        // Vert.x and Netty take a few hundred ms to set up: that runs beside reading the ACL and opening the store
        RequestHeadGuard requestHeads = new RequestHeadGuard(config.headerTimeout(), config.maxHandshakes());
        CompletableFuture<Vertx> vertxStarting = CompletableFuture.supplyAsync(
                () -> Vertx.builder().withTransport(new GuardedTransport(requestHeads)).build(),
                task -> Thread.ofPlatform().name("nexus-start-vertx").daemon().start(task));
        try {
            return start(config, requestHeads, vertxStarting);
        } catch (RuntimeException e) {
            // its event loop threads would keep a failed start's JVM running
            vertxStarting.thenAccept(Vertx::close);
            throw e;
        }
    }

    private static NexusServer start(ServerConfig config, RequestHeadGuard requestHeads,
            CompletableFuture<Vertx> vertxStarting) {
        AclFile acl = config.aclFile() == null ? null : AclFile.open(config.aclFile(), ACL_FILE_POLL);
        Supplier<TopicPolicy> topics = acl == null ? TopicPolicy::open : acl;
        Authenticator authenticator;
        DataDirectory dataDirectory;
        try {
            authenticator = Authenticators.create(config.auth(), config.clock());
        } catch (RuntimeException e) {
            closeQuietly(acl);
            throw e;
        }
        try {
            dataDirectory = DataDirectory.open(config.dataDir());
        } catch (RuntimeException e) {
            authenticator.close();
            closeQuietly(acl);
            throw e;
        }
        List<AutoCloseable> components = new ArrayList<>();
        components.add(authenticator);
        if (acl != null) {
            components.add(acl);
        }
        Node node = null;
        Vertx vertx;
        try {
            node = Node.start(config.nodeOptions(), backends(config, components));
            vertx = built(vertxStarting);
        } catch (RuntimeException e) {
            if (node != null) {
                node.close();
            }
            components.forEach(NexusServer::closeQuietly);
            dataDirectory.close();
            throw e;
        }
        Node started = node;
        authenticator.onWithdrawn(sessions -> sessions.forEach(sessionId -> started.disconnect(sessionId,
                ErrorCode.TOKEN_REVOKED, "the credential of this session was withdrawn; reconnect with a valid one")));
        if (acl != null) {
            acl.onChange(policy -> AclEnforcement.endForbiddenSubscriptions(started, policy));
        }
        NexusServer server = new NexusServer(config, dataDirectory, node, vertx, components, authenticator,
                requestHeads, topics);
        try {
            server.listen();
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    /** The Vert.x being built on its own thread; a failure to build it is thrown as it was, not wrapped. */
    private static Vertx built(CompletableFuture<Vertx> vertxStarting) {
        try {
            return vertxStarting.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** The storage the configuration asks for; a SQLite store is added to {@code components} to be closed last. */
    private static NodeBackends backends(ServerConfig config, List<AutoCloseable> components) {
        NodeOptions options = config.nodeOptions();
        if (config.store() == StoreKind.MEMORY) {
            return NodeBackends.memory(options);
        }
        SqliteStore store = SqliteStore.open(config.dataDir(), config.durability(),
                new LogRetention(options.historySize(), options.historyRetention(), config.historyMaxBytes()),
                options.clock());
        components.add(store);
        LOG.info("event log {} (durability {}), {} events, epoch {}", store.databaseFile().toAbsolutePath().normalize(),
                config.durability().option(), store.eventLog().size(), store.eventLog().epoch());
        return new NodeBackends(store.eventLog(), new MemoryPresenceStore(), store.leases(), store.workQueue(),
                store.inbox());
    }

    /** Closes {@code component} (nothing when null), logging rather than throwing a failure. */
    private static void closeQuietly(AutoCloseable component) {
        if (component == null) {
            return;
        }
        try {
            component.close();
        } catch (Exception e) {
            LOG.warn("closing {} failed: {}", component.getClass().getSimpleName(), e.toString());
        }
    }

    /** The port the server listens on. */
    public int port() {
        return listeners.port();
    }

    /** The event loops serving connections. */
    public int eventLoops() {
        return listeners.eventLoops();
    }

    /** {@code http://host:port} ({@code https} with TLS). */
    public URI httpUri() {
        return URI.create((config.tls() ? "https" : "http") + "://" + hostForUri() + ":" + port());
    }

    /** {@code ws://host:port} ({@code wss} with TLS). */
    public URI webSocketUri() {
        return URI.create((config.tls() ? "wss" : "ws") + "://" + hostForUri() + ":" + port());
    }

    public Node node() {
        return node;
    }

    public ServerConfig config() {
        return config;
    }

    private void listen() {
        HttpReplies replies = new HttpReplies(node.metrics());
        RegistryDependency registry = new RegistryDependency(config.registryUrl());
        List<DependencyProbe> dependencies = List.of(registry, startSsotSync());

        Router router = Router.router(vertx);
        OriginPolicy origins = new OriginPolicy(config.allowedOrigins());
        router.route().handler(ctx -> {
            if (ctx.request().method() != HttpMethod.GET && ctx.request().method() != HttpMethod.HEAD
                    && !origins.allows(ctx.request())) {
                replies.error(ctx, new NexusException(ErrorCode.ORIGIN_FORBIDDEN, "origin '"
                        + ctx.request().getHeader("origin") + "' may not send requests that change state here; "
                        + "the operator can allow it with --allowed-origins"));
                return;
            }
            ctx.next();
        });
        router.route().handler(new Caller(authenticator, config.auth().queryTokens()));
        router.route().handler(RequestReader.depthLimit(config.maxJsonDepth()));
        BodyHandler bodies = BodyHandler.create(false).setBodyLimit(config.maxEventBytes());
        new UdcRoutes(node, config, dependencies, replies).register(router, bodies);
        new EventRoutes(node, topics, replies).register(router, bodies);
        new SessionRoutes(node, replies).register(router);
        new InboxRoutes(node, replies).register(router, bodies);
        WorkExecutor workExecutor = new WorkExecutor();
        components.add(workExecutor);
        WorkDispatcher work = new WorkDispatcher(node, workExecutor);
        new WorkRoutes(node, work, replies).register(router, bodies);
        new AdminRoutes(node, work, new AdminCredential(config.adminToken()), replies).register(router, bodies);
        WebSocketSettings wsSettings = new WebSocketSettings(config.maxEventBytes(), config.outboundQueueBytes(),
                config.pingInterval(), config.pingTimeout(), config.auth().authTimeout(), config.maxJsonDepth());
        new WebSocketEndpoint(node, wsSettings, origins, config.maxConnections(),
                config.maxConnectionsPerIp(), authenticator, topics, work).register(router);
        router.errorHandler(404, ctx -> replies.error(ctx, new NexusException(ErrorCode.NOT_FOUND,
                "no endpoint " + ctx.request().method() + " " + ctx.request().path())));
        router.errorHandler(405, ctx -> replies.error(ctx, new NexusException(ErrorCode.METHOD_NOT_ALLOWED,
                "method " + ctx.request().method() + " is not allowed on " + ctx.request().path())));
        router.errorHandler(413, ctx -> replies.error(ctx, new NexusException(ErrorCode.TOO_LARGE,
                "request body is larger than the " + config.maxEventBytes() + "-byte limit",
                java.util.Map.of("max_bytes", config.maxEventBytes()))));
        router.errorHandler(400, ctx -> replies.failure(ctx, ctx.failure() != null ? ctx.failure()
                : new NexusException(ErrorCode.MALFORMED_JSON, "the request could not be parsed")));
        router.errorHandler(500, ctx -> replies.failure(ctx, ctx.failure()));

        int frameLimit = config.effectiveMaxFrameBytes();
        HttpServerOptions options = new HttpServerOptions()
                .setHost(config.host())
                .setPort(config.port())
                .setMaxWebSocketFrameSize(frameLimit)
                .setMaxWebSocketMessageSize(frameLimit)
                .setTcpNoDelay(true)
                // A connection on which nothing was read or written for the ping timeout is dropped at the TCP
                // level. Healthy WebSockets never hit it (pings and pongs flow every ping interval); it bounds how
                // long a peer that stopped reading keeps its connection, and the bytes queued for it, after the
                // server gave up on it: Vert.x's close handshake waits for a close frame that never gets written.
                .setIdleTimeout((int) Math.min(Integer.MAX_VALUE, config.pingTimeout().toMillis()))
                .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
                .setCompressionSupported(false)
                // events are encoded once and the same bytes go to every subscriber; per-connection deflate
                // would compress them again for each one
                .setPerMessageWebSocketCompressionSupported(false)
                .setPerFrameWebSocketCompressionSupported(false)
                .setSslHandshakeTimeout(config.handshakeTimeout().toMillis())
                .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS);
        if (config.tls()) {
            options.setSsl(true).setKeyCertOptions(new PemKeyCertOptions()
                    .setCertPath(config.tlsCert().toString()).setKeyPath(config.tlsKey().toString()));
        }
        listeners = HttpListeners.listen(vertx, options, request -> {
            requestHeads.headComplete(request.connection().remoteAddress());
            router.handle(request);
        }, config.effectiveEventLoops(), java.time.Duration.ofSeconds(30));
        if (!requestHeads.installed()) {
            LOG.warn("this Vert.x version did not take the connection hook: --header-timeout and --max-handshakes "
                    + "are not enforced (the idle timeout and the TLS handshake timeout still are)");
        }
        if (topics.get().restricts()) {
            LOG.info("topic ACLs from {} (read again within {} s of a change)",
                    topics.get().source().toAbsolutePath().normalize(), ACL_FILE_POLL.toSeconds());
            if (config.auth().mode() == AuthMode.NONE) {
                LOG.warn("--acl-file with --auth none: any caller can name any session, so the ACLs guard against "
                        + "mistakes, not against a hostile client");
            }
        }
        startRegistration(registry);
        LOG.info("Nexus {} listening on {} (WebSocket {}/ws/session/<session_id>), auth {}, {} transport, {} event loops, data dir {}",
                ServiceInfo.VERSION, httpUri(), webSocketUri(), config.auth().mode().option(),
                vertx.isNativeTransportEnabled() ? "native epoll" : "NIO", listeners.eventLoops(),
                dataDirectory.path().toAbsolutePath().normalize());
    }

    private SsotDependency startSsotSync() {
        if (config.ssotDir() == null) {
            return new SsotDependency(null, null);
        }
        SsotSync sync = new SsotSync(config.ssotDir(), node, config.heartbeatInterval(), node.options().clock());
        components.add(sync);
        sync.start();
        LOG.info("SSOT sync to {}", config.ssotDir().toAbsolutePath().normalize());
        return new SsotDependency(config.ssotDir(), sync);
    }

    private void startRegistration(RegistryDependency registry) {
        if (config.registryUrl() == null) {
            return;
        }
        String url = config.publicUrl() != null ? config.publicUrl().toString() : httpUri().toString();
        RegistryClient client = new RegistryClient(config.registryUrl(), new Registration(ServiceInfo.NAME,
                ServiceInfo.NAME + "-" + port(), url, ServiceInfo.VERSION,
                List.of("event-streaming", "session-coordination", "work-coordination", "event-history")));
        components.add(client);
        client.start();
        registry.attach(client);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        node.close();
        if (listeners != null) {
            await(listeners.shutdown(java.time.Duration.ofSeconds(2)).toCompletionStage().toCompletableFuture());
        }
        for (int i = components.size() - 1; i >= 0; i--) {
            closeQuietly(components.get(i));
        }
        await(vertx.close().toCompletionStage().toCompletableFuture());
        dataDirectory.close();
        LOG.info("Nexus stopped");
    }

    private static void await(java.util.concurrent.CompletableFuture<?> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("shutdown step did not finish cleanly: {}", e.toString());
        }
    }

    private String hostForUri() {
        String host = config.host();
        if (host.equals("0.0.0.0") || host.equals("::")) {
            return "127.0.0.1";
        }
        return host.contains(":") ? "[" + host + "]" : host;
    }

    private static void refuseInsecureBind(ServerConfig config) {
        if (config.auth().mode() != AuthMode.NONE || config.insecureNoAuth()) {
            return;
        }
        boolean loopback;
        try {
            loopback = InetAddress.getByName(config.host()).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException("cannot resolve --host " + config.host());
        }
        if (!loopback) {
            throw new IllegalStateException("refusing to bind " + config.host()
                    + " with --auth none: anyone who can reach it could act as any session. Use --auth token "
                    + "or --auth jwt, or pass --insecure-no-auth to expose it on a trusted network");
        }
    }
}
