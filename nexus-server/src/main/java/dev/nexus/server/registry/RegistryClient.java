package dev.nexus.server.registry;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers this service with the registry (seed 000, "Service Registration"): {@code POST {registry}/register}
 * with the {@link Registration} as JSON, in the background, retried with exponential {@link Backoff} after a
 * refused connection, a timeout (5 s to connect, 5 s for the answer) or a non-2xx answer, until one attempt
 * succeeds or the client is closed. The registry being down never delays or fails the server's start-up; it
 * shows as {@code unavailable} in {@code GET /dependencies}.
 *
 * <p>Logging: one warning line per failed attempt (attempt number, reason, next delay; no stack trace) and one
 * info line on success.
 *
 * <p>Threading: attempts run on the JDK HTTP client's threads and one daemon timer thread,
 * {@code nexus-registry}; the public methods are thread-safe and never block on the network.
 */
public final class RegistryClient implements AutoCloseable {
    /** {@link #status()} once the registry accepted the registration. */
    public static final String AVAILABLE = "available";
    /** {@link #status()} until then. */
    public static final String UNAVAILABLE = "unavailable";

    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_REASON_BODY = 200;
    private static final Logger LOG = LoggerFactory.getLogger(RegistryClient.class);

    private final URI registryUrl;
    private final URI registerUri;
    private final Registration registration;
    private final Backoff backoff;
    private final HttpRequest request;
    private final HttpClient http;
    private final ScheduledExecutorService timer;
    private final AtomicInteger attempts = new AtomicInteger();
    private final Object lock = new Object();
    private boolean started;
    private boolean closed;
    private Future<?> pending;
    private volatile boolean registered;
    private volatile String lastError;

    /** A client with {@link Backoff#defaults()}. */
    public RegistryClient(URI registryUrl, Registration registration) {
        this(registryUrl, registration, Backoff.defaults());
    }

    /**
     * @param registryUrl the registry's base URL, such as {@code http://localhost:8000} (a trailing slash is
     *     fine); http or https, without query or fragment
     * @param registration what to register
     * @param backoff the waits between attempts
     * @throws IllegalArgumentException when the URL is not such a base URL
     */
    public RegistryClient(URI registryUrl, Registration registration, Backoff backoff) {
        this.registryUrl = Objects.requireNonNull(registryUrl, "registryUrl");
        this.registration = Objects.requireNonNull(registration, "registration");
        this.backoff = Objects.requireNonNull(backoff, "backoff");
        this.registerUri = registerUri(registryUrl);
        this.request = HttpRequest.newBuilder(registerUri)
                .timeout(TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body(registration)))
                .build();
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-registry");
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Begins registering in the background and returns at once.
     *
     * @throws IllegalStateException when already started or closed
     */
    public void start() {
        synchronized (lock) {
            if (started || closed) {
                throw new IllegalStateException("registry client already " + (closed ? "closed" : "started"));
            }
            started = true;
            pending = timer.submit(this::attempt);
        }
    }

    /** {@value #AVAILABLE} once an attempt got a 2xx answer (it stays so), {@value #UNAVAILABLE} before. */
    public String status() {
        return registered ? AVAILABLE : UNAVAILABLE;
    }

    /**
     * Why the last attempt failed, such as {@code HTTP 503} or {@code connection refused}; null when none has
     * failed yet or one has succeeded.
     */
    public String lastError() {
        return lastError;
    }

    /** Attempts made so far, the one in flight included. */
    public int attempts() {
        return attempts.get();
    }

    /** The registry's base URL, as given. */
    public URI url() {
        return registryUrl;
    }

    /** Stops retrying and abandons an attempt in flight; no attempt starts after it returns. Idempotent. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        timer.shutdownNow();
        http.shutdownNow();
    }

    private void attempt() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            int attempt = attempts.incrementAndGet();
            CompletableFuture<HttpResponse<String>> exchange;
            try {
                exchange = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
            } catch (RuntimeException e) {
                exchange = CompletableFuture.failedFuture(e);
            }
            pending = exchange;
            exchange.whenComplete((response, error) -> completed(attempt, response, error));
        }
    }

    private void completed(int attempt, HttpResponse<String> response, Throwable error) {
        synchronized (lock) {
            if (closed) {
                return;
            }
            if (error == null && response.statusCode() / 100 == 2) {
                registered = true;
                lastError = null;
                LOG.info("registered {} with the registry at {} (attempt {})", registration.id(), registerUri, attempt);
                return;
            }
            String reason = error == null ? describe(response) : describe(error);
            lastError = reason;
            Duration delay = backoff.delayAfter(attempt);
            LOG.warn("registry registration attempt {} to {} failed: {}; retrying in {} ms",
                    attempt, registerUri, reason, delay.toMillis());
            try {
                pending = timer.schedule(this::attempt, delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                // closed concurrently: nothing left to retry
            }
        }
    }

    private static String describe(HttpResponse<String> response) {
        String body = response.body() == null ? "" : response.body().strip();
        if (body.length() > MAX_REASON_BODY) {
            body = body.substring(0, MAX_REASON_BODY) + "…";
        }
        return "HTTP " + response.statusCode() + (body.isEmpty() ? "" : " " + body);
    }

    private static String describe(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ConnectException) {
            return "connection refused" + (cause.getMessage() == null ? "" : " (" + cause.getMessage() + ")");
        }
        if (cause instanceof HttpTimeoutException) {
            return "no answer within " + TIMEOUT.toSeconds() + " s";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    private static URI registerUri(URI base) {
        String scheme = base.getScheme();
        if (scheme == null || !(scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"))
                || base.getHost() == null || base.getRawQuery() != null || base.getRawFragment() != null) {
            throw new IllegalArgumentException(
                    "registry URL must be an http(s) base URL such as http://localhost:8000, got " + base);
        }
        String text = base.toString();
        int end = text.length();
        while (end > 0 && text.charAt(end - 1) == '/') {
            end--;
        }
        return URI.create(text.substring(0, end) + "/register");
    }

    private static byte[] body(Registration registration) {
        ObjectNode json = WireJson.mapper().createObjectNode();
        json.put("name", registration.name());
        json.put("id", registration.id());
        json.put("url", registration.url());
        json.put("version", registration.version());
        registration.capabilities().forEach(json.putArray("capabilities")::add);
        try {
            return WireJson.mapper().writeValueAsBytes(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
    }
}
