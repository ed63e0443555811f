package dev.nexus.core;

import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ErrorCode;
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
 * <p>Thread-safe; transports usually call it from the connection's own event loop.
 */
public final class SessionConnection implements AutoCloseable {
    private final Node node;
    private final String sessionId;
    private final Subscriber sink;
    private final Map<String, TopicPattern> patterns = new LinkedHashMap<>();
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

    /**
     * Adds patterns; all or none are added.
     *
     * @return every pattern the connection now holds
     * @throws NexusException {@code too_many_subscriptions}
     */
    public synchronized List<String> subscribe(List<TopicPattern> wanted) {
        if (closed) {
            return List.of();
        }
        long added = wanted.stream().map(TopicPattern::text).distinct().filter(p -> !patterns.containsKey(p)).count();
        int max = node.options().maxSubscriptionsPerConnection();
        if (patterns.size() + added > max) {
            throw new NexusException(ErrorCode.TOO_MANY_SUBSCRIPTIONS,
                    "a connection may hold at most " + max + " subscriptions; it holds " + patterns.size(),
                    Map.of("max_subscriptions", max));
        }
        for (TopicPattern pattern : wanted) {
            if (patterns.putIfAbsent(pattern.text(), pattern) == null) {
                node.trie().subscribe(pattern, sink);
            }
        }
        return subscriptions();
    }

    /** Removes patterns it holds; others are ignored. Returns every pattern it still holds. */
    public synchronized List<String> unsubscribe(List<TopicPattern> unwanted) {
        for (TopicPattern pattern : unwanted) {
            if (patterns.remove(pattern.text()) != null) {
                node.trie().unsubscribe(pattern, sink);
            }
        }
        return subscriptions();
    }

    public synchronized List<String> subscriptions() {
        return new ArrayList<>(patterns.keySet());
    }

    /** Publishes as this session; see {@link Node#publish}. */
    public CompletableFuture<Published> publish(PublishRequest request) {
        return node.publish(request);
    }

    /** Ends the connection: drops its subscriptions and, if it is still the session's current one, takes the session offline. Idempotent. */
    @Override
    public void close() {
        if (dropSubscriptions()) {
            node.detach(this);
        }
    }

    /** Removes all subscriptions and marks closed; returns false if it was already closed. */
    synchronized boolean dropSubscriptions() {
        if (closed) {
            return false;
        }
        closed = true;
        for (TopicPattern pattern : patterns.values()) {
            node.trie().unsubscribe(pattern, sink);
        }
        patterns.clear();
        return true;
    }
}
