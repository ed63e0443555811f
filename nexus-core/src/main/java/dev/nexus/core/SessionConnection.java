package dev.nexus.core;

import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One live connection of a session, as a transport holds it: its subscriptions and the calls it makes on the
 * node. Obtained from {@link Node#connect}; {@link #close()} when the transport's connection ends.
 *
 * <p>It stands between the node and the transport's {@link Subscriber}, and guarantees what the client sees:
 * <ul>
 *   <li>events in seq order, each once; direct messages come from the session's inbox ({@link Node#connect}), each
 *       once and in seq order among themselves — those pending when it connects arrive first, so they may carry
 *       higher seqs than events a resuming subscribe replays afterwards;</li>
 *   <li>a subscription starts at the log position current when it was made: an event accepted before the
 *       subscribe is not delivered to it even if it becomes durable (and so is routed) afterwards;</li>
 *   <li>while a resuming subscribe replays missed events from the log, live events for this connection are held
 *       back and merged in after the replay.</li>
 * </ul>
 *
 * <p>Thread-safe; transports usually call it from the connection's own event loop.
 */
public final class SessionConnection implements AutoCloseable {
    private final Node node;
    private final String sessionId;
    private final Subscriber sink;
    private final Delivery delivery = new Delivery();
    private CompletableFuture<?> lastResume = CompletableFuture.completedFuture(null);
    private boolean closed;

    SessionConnection(Node node, String sessionId, Subscriber sink) {
        this.node = node;
        this.sessionId = sessionId;
        this.sink = sink;
    }

    public String sessionId() {
        return sessionId;
    }

    Subscriber sink() {
        return sink;
    }

    /** What the node's router delivers to: this connection's ordered gate in front of the transport. */
    Subscriber delivery() {
        return delivery;
    }

    /** Adds patterns, live from the current log position; see {@link #subscribe(List, Resume)}. */
    public List<String> subscribe(List<TopicPattern> wanted) {
        return addPatterns(wanted, null);
    }

    /**
     * Adds patterns; all or none are added. With a {@link Resume}, first replays every event after the client's
     * position that matches the new patterns (direct messages are not replayed: the inbox delivers them), then live
     * events, with no gap or duplicate; or, when the gap cannot be filled, subscribes live only and says why.
     *
     * <p>Resuming subscribes of one connection run one after another, in call order.
     *
     * @return completes when the replay has been read (off the caller's thread), just before the replayed and
     *     held events are handed to the transport, so a reply written from the completion precedes them; fails
     *     with {@code too_many_subscriptions}
     */
    public synchronized CompletableFuture<Subscribed> subscribe(List<TopicPattern> wanted, Resume resume) {
        if (resume == null) {
            List<String> all = addPatterns(wanted, null);
            return CompletableFuture.completedFuture(new Subscribed(all, null, null, 0, node.head().seq(),
                    node.head().epoch()));
        }
        CompletableFuture<Subscribed> result = lastResume.handle((ignored, failure) -> null)
                .thenCompose(ignored -> resume(wanted, resume));
        lastResume = result;
        return result;
    }

    private CompletableFuture<Subscribed> resume(List<TopicPattern> wanted, Resume resume) {
        delivery.hold();
        List<String> all;
        try {
            all = addPatterns(wanted, resume.seq());
        } catch (NexusException e) {
            delivery.release(List.of());
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Subscribed> result = new CompletableFuture<>();
        node.recover(resume, event -> replayable(event, wanted)).whenComplete((replay, failure) -> {
            if (failure != null) {
                delivery.release(List.of());
                result.completeExceptionally(failure);
                return;
            }
            // complete first: a transport that writes its reply from the completion writes it before the replay
            result.complete(new Subscribed(all, replay.recovered(), replay.reason(), replay.events().size(),
                    replay.headSeq(), replay.epoch()));
            delivery.release(replay.events());
        });
        return result;
    }

    /** Removes patterns it holds; others are ignored. Returns every pattern it still holds. */
    public synchronized List<String> unsubscribe(List<TopicPattern> unwanted) {
        for (TopicPattern pattern : unwanted) {
            if (delivery.remove(pattern)) {
                node.trie().unsubscribe(pattern, delivery);
            }
        }
        return subscriptions();
    }

    public List<String> subscriptions() {
        return delivery.patterns();
    }

    /** The patterns it holds, as the patterns themselves rather than their text. */
    public List<TopicPattern> subscribedPatterns() {
        return delivery.subscribedPatterns();
    }

    /** Publishes as this session; see {@link Node#publish}. */
    public CompletableFuture<Published> publish(PublishRequest request) {
        return node.publish(request);
    }

    /** Ends the connection: drops its subscriptions and, if it is still the session's current one, takes the session offline. Idempotent. */
    @Override
    public void close() {
        close("holder_disconnected");
    }

    /**
     * Ends the connection because the client stopped answering pings: as {@link #close()}, and the release of
     * its claims after the grace says {@code ping_timeout}.
     */
    public void closeUnresponsive() {
        close("ping_timeout");
    }

    private void close(String reason) {
        if (dropSubscriptions()) {
            node.detach(this, reason);
        }
    }

    /** Removes all subscriptions and marks closed; returns false if it was already closed. */
    synchronized boolean dropSubscriptions() {
        if (closed) {
            return false;
        }
        closed = true;
        for (TopicPattern pattern : delivery.removeAll()) {
            node.trie().unsubscribe(pattern, delivery);
        }
        return true;
    }

    /**
     * Registers new patterns in the router. They start after {@code fromSeq} when given (a resume), else after the
     * log's head read once they are registered, so nothing accepted before the subscribe reaches them.
     */
    private synchronized List<String> addPatterns(List<TopicPattern> wanted, Long fromSeq) {
        if (closed) {
            return List.of();
        }
        List<TopicPattern> added = delivery.addPending(wanted, node.options().maxSubscriptionsPerConnection());
        for (TopicPattern pattern : added) {
            node.trie().subscribe(pattern, delivery);
        }
        delivery.start(added, fromSeq != null ? fromSeq : node.head().seq());
        return subscriptions();
    }

    private boolean replayable(Event event, List<TopicPattern> wanted) {
        if (event.isDirect()) {
            return false; // direct messages come from the session's inbox, each once; a replay would repeat them
        }
        for (TopicPattern pattern : wanted) {
            if (pattern.matches(event.eventType())) {
                return true;
            }
        }
        return false;
    }

    /**
     * The ordered gate: owns the connection's subscriptions with the seq each starts after; passes events on in
     * seq order, each once, or, while a replay is being read, holds live ones back and then merges them with the
     * replay by seq.
     */
    private final class Delivery implements Subscriber {
        private static final long NOT_STARTED = Long.MAX_VALUE;

        private final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
        /** Events with a seq up to this may predate some subscription and need the per-subscription check. */
        private long checkUpTo;
        private List<EncodedEvent> held;
        private long lastSeq;

        @Override
        public synchronized void deliver(EncodedEvent encoded) {
            Event event = encoded.event();
            if (!event.isDirect() && event.seq() <= checkUpTo && !wantedBySubscriptionOlderThan(event)) {
                return;
            }
            if (held != null) {
                held.add(encoded);
            } else {
                pass(encoded);
            }
        }

        @Override
        public void disconnect(ErrorCode reason, String message) {
            sink.disconnect(reason, message);
        }

        /** Adds not-yet-started subscriptions for the new patterns; returns them. */
        synchronized List<TopicPattern> addPending(List<TopicPattern> wanted, int max) {
            List<TopicPattern> added = new ArrayList<>();
            for (TopicPattern pattern : wanted) {
                if (!subscriptions.containsKey(pattern.text()) && added.stream().noneMatch(p -> p.text().equals(pattern.text()))) {
                    added.add(pattern);
                }
            }
            if (subscriptions.size() + added.size() > max) {
                throw new NexusException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                        "a connection may hold at most " + max + " subscriptions; it holds " + subscriptions.size(),
                        Map.of("max_subscriptions", max));
            }
            for (TopicPattern pattern : added) {
                subscriptions.put(pattern.text(), new Subscription(pattern, NOT_STARTED));
            }
            if (!added.isEmpty()) {
                checkUpTo = NOT_STARTED;
            }
            return added;
        }

        /** The new subscriptions start after {@code fromSeq}. */
        synchronized void start(List<TopicPattern> added, long fromSeq) {
            for (TopicPattern pattern : added) {
                subscriptions.computeIfPresent(pattern.text(), (text, s) -> new Subscription(pattern, fromSeq));
            }
            checkUpTo = subscriptions.values().stream().mapToLong(Subscription::fromSeq).max().orElse(0);
        }

        synchronized boolean remove(TopicPattern pattern) {
            return subscriptions.remove(pattern.text()) != null;
        }

        synchronized List<TopicPattern> removeAll() {
            List<TopicPattern> all = subscriptions.values().stream().map(Subscription::pattern).toList();
            subscriptions.clear();
            return all;
        }

        synchronized List<String> patterns() {
            return new ArrayList<>(subscriptions.keySet());
        }

        synchronized List<TopicPattern> subscribedPatterns() {
            return subscriptions.values().stream().map(Subscription::pattern).toList();
        }

        synchronized void hold() {
            held = new ArrayList<>();
        }

        /** Sends the replay and the held live events, merged by seq without duplicates; then passes through again. */
        synchronized void release(List<EncodedEvent> replay) {
            List<EncodedEvent> live = held == null ? List.of() : held;
            held = null;
            int r = 0;
            int l = 0;
            while (r < replay.size() || l < live.size()) {
                boolean takeReplay = l >= live.size()
                        || (r < replay.size() && replay.get(r).event().seq() <= live.get(l).event().seq());
                pass(takeReplay ? replay.get(r++) : live.get(l++));
            }
        }

        private boolean wantedBySubscriptionOlderThan(Event event) {
            for (Subscription subscription : subscriptions.values()) {
                if (subscription.fromSeq() < event.seq() && subscription.pattern().matches(event.eventType())) {
                    return true;
                }
            }
            return false;
        }

        private void pass(EncodedEvent event) {
            if (event.event().isDirect()) {
                // the inbox hands each direct message over once, in seq order, unread ones first on connect
                sink.deliver(event);
                return;
            }
            if (event.event().seq() > lastSeq) {
                lastSeq = event.event().seq();
                sink.deliver(event);
            }
        }
    }

    /** A pattern and the seq its delivery starts after. */
    private record Subscription(TopicPattern pattern, long fromSeq) {
    }
}
