package dev.nexus.server.cli;

import dev.nexus.server.NexusServer;
import dev.nexus.core.spi.Durability;
import dev.nexus.server.Secret;
import dev.nexus.server.ServerConfig;
import dev.nexus.server.StoreKind;
import dev.nexus.server.auth.AuthMode;
import dev.nexus.server.auth.AuthSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code nexus serve}: runs the server until SIGTERM or Ctrl-C, then shuts down gracefully. */
@Command(name = "serve", mixinStandardHelpOptions = true, showDefaultValues = true, sortOptions = false,
        description = "Run the Nexus server (HTTP and WebSocket on one port).",
        footer = {"", "Every option can also be set with an environment variable NEXUS_<OPTION> (for example "
                + "NEXUS_DATA_DIR=/var/lib/nexus) or with a key in the YAML file given by --config (for example "
                + "'data-dir: /var/lib/nexus'). A flag wins over the environment, the environment over the file."})
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "FILE", description = "YAML file of option: value pairs.")
    Path config;

    @Option(names = "--host", paramLabel = "ADDRESS", description = "Address to bind.")
    String host;

    @Option(names = "--port", paramLabel = "PORT", description = "TCP port (0 picks a free one).")
    int port;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Directory for the server's files.")
    Path dataDir;

    @Option(names = "--ssot-dir", paramLabel = "DIR",
            description = "Directory to sync SSOT.json, claude_sessions.json and heartbeats/ into; unset = off.")
    String ssotDir;

    @Option(names = "--registry-url", paramLabel = "URL",
            description = "Service registry to register with (POST {url}/register); unset = off.")
    String registryUrl;

    @Option(names = "--public-url", paramLabel = "URL",
            description = "URL announced to the registry; unset = http://<host>:<port>.")
    String publicUrl;

    @Option(names = "--store", paramLabel = "KIND",
            description = "Where events and claims are kept: sqlite (<data-dir>/nexus.db, survives restarts) or memory.")
    String store;

    @Option(names = "--durability", paramLabel = "MODE",
            description = "What a publish ack promises: sync (after fsync), batch-async (before fsync, small loss window) or off.")
    String durability;

    @Option(names = "--rate-limit", paramLabel = "N", description = "Events per minute per session; 0 = off.")
    int rateLimit;

    @Option(names = "--history-size", paramLabel = "N", description = "Most events kept in history.")
    int historySize;

    @Option(names = "--history-retention", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long events stay in history (500ms, 15s, 5m, 1h, 2d).")
    Duration historyRetention;

    @Option(names = "--history-max-bytes", paramLabel = "SIZE", converter = LongSizeConverter.class,
            description = "Most bytes of events kept in history; 0 = no byte limit.")
    long historyMaxBytes;

    @Option(names = "--claim-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a disconnected session keeps its work claims.")
    Duration claimGrace;

    @Option(names = "--claim-restart-grace", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "After a restart, how long holders of stored claims have to reconnect before release.")
    Duration claimRestartGrace;

    @Option(names = "--heartbeat-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often SSOT heartbeat files of online sessions are refreshed.")
    Duration heartbeatInterval;

    @Option(names = "--ping-interval", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How often the server pings each WebSocket.")
    Duration pingInterval;

    @Option(names = "--ping-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Silence after which a WebSocket is closed and its session marked offline.")
    Duration pingTimeout;

    @Option(names = "--max-event-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest event accepted (HTTP body or WebSocket message).")
    int maxEventSize;

    @Option(names = "--max-frame-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Largest WebSocket frame read at all (larger: close 1009); 0 = 1.5 x --max-event-size.")
    int maxFrameSize;

    @Option(names = "--max-json-depth", paramLabel = "N",
            description = "Deepest nesting of JSON objects and arrays accepted (at most 256).")
    int maxJsonDepth;

    @Option(names = "--max-connections", paramLabel = "N", description = "Most WebSocket connections in total.")
    int maxConnections;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", description = "Most WebSocket connections from one address.")
    int maxConnectionsPerIp;

    @Option(names = "--max-subscriptions", paramLabel = "N", description = "Most topic patterns per connection.")
    int maxSubscriptions;

    @Option(names = "--outbound-queue-size", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Unsent event bytes per connection before it is dropped as a slow consumer.")
    int outboundQueueSize;

    @Option(names = "--allowed-origins", paramLabel = "ORIGIN", split = ",",
            description = "Browser origins allowed to open WebSockets besides the server's own (comma-separated; * = any).")
    List<String> allowedOrigins;

    @Option(names = "--dedup-window", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long an idempotency_key is remembered: a retry within it returns the original event.")
    Duration dedupWindow;

    @Option(names = "--inbox-max", paramLabel = "N",
            description = "Most direct messages kept in one session's inbox; past it, senders get inbox_full.")
    int inboxMax;

    @Option(names = "--route-count", paramLabel = "N",
            description = "To how many sessions a help.needed with capabilities_needed is routed (payload route_count overrides).")
    int routeCount;

    @Option(names = "--max-lease-ttl", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Longest lease a work claim may ask for (lease_ttl_s); the default lease is 300s, or this when shorter.")
    Duration maxLeaseTtl;

    @Option(names = "--retry-backoff", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Wait before a failed queue item's first retry; doubles with each failure, at most 5m.")
    Duration retryBackoff;

    @Option(names = "--admin-token", paramLabel = "TOKEN",
            description = "Bearer token of the /admin endpoints (at least 16 characters); unset = admin endpoints off. "
                    + "Prefer NEXUS_ADMIN_TOKEN or the config file: a flag is visible in the process list.")
    String adminToken;

    @Option(names = "--auth", paramLabel = "MODE",
            description = "How sessions authenticate: none (loopback only), token (--tokens-file) or jwt.")
    String auth;

    @Option(names = "--tokens-file", paramLabel = "FILE",
            description = "--auth token: JSON {\"<session_id>\": \"<token>\"} or a claude_sessions.json with tokens; reloaded on change.")
    String tokensFile;

    @Option(names = "--jwt-secret-file", paramLabel = "FILE",
            description = "--auth jwt: file holding the HS256 secret (at least 32 bytes).")
    String jwtSecretFile;

    @Option(names = "--jwt-key-file", paramLabel = "FILE",
            description = "--auth jwt: PEM public key or certificate (RS256, ES256) or JWKS file.")
    String jwtKeyFile;

    @Option(names = "--jwt-jwks-url", paramLabel = "URL",
            description = "--auth jwt: the identity provider's JWKS (https; http only to loopback), fetched at start, every 5 minutes and when a token names an unknown key id.")
    String jwtJwksUrl;

    @Option(names = "--jwt-issuer", paramLabel = "ISS", description = "--auth jwt: required iss claim; unset = any.")
    String jwtIssuer;

    @Option(names = "--jwt-audience", paramLabel = "AUD", description = "--auth jwt: required aud entry; unset = any.")
    String jwtAudience;

    @Option(names = "--jwt-leeway", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "--auth jwt: clock skew tolerated on exp and nbf (at most 60s).")
    Duration jwtLeeway;

    @Option(names = "--auth-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "How long a WebSocket opened without a credential has to send its auth frame.")
    Duration authTimeout;

    @Option(names = "--allow-query-token", paramLabel = "BOOLEAN", arity = "0..1", fallbackValue = "true",
            description = "Accept ?access_token= on WebSocket upgrades (URLs end up in logs; off by default).")
    boolean allowQueryToken;

    @Option(names = "--insecure-no-auth", paramLabel = "BOOLEAN", arity = "0..1", fallbackValue = "true",
            description = "Allow a non-loopback --host with --auth none (anyone reaching it can act as any session).")
    boolean insecureNoAuth;

    @Option(names = "--allow-insecure-bind", paramLabel = "BOOLEAN", arity = "0..1", fallbackValue = "true",
            description = "Deprecated: the old name of --insecure-no-auth.")
    boolean allowInsecureBind;

    @Option(names = "--tls-cert", paramLabel = "FILE", description = "PEM certificate chain: serve HTTPS and WSS (with --tls-key).")
    String tlsCert;

    @Option(names = "--tls-key", paramLabel = "FILE", description = "PEM private key of --tls-cert.")
    String tlsKey;

    @Option(names = "--handshake-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time a new connection has for its TLS handshake.")
    Duration handshakeTimeout;

    @Option(names = "--header-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "Time a new connection has to complete its first request head (or WebSocket upgrade).")
    Duration headerTimeout;

    @Option(names = "--acl-file", paramLabel = "FILE",
            description = "Topic ACLs: per session, the patterns it may publish to and subscribe to (JSON).")
    String aclFile;

    @Option(names = "--max-handshakes", paramLabel = "N",
            description = "Most connections at once still sending their first request head; more are closed at once.")
    int maxHandshakes;

    @Option(names = "--event-loops", paramLabel = "N",
            description = "Event loops serving connections (each connection stays on one); 0 = one per processor.")
    int eventLoops;

    /** Built-in defaults as option text, from {@link ServerConfig#defaults()}, the one place they are defined. */
    static Map<String, String> builtInDefaults() {
        ServerConfig d = ServerConfig.defaults();
        Map<String, String> values = new LinkedHashMap<>();
        values.put("host", d.host());
        values.put("port", Integer.toString(d.port()));
        values.put("data-dir", "./" + d.dataDir());
        values.put("store", d.store().option());
        values.put("durability", d.durability().option());
        values.put("history-max-bytes", Long.toString(d.historyMaxBytes()));
        values.put("rate-limit", Integer.toString(d.rateLimitPerMinute()));
        values.put("history-size", Integer.toString(d.historySize()));
        values.put("history-retention", DurationConverter.format(d.historyRetention()));
        values.put("claim-grace", DurationConverter.format(d.claimGrace()));
        values.put("claim-restart-grace", DurationConverter.format(d.claimRestartGrace()));
        values.put("heartbeat-interval", DurationConverter.format(d.heartbeatInterval()));
        values.put("ping-interval", DurationConverter.format(d.pingInterval()));
        values.put("ping-timeout", DurationConverter.format(d.pingTimeout()));
        values.put("max-event-size", SizeConverter.format(d.maxEventBytes()));
        values.put("max-connections", Integer.toString(d.maxConnections()));
        values.put("max-connections-per-ip", Integer.toString(d.maxConnectionsPerIp()));
        values.put("max-subscriptions", Integer.toString(d.maxSubscriptions()));
        values.put("outbound-queue-size", SizeConverter.format(d.outboundQueueBytes()));
        values.put("dedup-window", DurationConverter.format(d.dedupWindow()));
        values.put("inbox-max", Integer.toString(d.inboxMax()));
        values.put("route-count", Integer.toString(d.routeCount()));
        values.put("max-lease-ttl", DurationConverter.format(d.maxLeaseTtl()));
        values.put("retry-backoff", DurationConverter.format(d.retryBackoff()));
        values.put("auth", d.auth().mode().option());
        values.put("jwt-leeway", DurationConverter.format(d.auth().jwtLeeway()));
        values.put("auth-timeout", DurationConverter.format(d.auth().authTimeout()));
        values.put("allow-query-token", Boolean.toString(d.auth().queryTokens()));
        values.put("insecure-no-auth", Boolean.toString(d.insecureNoAuth()));
        values.put("allow-insecure-bind", Boolean.toString(d.insecureNoAuth()));
        values.put("max-json-depth", Integer.toString(d.maxJsonDepth()));
        values.put("max-frame-size", Integer.toString(d.maxFrameBytes()));
        values.put("handshake-timeout", DurationConverter.format(d.handshakeTimeout()));
        values.put("header-timeout", DurationConverter.format(d.headerTimeout()));
        values.put("max-handshakes", Integer.toString(d.maxHandshakes()));
        values.put("event-loops", Integer.toString(d.eventLoops()));
        return values;
    }

    /** The configuration the options describe. */
    ServerConfig toConfig() {
        return ServerConfig.builder()
                .host(host)
                .port(port)
                .dataDir(dataDir)
                .ssotDir(blank(ssotDir) ? null : Path.of(ssotDir))
                .registryUrl(url(registryUrl, "--registry-url"))
                .publicUrl(url(publicUrl, "--public-url"))
                .store(StoreKind.parse(store))
                .durability(durabilityMode(durability))
                .historyMaxBytes(historyMaxBytes)
                .rateLimitPerMinute(rateLimit)
                .historySize(historySize)
                .historyRetention(historyRetention)
                .claimGrace(claimGrace)
                .claimRestartGrace(claimRestartGrace)
                .heartbeatInterval(heartbeatInterval)
                .pingInterval(pingInterval)
                .pingTimeout(pingTimeout)
                .maxEventBytes(maxEventSize)
                .maxConnections(maxConnections)
                .maxConnectionsPerIp(maxConnectionsPerIp)
                .maxSubscriptions(maxSubscriptions)
                .outboundQueueBytes(outboundQueueSize)
                .allowedOrigins(allowedOrigins == null ? List.of()
                        : allowedOrigins.stream().map(String::trim).filter(s -> !s.isEmpty()).toList())
                .insecureNoAuth(insecureNoAuth || allowInsecureBind)
                .auth(authSettings())
                .tls(path(tlsCert), path(tlsKey))
                .maxFrameBytes(maxFrameSize)
                .maxJsonDepth(maxJsonDepth)
                .handshakeTimeout(handshakeTimeout)
                .headerTimeout(headerTimeout)
                .maxHandshakes(maxHandshakes)
                .eventLoops(eventLoops)
                .aclFile(path(aclFile))
                .dedupWindow(dedupWindow)
                .inboxMax(inboxMax)
                .routeCount(routeCount)
                .maxLeaseTtl(maxLeaseTtl)
                .retryBackoff(retryBackoff)
                .adminToken(blank(adminToken) ? null : Secret.of(adminToken, "--admin-token"))
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        NexusServer server = NexusServer.start(toConfig());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "nexus-shutdown"));
        stopped.await();
        return 0;
    }

    private AuthSettings authSettings() {
        return new AuthSettings(AuthMode.parse(auth), path(tokensFile), path(jwtSecretFile), path(jwtKeyFile),
                uri(jwtJwksUrl), jwtIssuer, jwtAudience, jwtLeeway, allowQueryToken, authTimeout);
    }

    private static java.net.URI uri(String text) {
        if (blank(text)) {
            return null;
        }
        try {
            return new java.net.URI(text.trim());
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("--jwt-jwks-url is not a URL: " + e.getMessage());
        }
    }

    private static Path path(String text) {
        return blank(text) ? null : Path.of(text.trim());
    }

    private static Durability durabilityMode(String text) {
        try {
            return Durability.parse(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--" + e.getMessage());
        }
    }

    private static boolean blank(String text) {
        return text == null || text.isBlank();
    }

    private static URI url(String text, String option) {
        if (blank(text)) {
            return null;
        }
        try {
            URI uri = new URI(text.trim());
            if (uri.getScheme() == null || !List.of("http", "https").contains(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(option + " must be an http(s) URL such as http://localhost:8000, got '" + text + "'");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(option + " is not a valid URL: '" + text + "'");
        }
    }

    static List<String> optionNames() {
        return Arrays.stream(ServeCommand.class.getDeclaredFields())
                .map(f -> f.getAnnotation(Option.class))
                .filter(o -> o != null)
                .map(o -> o.names()[0].replaceFirst("^--", ""))
                .toList();
    }
}
