package dev.nexus.server;

import dev.nexus.core.MessagingOptions;
import dev.nexus.core.NodeOptions;
import dev.nexus.core.spi.Durability;
import dev.nexus.core.work.LeasePolicy;
import dev.nexus.core.work.RetryPolicy;
import dev.nexus.core.work.WorkOptions;
import dev.nexus.protocol.WireJson;
import dev.nexus.server.auth.AuthSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Everything the server is configured with. {@link #defaults()} gives the documented defaults; the
 * {@code with…} methods make variants (tests start servers on port 0 with short timers this way). The compact
 * constructor refuses values that make no sense, with a message naming the option.
 *
 * @param host address to bind; loopback by default
 * @param port TCP port; 0 picks a free one
 * @param dataDir where the server keeps its files (created when missing)
 * @param ssotDir where SSOT files are synced; null turns SSOT sync off
 * @param registryUrl base URL of the service registry; null turns registration off
 * @param publicUrl the URL announced to the registry; null derives {@code http://host:port}
 * @param rateLimitPerMinute events a session may publish per minute; 0 turns the limit off
 * @param historySize most events kept in history
 * @param historyRetention how long events stay in history
 * @param claimGrace how long a disconnected session keeps its claims
 * @param heartbeatInterval how often SSOT heartbeat files of online sessions are refreshed
 * @param pingInterval how often the server pings each WebSocket
 * @param pingTimeout silence after which a WebSocket is considered dead and its session offline
 * @param maxEventBytes largest event (HTTP body or WebSocket message) accepted
 * @param maxConnections most WebSocket connections in total
 * @param maxConnectionsPerIp most WebSocket connections from one address
 * @param maxSubscriptions most patterns per connection
 * @param outboundQueueBytes bytes queued for one slow WebSocket before it is disconnected as {@code slow_consumer}
 * @param allowedOrigins browser origins allowed to open WebSockets besides the server's own; {@code *} allows all
 * @param insecureNoAuth allow binding a non-loopback address with {@code --auth none}
 * @param dedupWindow how long an idempotency key is remembered
 * @param store where events and claims are kept
 * @param durability what a publish acknowledgement promises (for the SQLite store)
 * @param historyMaxBytes most bytes of events kept in history; 0 for no byte limit
 * @param claimRestartGrace after a restart, how long holders of stored claims have to reconnect
 * @param inboxMax most direct messages kept in one session's inbox
 * @param routeCount to how many sessions a {@code help.needed} with {@code capabilities_needed} is routed by default
 * @param maxLeaseTtl the longest lease a claim may ask for ({@code lease_ttl_s}); the default lease is 300 s, or
 *     this when shorter
 * @param retryBackoff how long a failed queue item waits before its first retry; doubles with each failure, at
 *     most 5 minutes
 * @param adminToken the bearer token of the {@code /admin} endpoints; null turns them off
 * @param auth how callers authenticate
 * @param tlsCert PEM certificate chain to serve HTTPS and WSS with; null (with {@code tlsKey}) for plain HTTP
 * @param tlsKey PEM private key of {@code tlsCert}
 * @param handshakeTimeout how long a new connection has to complete its TLS handshake
 * @param maxFrameBytes largest WebSocket frame or message read at all (larger ones close the connection with 1009);
 *     0 derives it: one and a half times {@code maxEventBytes}, at least 64 KiB
 * @param maxJsonDepth deepest nesting of JSON objects and arrays accepted in a request body or frame
 * @param headerTimeout how long a new connection has, from accept (TLS handshake included), to complete its first
 *     HTTP request head or WebSocket upgrade request before it is closed
 * @param maxHandshakes most connections at once whose first request head is not complete; past it new connections
 *     are closed at once
 * @param aclFile topic ACLs: per session, the patterns it may publish to and subscribe to; null allows everything
 * @param eventLoops event loops serving connections (each connection stays on one); 0 means one per processor.
 *     Default 1: a delivery to a connection on another loop costs a cross-thread hand-off and wake-up, which on
 *     a small machine costs more than the second loop gives (docs/benchmarks.md)
 * @param clock the time source of the node and of credential expiry (a fake one in tests)
 */
public record ServerConfig(
        String host,
        int port,
        Path dataDir,
        Path ssotDir,
        URI registryUrl,
        URI publicUrl,
        int rateLimitPerMinute,
        int historySize,
        Duration historyRetention,
        Duration claimGrace,
        Duration heartbeatInterval,
        Duration pingInterval,
        Duration pingTimeout,
        int maxEventBytes,
        int maxConnections,
        int maxConnectionsPerIp,
        int maxSubscriptions,
        int outboundQueueBytes,
        List<String> allowedOrigins,
        boolean insecureNoAuth,
        Duration dedupWindow,
        StoreKind store,
        Durability durability,
        long historyMaxBytes,
        Duration claimRestartGrace,
        int inboxMax,
        int routeCount,
        Duration maxLeaseTtl,
        Duration retryBackoff,
        Secret adminToken,
        AuthSettings auth,
        Path tlsCert,
        Path tlsKey,
        Duration handshakeTimeout,
        int maxFrameBytes,
        int maxJsonDepth,
        Duration headerTimeout,
        int maxHandshakes,
        Path aclFile,
        int eventLoops,
        Clock clock) {

    public static final int DEFAULT_PORT = 8450;
    /** The longest wait before a failed queue item is retried, however often it failed. */
    public static final Duration MAX_RETRY_BACKOFF = Duration.ofMinutes(5);
    /** The most event loops {@code --event-loops} may ask for. */
    public static final int MAX_EVENT_LOOPS = 256;

    public ServerConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        allowedOrigins = allowedOrigins == null ? List.of() : List.copyOf(allowedOrigins);
        require(port >= 0 && port <= 65535, "--port must be between 0 and 65535, got " + port);
        require(rateLimitPerMinute >= 0, "--rate-limit must be 0 (off) or positive, got " + rateLimitPerMinute);
        require(historySize > 0, "--history-size must be positive, got " + historySize);
        requirePositive(historyRetention, "--history-retention");
        require(claimGrace != null && !claimGrace.isNegative(), "--claim-grace must not be negative");
        requirePositive(heartbeatInterval, "--heartbeat-interval");
        requirePositive(pingInterval, "--ping-interval");
        requirePositive(pingTimeout, "--ping-timeout");
        require(pingTimeout.compareTo(pingInterval) > 0, "--ping-timeout (" + pingTimeout
                + ") must be longer than --ping-interval (" + pingInterval + ")");
        require(maxEventBytes >= 1024, "--max-event-size must be at least 1KiB, got " + maxEventBytes);
        require(maxConnections > 0, "--max-connections must be positive, got " + maxConnections);
        require(maxConnectionsPerIp > 0, "--max-connections-per-ip must be positive, got " + maxConnectionsPerIp);
        require(maxSubscriptions > 0, "--max-subscriptions must be positive, got " + maxSubscriptions);
        require(outboundQueueBytes >= maxEventBytes, "--outbound-queue-size must be at least --max-event-size");
        requirePositive(dedupWindow, "--dedup-window");
        Objects.requireNonNull(store, "store");
        Objects.requireNonNull(durability, "durability");
        require(claimRestartGrace != null && !claimRestartGrace.isNegative(), "--claim-restart-grace must not be negative");
        require(inboxMax >= 1 && inboxMax <= MessagingOptions.MAX_INBOX, "--inbox-max must be from 1 to "
                + MessagingOptions.MAX_INBOX + ", got " + inboxMax);
        require(routeCount >= 1 && routeCount <= 32, "--route-count must be from 1 to 32, got " + routeCount);
        require(historyMaxBytes >= 0, "--history-max-bytes must be 0 (no limit) or positive, got " + historyMaxBytes);
        require(maxLeaseTtl != null && maxLeaseTtl.compareTo(Duration.ofSeconds(1)) >= 0,
                "--max-lease-ttl must be at least 1s");
        require(retryBackoff != null && !retryBackoff.isNegative() && retryBackoff.compareTo(MAX_RETRY_BACKOFF) <= 0,
                "--retry-backoff must be between 0 and " + MAX_RETRY_BACKOFF.toMinutes() + "m");
        Objects.requireNonNull(auth, "auth");
        require((tlsCert == null) == (tlsKey == null), "--tls-cert and --tls-key go together");
        requirePositive(handshakeTimeout, "--handshake-timeout");
        requirePositive(headerTimeout, "--header-timeout");
        require(maxHandshakes > 0, "--max-handshakes must be positive, got " + maxHandshakes);
        require(eventLoops >= 0 && eventLoops <= MAX_EVENT_LOOPS, "--event-loops must be from 0 (one per processor) to "
                + MAX_EVENT_LOOPS + ", got " + eventLoops);
        require(maxFrameBytes == 0 || maxFrameBytes >= maxEventBytes,
                "--max-frame-size must be 0 (derived) or at least --max-event-size, got " + maxFrameBytes);
        require(maxJsonDepth >= 1 && maxJsonDepth <= WireJson.MAX_CONFIGURABLE_DEPTH,
                "--max-json-depth must be from 1 to " + WireJson.MAX_CONFIGURABLE_DEPTH + ", got " + maxJsonDepth);
        Objects.requireNonNull(clock, "clock");
    }

    /** The WebSocket frame and message limit in force: {@code maxFrameBytes}, or derived from the event size. */
    public int effectiveMaxFrameBytes() {
        return maxFrameBytes > 0 ? maxFrameBytes : Math.max(64 * 1024, maxEventBytes + maxEventBytes / 2);
    }

    /** The event loops to serve connections on: {@code eventLoops}, or one per available processor. */
    public int effectiveEventLoops() {
        return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
    }

    /** Whether the server speaks HTTPS and WSS. */
    public boolean tls() {
        return tlsCert != null;
    }

    /** The documented defaults. */
    public static ServerConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.host = host;
        b.port = port;
        b.dataDir = dataDir;
        b.ssotDir = ssotDir;
        b.registryUrl = registryUrl;
        b.publicUrl = publicUrl;
        b.rateLimitPerMinute = rateLimitPerMinute;
        b.historySize = historySize;
        b.historyRetention = historyRetention;
        b.claimGrace = claimGrace;
        b.heartbeatInterval = heartbeatInterval;
        b.pingInterval = pingInterval;
        b.pingTimeout = pingTimeout;
        b.maxEventBytes = maxEventBytes;
        b.maxConnections = maxConnections;
        b.maxConnectionsPerIp = maxConnectionsPerIp;
        b.maxSubscriptions = maxSubscriptions;
        b.outboundQueueBytes = outboundQueueBytes;
        b.allowedOrigins = allowedOrigins;
        b.insecureNoAuth = insecureNoAuth;
        b.dedupWindow = dedupWindow;
        b.store = store;
        b.durability = durability;
        b.historyMaxBytes = historyMaxBytes;
        b.claimRestartGrace = claimRestartGrace;
        b.inboxMax = inboxMax;
        b.routeCount = routeCount;
        b.maxLeaseTtl = maxLeaseTtl;
        b.retryBackoff = retryBackoff;
        b.adminToken = adminToken;
        b.auth = auth;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.handshakeTimeout = handshakeTimeout;
        b.maxFrameBytes = maxFrameBytes;
        b.maxJsonDepth = maxJsonDepth;
        b.headerTimeout = headerTimeout;
        b.maxHandshakes = maxHandshakes;
        b.aclFile = aclFile;
        b.eventLoops = eventLoops;
        b.clock = clock;
        return b;
    }

    /** The engine options these settings imply. */
    public NodeOptions nodeOptions() {
        return NodeOptions.defaults()
                .withHistory(historySize, historyRetention)
                .withRateLimitPerMinute(rateLimitPerMinute)
                .withClaimGrace(claimGrace)
                .withMaxSubscriptionsPerConnection(maxSubscriptions)
                .withDedup(dedupWindow, claimRestartGrace)
                .withMessaging(new MessagingOptions(inboxMax, routeCount))
                .withWork(WorkOptions.defaults()
                        .withLeases(LeasePolicy.upTo(maxLeaseTtl))
                        .withRetry(new RetryPolicy(retryBackoff, MAX_RETRY_BACKOFF)))
                .withClock(clock);
    }

    /** Builds a {@link ServerConfig}; starts from the defaults. */
    public static final class Builder {
        private String host = "127.0.0.1";
        private int port = DEFAULT_PORT;
        private Path dataDir = Path.of("data");
        private Path ssotDir = null;
        private URI registryUrl = null;
        private URI publicUrl = null;
        private int rateLimitPerMinute = 100;
        private int historySize = 1000;
        private Duration historyRetention = Duration.ofHours(1);
        private Duration claimGrace = Duration.ofSeconds(5);
        private int inboxMax = MessagingOptions.defaults().inboxMax();
        private int routeCount = MessagingOptions.defaults().defaultRouteCount();
        private Duration heartbeatInterval = Duration.ofMinutes(5);
        private Duration pingInterval = Duration.ofSeconds(15);
        private Duration pingTimeout = Duration.ofSeconds(45);
        private int maxEventBytes = 1024 * 1024;
        private int maxConnections = 1000;
        private int maxConnectionsPerIp = 256;
        private int maxSubscriptions = 256;
        private int outboundQueueBytes = 8 * 1024 * 1024;
        private List<String> allowedOrigins = List.of();
        private boolean insecureNoAuth = false;
        private Duration dedupWindow = Duration.ofMinutes(2);
        private StoreKind store = StoreKind.SQLITE;
        private Durability durability = Durability.SYNC;
        private long historyMaxBytes = 0;
        private Duration claimRestartGrace = Duration.ofSeconds(30);
        private Duration maxLeaseTtl = Duration.ofHours(24);
        private Duration retryBackoff = Duration.ofSeconds(1);
        private Secret adminToken = null;
        private AuthSettings auth = AuthSettings.none();
        private Path tlsCert = null;
        private Path tlsKey = null;
        private Duration handshakeTimeout = Duration.ofSeconds(10);
        private int maxFrameBytes = 0;
        private int maxJsonDepth = WireJson.MAX_NESTING_DEPTH;
        private Duration headerTimeout = Duration.ofSeconds(10);
        private int maxHandshakes = 1000;
        private Path aclFile;
        private int eventLoops = 1;
        private Clock clock = Clock.systemUTC();

        private Builder() {
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder dataDir(Path value) {
            this.dataDir = value;
            return this;
        }

        public Builder ssotDir(Path value) {
            this.ssotDir = value;
            return this;
        }

        public Builder registryUrl(URI value) {
            this.registryUrl = value;
            return this;
        }

        public Builder publicUrl(URI value) {
            this.publicUrl = value;
            return this;
        }

        public Builder rateLimitPerMinute(int value) {
            this.rateLimitPerMinute = value;
            return this;
        }

        public Builder historySize(int value) {
            this.historySize = value;
            return this;
        }

        public Builder historyRetention(Duration value) {
            this.historyRetention = value;
            return this;
        }

        public Builder claimGrace(Duration value) {
            this.claimGrace = value;
            return this;
        }

        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = value;
            return this;
        }

        public Builder pingInterval(Duration value) {
            this.pingInterval = value;
            return this;
        }

        public Builder pingTimeout(Duration value) {
            this.pingTimeout = value;
            return this;
        }

        public Builder maxEventBytes(int value) {
            this.maxEventBytes = value;
            return this;
        }

        public Builder maxConnections(int value) {
            this.maxConnections = value;
            return this;
        }

        public Builder maxConnectionsPerIp(int value) {
            this.maxConnectionsPerIp = value;
            return this;
        }

        public Builder maxSubscriptions(int value) {
            this.maxSubscriptions = value;
            return this;
        }

        public Builder outboundQueueBytes(int value) {
            this.outboundQueueBytes = value;
            return this;
        }

        public Builder allowedOrigins(List<String> value) {
            this.allowedOrigins = value;
            return this;
        }

        public Builder insecureNoAuth(boolean value) {
            this.insecureNoAuth = value;
            return this;
        }

        public Builder auth(AuthSettings value) {
            this.auth = value;
            return this;
        }

        public Builder tls(Path cert, Path key) {
            this.tlsCert = cert;
            this.tlsKey = key;
            return this;
        }

        public Builder handshakeTimeout(Duration value) {
            this.handshakeTimeout = value;
            return this;
        }

        public Builder maxFrameBytes(int value) {
            this.maxFrameBytes = value;
            return this;
        }

        public Builder maxJsonDepth(int value) {
            this.maxJsonDepth = value;
            return this;
        }

        public Builder headerTimeout(Duration value) {
            this.headerTimeout = value;
            return this;
        }

        public Builder maxHandshakes(int value) {
            this.maxHandshakes = value;
            return this;
        }

        public Builder eventLoops(int value) {
            this.eventLoops = value;
            return this;
        }

        public Builder aclFile(Path value) {
            this.aclFile = value;
            return this;
        }

        public Builder clock(Clock value) {
            this.clock = value;
            return this;
        }

        public Builder inboxMax(int value) {
            this.inboxMax = value;
            return this;
        }

        public Builder routeCount(int value) {
            this.routeCount = value;
            return this;
        }

        public Builder dedupWindow(Duration value) {
            this.dedupWindow = value;
            return this;
        }

        public Builder store(StoreKind value) {
            this.store = value;
            return this;
        }

        public Builder durability(Durability value) {
            this.durability = value;
            return this;
        }

        public Builder historyMaxBytes(long value) {
            this.historyMaxBytes = value;
            return this;
        }

        public Builder claimRestartGrace(Duration value) {
            this.claimRestartGrace = value;
            return this;
        }

        public Builder maxLeaseTtl(Duration value) {
            this.maxLeaseTtl = value;
            return this;
        }

        public Builder retryBackoff(Duration value) {
            this.retryBackoff = value;
            return this;
        }

        /** The admin endpoints' bearer token; null turns them off. */
        public Builder adminToken(Secret value) {
            this.adminToken = value;
            return this;
        }

        public ServerConfig build() {
            return new ServerConfig(host, port, dataDir, ssotDir, registryUrl, publicUrl, rateLimitPerMinute, historySize, historyRetention, claimGrace, heartbeatInterval, pingInterval, pingTimeout, maxEventBytes, maxConnections, maxConnectionsPerIp, maxSubscriptions, outboundQueueBytes, allowedOrigins, insecureNoAuth, dedupWindow, store, durability, historyMaxBytes, claimRestartGrace, inboxMax, routeCount, maxLeaseTtl, retryBackoff, adminToken, auth, tlsCert, tlsKey, handshakeTimeout, maxFrameBytes, maxJsonDepth, headerTimeout, maxHandshakes, aclFile, eventLoops, clock);
        }
    }

    private static void requirePositive(Duration duration, String option) {
        require(duration != null && !duration.isNegative() && !duration.isZero(), option + " must be positive");
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
