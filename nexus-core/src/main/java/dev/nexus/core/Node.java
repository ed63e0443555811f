package dev.nexus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.limit.SessionRateLimiter;
import dev.nexus.core.metrics.NodeMetrics;
import dev.nexus.core.presence.Presence;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.core.routing.TopicTrie;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.core.work.WorkCoordinator;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine: accepts events, gives them their log position, and routes them to subscribers; tracks sessions
 * and work claims. Free of any transport: WebSocket, HTTP and the rest are thin adapters over this class.
 *
 * <p>One publish: validate → rate limit → apply presence effects → (in the sequencing section) append to the
 * event log, encode once, hand the same bytes to every matching subscriber's queue. Holding one section for
 * append and hand-off makes every subscriber see events in seq order.
 *
 * <p>Lifecycle: {@link #start} begins the maintenance timer (claim grace, leases, retention, metrics);
 * {@link #close()} disconnects every session with {@code shutting_down} and stops it. Idempotent.
 */
public final class Node implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Node.class);
    /** Most idempotency keys remembered at once; past it the oldest are forgotten before their window ends. */
    static final int MAX_IDEMPOTENCY_KEYS = 1_000_000;
    private static final Set<String> RESERVED_TOPICS = Set.of("session.connected", "session.disconnected",
            "work.claimed", "work.released", "work.completed", "work.renewed", "work.expired", "work.failed",
            "work.enqueued", "work.dead");

    private final NodeOptions options;
    private final EventLog log;
    private final EventIds eventIds;
    private final Presence presence;
    private final WorkCoordinator work;
    private final SessionRateLimiter rateLimiter;
    private final NodeMetrics metrics;
    private final TopicTrie<Subscriber> trie = new TopicTrie<>();
    private final ConnectionHub hub = new ConnectionHub();
    private final Object sequencer = new Object();
    private final ScheduledExecutorService maintenance;
    private final ExecutorService reader;
    private final IdempotencyWindow idempotency;
    private final LogReplayer replayer;
    private final Instant startedAt;
    private volatile boolean closed;

    private Node(NodeOptions options, NodeBackends backends) {
        this.options = options;
        this.log = backends.eventLog();
        this.eventIds = new EventIds(options.clock());
        this.presence = new Presence(backends.presence(), options.clock());
        this.work = new WorkCoordinator(backends.leases(), backends.workQueue(), options.clock(), options.claimGrace(),
                options.work(), presence::get, this::publishAsServer);
        this.rateLimiter = new SessionRateLimiter(options.rateLimitPerMinute(), System::nanoTime);
        this.metrics = new NodeMetrics(options.clock());
        this.startedAt = WireTime.truncate(options.clock().instant());
        this.maintenance = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "nexus-maintenance");
            thread.setDaemon(true);
            return thread;
        });
        this.reader = Executors.newFixedThreadPool(2, r -> {
            Thread thread = new Thread(r, "nexus-log-reader");
            thread.setDaemon(true);
            return thread;
        });
        this.idempotency = new IdempotencyWindow(options.dedupWindow(), MAX_IDEMPOTENCY_KEYS);
        this.replayer = new LogReplayer(log);
    }

    /** A node on memory storage. */
    public static Node start(NodeOptions options) {
        return start(options, NodeBackends.memory(options));
    }

    public static Node start(NodeOptions options, NodeBackends backends) {
        Node node = new Node(options, backends);
        node.rememberRecentIdempotencyKeys();
        node.work.holdersAbsentSinceRestart(options.claimRestartGrace());
        node.maintenance.scheduleWithFixedDelay(node.guarded("claim sweep", node.work::sweep), 100, 100, TimeUnit.MILLISECONDS);
        node.maintenance.scheduleWithFixedDelay(node.guarded("retention", node::applyRetention), 1, 1, TimeUnit.SECONDS);
        node.maintenance.scheduleWithFixedDelay(node.guarded("metrics", node.metrics::rotate), 1, 1, TimeUnit.SECONDS);
        node.maintenance.scheduleWithFixedDelay(node.guarded("dedup window", node::expireIdempotencyKeys), 1, 1, TimeUnit.SECONDS);
        return node;
    }

    /**
     * Opens a session's connection: the session goes online (announced as {@code session.connected}) and a
     * pending release of its claims is cancelled. If the session already had a connection, that one is told
     * {@code session_replaced} and ends; the session stays online throughout.
     */
    public SessionConnection connect(String sessionId, Subscriber sink) {
        if (closed) {
            throw new NexusException(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
        }
        SessionConnection connection = new SessionConnection(this, sessionId, sink);
        SessionConnection replaced = hub.transition(sessionId, () -> {
            SessionConnection previous = hub.put(connection);
            presence.connected(sessionId);
            work.sessionAttached(sessionId);
            if (previous == null) {
                ObjectNode payload = WireJson.mapper().createObjectNode();
                payload.put("session_id", sessionId);
                publishAsServer(PublishRequest.of("session.connected", sessionId, payload));
            }
            return previous;
        });
        if (replaced != null) {
            replaced.dropSubscriptions();
            replaced.sink().disconnect(ErrorCode.SESSION_REPLACED, "session " + sessionId + " connected again elsewhere");
        }
        return connection;
    }

    /** Called by {@link SessionConnection#close()}; {@code reason} is what the release of its claims will say. */
    void detach(SessionConnection connection, String reason) {
        String sessionId = connection.sessionId();
        hub.transition(sessionId, () -> {
            if (hub.removeIfCurrent(connection)) {
                presence.disconnected(sessionId);
                work.sessionDetached(sessionId, reason);
                ObjectNode payload = WireJson.mapper().createObjectNode();
                payload.put("session_id", sessionId);
                publishAsServer(PublishRequest.of("session.disconnected", sessionId, payload));
            }
            return null;
        });
    }

    /**
     * Subscribes an in-process observer (not a session) to patterns, for instance the SSOT file sync.
     *
     * @return closing it removes the subscriptions
     */
    public AutoCloseable observe(List<TopicPattern> patterns, Subscriber observer) {
        for (TopicPattern pattern : patterns) {
            trie.subscribe(pattern, observer);
        }
        return () -> patterns.forEach(pattern -> trie.unsubscribe(pattern, observer));
    }

    /**
     * Publishes on behalf of a client session. Completes with the event's position once it is in the log and
     * queued to every matching subscriber; fails with a {@link NexusException} ({@code reserved_topic},
     * {@code invalid_payload}, {@code rate_limited} with {@code retry_after_ms}, {@code shutting_down}).
     */
    public CompletableFuture<Published> publish(PublishRequest request) {
        long acceptedNanos = System.nanoTime();
        try {
            if (closed) {
                throw new NexusException(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
            }
            requireClientTopic(request.eventType());
            presence.validate(request);
            long waitNanos = rateLimiter.tryAcquire(request.sessionId());
            if (waitNanos > 0) {
                long retryMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
                throw new NexusException(ErrorCode.RATE_LIMITED,
                        "session " + request.sessionId() + " exceeded " + options.rateLimitPerMinute()
                                + " events per minute; retry in " + retryMillis + " ms",
                        Map.of("retry_after_ms", retryMillis));
            }
            presence.apply(request);
            return sequence(request, acceptedNanos);
        } catch (NexusException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** Events from the log; see {@link EventLog#read}. */
    public List<Event> history(HistoryQuery query) {
        return log.read(query);
    }

    public LogPosition head() {
        return log.head();
    }

    public Presence presence() {
        return presence;
    }

    public WorkCoordinator work() {
        return work;
    }

    public NodeMetrics metrics() {
        return metrics;
    }

    public NodeOptions options() {
        return options;
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Live session connections. */
    public int connectionCount() {
        return hub.size();
    }

    /** Whether a session has a live connection on this node. */
    public boolean isConnected(String sessionId) {
        return hub.get(sessionId) != null;
    }

    /** Number of (pattern, subscriber) subscriptions, observers included. */
    public int subscriptionCount() {
        return trie.size();
    }

    TopicTrie<Subscriber> trie() {
        return trie;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (SessionConnection connection : hub.all()) {
            connection.sink().disconnect(ErrorCode.SHUTTING_DOWN, "the server is shutting down");
            connection.close();
        }
        maintenance.shutdownNow();
        reader.shutdown();
        log.close();
    }

    private void publishAsServer(PublishRequest request) {
        sequence(request, System.nanoTime()).exceptionally(failure -> {
            LOG.warn("server event {} was not stored: {}", request.eventType(), failure.getMessage());
            return null;
        });
    }

    /**
     * Appends to the log and routes once durable. The append and the registration of the routing step happen in
     * one section, and the log completes durability in seq order, so routing happens in seq order.
     */
    private CompletableFuture<Published> sequence(PublishRequest request, long acceptedNanos) {
        synchronized (sequencer) {
            // timestamp and id are taken inside the section so that seq order is also time order
            Instant timestamp = WireTime.truncate(options.clock().instant());
            String key = request.idempotencyKey();
            if (key != null) {
                CompletableFuture<Published> original = idempotency.find(request.sessionId(), key, timestamp.toEpochMilli());
                if (original != null) {
                    return original.thenApply(Published::asDuplicate);
                }
            }
            Event event = new Event(eventIds.next(), 0, request.eventType(), request.sessionId(), timestamp,
                    request.payload(), request.targetSessionId(), request.correlationId(), request.causationId(),
                    request.priority(), request.ttl(), request.tags(), request.idempotencyKey());
            // encoded once, with the seq the log assigns next: the same bytes go to the log and to every subscriber
            EncodedEvent encoded = EncodedEvent.of(event.withSeq(log.head().seq() + 1), acceptedNanos);
            EventLog.Appended appended;
            try {
                appended = log.append(encoded);
            } catch (NexusException e) {
                return CompletableFuture.failedFuture(e);
            }
            LogPosition position = appended.position();
            Published published = new Published(event.eventId(), position.seq(), position.epoch(), timestamp, false);
            metrics.eventAccepted();
            CompletableFuture<Published> outcome = new CompletableFuture<>();
            appended.durable().whenComplete((durable, failure) -> {
                if (failure != null) {
                    outcome.completeExceptionally(failure);
                    return;
                }
                // the publisher's reply is queued before the deliveries, so it sees its ack before its own event
                outcome.complete(published);
                route(encoded);
            });
            if (key != null) {
                idempotency.remember(request.sessionId(), key, timestamp.toEpochMilli(), outcome);
            }
            return outcome;
        }
    }

    /** What a resuming client missed, read off the caller's thread; see {@link LogReplayer#replay}. */
    CompletableFuture<Replay> recover(Resume resume, java.util.function.Predicate<Event> wanted) {
        return CompletableFuture.supplyAsync(() -> replayer.replay(resume, wanted), reader);
    }

    /** Events from the log, read off the caller's thread (the log may be on disk). */
    public CompletableFuture<List<Event>> historyAsync(HistoryQuery query) {
        return CompletableFuture.supplyAsync(() -> log.read(query), reader);
    }

    /** Why the event log cannot take events, or null while it can. */
    public String storeFailure() {
        return log.failure();
    }

    private void route(EncodedEvent encoded) {
        Event event = encoded.event();
        if (event.isDirect()) {
            SessionConnection target = hub.get(event.targetSessionId());
            if (target != null) {
                target.delivery().deliver(encoded);
            }
            return;
        }
        for (Subscriber subscriber : trie.match(event.eventType())) {
            subscriber.deliver(encoded);
        }
    }

    private static void requireClientTopic(String eventType) {
        if (RESERVED_TOPICS.contains(eventType) || eventType.startsWith("system.") || eventType.equals("system")) {
            throw new NexusException(ErrorCode.RESERVED_TOPIC, "'" + eventType + "' is published only by the server"
                    + (eventType.startsWith("work.") ? "; use the /work endpoints" : ""),
                    Map.of("event_type", eventType));
        }
    }

    private void expireIdempotencyKeys() {
        long now = options.clock().millis();
        synchronized (sequencer) {
            idempotency.expire(now);
        }
    }

    /** After a restart, retries of events published just before it must still find them. */
    private void rememberRecentIdempotencyKeys() {
        Instant since = options.clock().instant().minus(options.dedupWindow());
        List<Event> first = log.read(new HistoryQuery(since, null, 1, true));
        if (first.isEmpty()) {
            return;
        }
        replayer.forEachAfter(first.get(0).seq() - 1, event -> {
            if (event.idempotencyKey() != null) {
                Published published = new Published(event.eventId(), event.seq(), log.epoch(), event.timestamp(), false);
                idempotency.remember(event.sessionId(), event.idempotencyKey(), event.timestamp().toEpochMilli(),
                        CompletableFuture.completedFuture(published));
            }
        });
    }

    private void applyRetention() {
        Instant now = options.clock().instant();
        log.prune(now);
        presence.forgetOfflineBefore(now.minus(options.sessionRetention()));
        rateLimiter.forgetFullBuckets();
    }

    private Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.error("maintenance task '{}' failed; it will run again", name, e);
            }
        };
    }
}
