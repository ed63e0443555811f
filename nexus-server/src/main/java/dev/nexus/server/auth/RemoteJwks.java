package dev.nexus.server.auth;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --jwt-jwks-url}: the public keys an identity provider publishes as a JWKS document, fetched at start (a
 * start fails when they cannot be), again every {@code refresh}, and — at most once per {@code minInterval} — soon
 * after a token names a key id none of the keys has, which is how a provider's rotation is picked up before the
 * next refresh. Fetches run on a daemon thread of their own ("nexus-jwks"), never on an event loop; one that fails
 * is logged and the previous keys stay. The URL must be {@code https}, or {@code http} to a loopback address.
 */
final class RemoteJwks implements AutoCloseable {
    static final Duration REFRESH = Duration.ofMinutes(5);
    static final Duration MIN_INTERVAL = Duration.ofSeconds(30);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int MAX_BYTES = 1024 * 1024;
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJwks.class);

    private final URI url;
    private final Duration minInterval;
    private volatile Consumer<List<PinnedKey>> onKeys = keys -> { };
    private final HttpClient client;
    private final ScheduledExecutorService fetcher;
    private final AtomicLong lastFetchNanos = new AtomicLong();
    private final AtomicBoolean fetchQueued = new AtomicBoolean();

    private RemoteJwks(URI url, Duration minInterval) {
        this.url = url;
        this.minInterval = minInterval;
        this.client = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER).build();
        this.fetcher = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-jwks");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Fetches the keys now; {@link #keepCurrent} then keeps them so.
     *
     * @param minInterval the least time between two fetches for unknown key ids
     * @return the source and the keys it fetched
     * @throws IllegalArgumentException naming the URL and the cause when the keys cannot be fetched or used
     */
    static Fetched open(URI url, Duration minInterval) {
        requireSafe(url);
        RemoteJwks jwks = new RemoteJwks(url, minInterval);
        try {
            return new Fetched(jwks, jwks.fetch());
        } catch (IllegalArgumentException e) {
            jwks.close();
            throw e;
        }
    }

    /** A source and the keys it fetched when it opened. */
    record Fetched(RemoteJwks jwks, List<PinnedKey> keys) {
    }

    /** Fetches again every {@code refresh}, and when {@link #unknownKeyId} asks, handing each new set to {@code onKeys}. */
    void keepCurrent(Duration refresh, Consumer<List<PinnedKey>> onKeys) {
        this.onKeys = onKeys;
        long millis = refresh.toMillis();
        fetcher.scheduleWithFixedDelay(this::refresh, millis, millis, TimeUnit.MILLISECONDS);
    }

    /**
     * @throws IllegalArgumentException unless {@code url} is https, or http to a loopback host (keys fetched in
     *     the clear from elsewhere could be replaced on the way)
     */
    static void requireSafe(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (url.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("--jwt-jwks-url must be an https:// URL, got '" + url + "'");
        }
        if (scheme.equals("http") && !loopback(url.getHost())) {
            throw new IllegalArgumentException("--jwt-jwks-url " + url + " must use https (http only to a loopback "
                    + "address): keys fetched in the clear could be replaced on the way");
        }
    }

    private static boolean loopback(String host) {
        try {
            return host.equalsIgnoreCase("localhost") || InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** A token named a key id no key has: fetch again soon, unless a fetch happened within the minimum interval. */
    void unknownKeyId() {
        long sinceLast = System.nanoTime() - lastFetchNanos.get();
        if (sinceLast < minInterval.toNanos() || !fetchQueued.compareAndSet(false, true)) {
            return;
        }
        try {
            fetcher.execute(() -> {
                fetchQueued.set(false);
                refresh();
            });
        } catch (RejectedExecutionException closed) {
            fetchQueued.set(false);
        }
    }

    private void refresh() {
        try {
            List<PinnedKey> keys = fetch();
            onKeys.accept(keys);
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; the previous JWT keys stay in force", e.getMessage());
        } catch (RuntimeException e) {
            LOG.warn("fetching the JWKS from {} failed ({}); the previous JWT keys stay in force", url, e.toString());
        }
    }

    private List<PinnedKey> fetch() {
        lastFetchNanos.set(System.nanoTime());
        String source = "--jwt-jwks-url " + url;
        HttpResponse<InputStream> response;
        try {
            response = client.send(HttpRequest.newBuilder(url).timeout(TIMEOUT).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " cannot be fetched (" + e.getClass().getSimpleName() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException(source + " was not fetched: interrupted");
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IllegalArgumentException(source + " answered HTTP " + response.statusCode());
            }
            byte[] bytes = body.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalArgumentException(source + " sent more than " + MAX_BYTES + " bytes");
            }
            return JwtKeys.jwks(new String(bytes, StandardCharsets.UTF_8), source);
        } catch (IOException e) {
            throw new IllegalArgumentException(source + " could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    @Override
    public void close() {
        fetcher.shutdownNow();
        client.close();
    }
}
