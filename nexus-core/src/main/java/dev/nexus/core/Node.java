package dev.nexus.core;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.inbox.InboxMessage;
import dev.nexus.core.inbox.Inboxes;
import dev.nexus.core.limit.SessionRateLimiter;
import dev.nexus.core.metrics.NodeMetrics;
import dev.nexus.core.presence.CapabilityRanking;
import dev.nexus.core.presence.Presence;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.core.routing.TopicTrie;
import dev.nexus.core.spi.EventLog;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.InboxStore;
import dev.nexus.core.spi.LogPosition;
import dev.nexus.core.work.WorkCoordinator;
import dev.nexus.protocol.AckRequest;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import dev.nexus.protocol.WireTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
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
    /** The receipt a sender gets when the recipient of its direct message acknowledges it. */
    public static final String MESSAGE_READ = "message.read";
    private static final Set<String> RESERVED_TOPICS = Set.of("session.connected", "session.disconnected",
            "work.claimed", "work.released", "work.completed", "work.renewed", "work.expired", "work.failed",
            "work.enqueued", "work.dead", HelpRouting.HELP_REQUEST, MESSAGE_READ);

    private final NodeOptions options;
    private final EventLog log;
    private final EventIds eventIds;
    private final EventTimestamps timestamps;
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
    private final Inboxes inboxes;
    private final InboxStore inboxStore;
    private final Instant startedAt;
    private volatile boolean closed;

    private Node(NodeOptions options, NodeBackends backends) {
        this.options = options;
        this.log = backends.eventLog();
        this.eventIds = new EventIds(options.clock());
        List<Event> newest = log.read(new HistoryQuery(null, null, 1, true));
        this.timestamps = new EventTimestamps(options.clock(), newest.isEmpty() ? null : newest.getFirst().timestamp());
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
        this.inboxStore = backends.inbox();
        this.inboxes = new Inboxes(inboxStore, options.messaging().inboxMax());
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
     * {@code session_replaced} and ends; the session stays online throughout. Then the messages pending in its
     * inbox are delivered to the new connection, oldest first, before anything else addressed to it.
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
        inboxes.deliverPending(sessionId, connection.delivery(), false);
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
            HelpRouting.Plan help = HelpRouting.plan(request, options.messaging().defaultRouteCount());
            long waitNanos = rateLimiter.tryAcquire(request.sessionId());
            if (waitNanos > 0) {
                long retryMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
                throw new NexusException(ErrorCode.RATE_LIMITED,
                        "session " + request.sessionId() + " exceeded " + options.rateLimitPerMinute()
                                + " events per minute; retry in " + retryMillis + " ms",
                        Map.of("retry_after_ms", retryMillis));
            }
            presence.apply(request);
            if (help != null) {
                return sequenceRouted(request, help, acceptedNanos);
            }
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

    /** The inboxes of direct messages; to read them. Acknowledge through {@link #acknowledge}. */
    public Inboxes inboxes() {
        return inboxes;
    }

    /**
     * Marks messages of {@code sessionId}'s inbox read and sends each sender a {@value #MESSAGE_READ} receipt
     * (a direct event from the reader, payload {@code event_id}, {@code seq}, {@code event_type}, {@code read_by},
     * {@code read_at}); receipts themselves get none.
     *
     * @return the messages this call marked read, oldest first; ids not in the inbox and messages already read are
     *     ignored
     */
    public List<InboxMessage> acknowledge(String sessionId, AckRequest request) {
        List<InboxMessage> read = inboxes.ack(sessionId, request);
        String readAt = WireTime.format(options.clock().instant());
        for (InboxMessage message : read) {
            if (message.entry().eventType().equals(MESSAGE_READ)) {
                continue;
            }
            ObjectNode payload = WireJson.mapper().createObjectNode();
            payload.put("event_id", message.entry().eventId());
            payload.put("seq", message.entry().seq());
            payload.put("event_type", message.entry().eventType());
            payload.put("read_by", sessionId);
            payload.put("read_at", readAt);
            publishAsServer(new PublishRequest(MESSAGE_READ, sessionId, payload, message.entry().sender(), null,
                    message.entry().eventId(), null, null, null, null));
        }
        return read;
    }

    /**
     * Online sessions holding every one of {@code capabilities}, best first, weighing the claims each holds; see
     * {@link CapabilityRanking}.
     *
     * @param idleOnly only idle sessions
     * @param excluded sessions left out
     */
    public List<CapabilityRanking.Match> rankCapable(List<String> capabilities, boolean idleOnly, Set<String> excluded) {
        Map<String, Integer> claims = new HashMap<>();
        work.claimed().forEach(claim -> claims.merge(claim.claimedBy(), 1, Integer::sum));
        return CapabilityRanking.rank(presence.all(), capabilities, idleOnly, claims, excluded);
    }

    public Instant startedAt() {
        return startedAt;
    }

    /** Live session connections. */
    public int connectionCount() {
        return hub.size();
    }

    /**
     * Ends the session's live connection on this node, if it has one, telling the client why (for instance
     * {@code token_revoked} once its credential was withdrawn); the session then goes offline as after any
     * disconnect. Non-blocking.
     */
    public void disconnect(String sessionId, ErrorCode reason, String message) {
        SessionConnection connection = hub.get(sessionId);
        if (connection != null) {
            connection.sink().disconnect(reason, message);
        }
    }

    /** The live connections on this node, as of the call. */
    public List<SessionConnection> connections() {
        return hub.all();
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
        inboxes.close();
        inboxStore.close();
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
        return sequenceEvent(request, acceptedNanos).outcome();
    }

    /**
     * Sequences a {@code help.needed} event and, right behind it in the log, its {@code help.request}s to the best
     * matching sessions; completes when all are durable, with the sessions the requests reached. A retry (same
     * idempotency key) routes nothing again.
     */
    private CompletableFuture<Published> sequenceRouted(PublishRequest request, HelpRouting.Plan help, long acceptedNanos) {
        List<String> targets = rankCapable(help.capabilities(), false, Set.of(request.sessionId())).stream()
                .limit(help.count()).map(CapabilityRanking.Match::sessionId).toList();
        Sequenced main;
        List<CompletableFuture<Published>> routed = new ArrayList<>();
        synchronized (sequencer) {
            main = sequenceEvent(request, acceptedNanos);
            if (main.event() == null || main.outcome().isCompletedExceptionally()) {
                return main.outcome();
            }
            for (String target : targets) {
                routed.add(sequence(HelpRouting.request(main.event(), target), System.nanoTime()));
            }
        }
        return main.outcome().thenCompose(published -> CompletableFuture
                .allOf(routed.stream().map(f -> f.handle((p, failure) -> null)).toArray(CompletableFuture[]::new))
                .thenApply(ignored -> {
                    List<String> reached = new ArrayList<>();
                    for (int i = 0; i < targets.size(); i++) {
                        if (!routed.get(i).isCompletedExceptionally()) {
                            reached.add(targets.get(i));
                        } else {
                            LOG.warn("help.request {} to {} was not stored", published.eventId(), targets.get(i));
                        }
                    }
                    return published.withRoutedTo(reached);
                }));
    }

    /**
     * The event a publish created (null for a retry answered from the idempotency window) and its outcome.
     */
    private record Sequenced(Event event, CompletableFuture<Published> outcome) {
    }

    private Sequenced sequenceEvent(PublishRequest request, long acceptedNanos) {
        synchronized (sequencer) {
            // timestamp and id are taken inside the section so that seq order is also time order
            Instant timestamp = timestamps.next();
            String key = request.idempotencyKey();
            if (key != null) {
                CompletableFuture<Published> original = idempotency.find(request.sessionId(), key, timestamp.toEpochMilli());
                if (original != null) {
                    return new Sequenced(null, original.thenApply(Published::asDuplicate));
                }
            }
            // encoded once, with the seq the log assigns next: the same bytes go to the log and to every subscriber
            Event event = new Event(eventIds.next(timestamp.toEpochMilli()), log.head().seq() + 1,
                    request.eventType(), request.sessionId(), timestamp, request.payload(), request.targetSessionId(),
                    request.correlationId(), request.causationId(), request.priority(), request.ttl(), request.tags(),
                    request.idempotencyKey());
            EncodedEvent encoded = EncodedEvent.of(event, acceptedNanos);
            String recipient = request.targetSessionId();
            EventLog.Appended appended;
            try {
                if (recipient != null) {
                    inboxes.reserve(recipient);
                }
                try {
                    appended = log.append(encoded);
                } catch (RuntimeException e) {
                    if (recipient != null) {
                        inboxes.cancel(recipient);
                    }
                    throw e;
                }
            } catch (NexusException e) {
                return new Sequenced(encoded.event(), CompletableFuture.failedFuture(e));
            }
            LogPosition position = appended.position();
            Published published = new Published(event.eventId(), position.seq(), position.epoch(), timestamp, false);
            metrics.eventAccepted();
            CompletableFuture<Published> outcome = new CompletableFuture<>();
            appended.durable().whenComplete((durable, failure) -> {
                if (failure != null) {
                    if (recipient != null) {
                        inboxes.cancel(recipient);
                    }
                    outcome.completeExceptionally(failure);
                    return;
                }
                if (recipient == null) {
                    // the publisher's reply is queued before the deliveries, so it sees its ack before its own event
                    outcome.complete(published);
                    route(encoded);
                    return;
                }
                // a direct message is acknowledged once its inbox entry is stored as well
                inboxes.add(encoded).whenComplete((stored, notStored) -> {
                    if (notStored != null) {
                        outcome.completeExceptionally(notStored);
                    } else {
                        outcome.complete(published);
                    }
                });
                route(encoded);
            });
            if (key != null) {
                idempotency.remember(request.sessionId(), key, timestamp.toEpochMilli(), outcome);
            }
            return new Sequenced(encoded.event(), outcome);
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
            // the message is in the recipient's inbox: a live connection gets it (and anything older still pending)
            SessionConnection target = hub.get(event.targetSessionId());
            if (target != null) {
                inboxes.deliverPending(event.targetSessionId(), target.delivery(), true);
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
