package dev.nexus.core.routing;

import dev.nexus.protocol.TopicPattern;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * Subscriptions indexed as a token trie, in the manner of nats-server's sublist: one level per topic segment,
 * with a {@code *} child for single-segment wildcards and, at each level, the subscribers whose pattern ends in
 * {@code >} there. Matching a topic walks at most two branches per segment, independent of the number of
 * subscriptions.
 *
 * <p>Results are cached per topic in a bounded cache that every change empties (and marks stale through a
 * generation counter, for a match racing with the change). Emptying matters as much as marking: a stale result
 * still references the subscribers it listed, and a subscriber is a whole connection — before, a topic that was
 * not published again after its subscribers left kept every one of those closed connections in memory.
 * A subscriber that holds several patterns matching one topic appears once in the result.
 *
 * <p>Thread-safe: changes take a write lock; matches read the cache or take a read lock.
 *
 * @param <S> the subscriber type; compared with {@code equals}
 */
public final class TopicTrie<S> {
    /** Topics whose match result is cached; the cache is cleared when it grows past this. */
    static final int MAX_CACHED_TOPICS = 4096;

    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Level<S> root = new Level<>();
    private final Map<String, Integer> interest = new HashMap<>();
    private final Map<String, Cached<S>> cache = new ConcurrentHashMap<>();
    private final InterestListener interestListener;
    private volatile long generation;
    private int subscriptions;

    public TopicTrie() {
        this(InterestListener.NONE);
    }

    public TopicTrie(InterestListener interestListener) {
        this.interestListener = interestListener;
    }

    /** Adds {@code subscriber} under {@code pattern}; returns false if it was already there. */
    public boolean subscribe(TopicPattern pattern, S subscriber) {
        lock.writeLock().lock();
        try {
            Level<S> level = root;
            List<String> tokens = pattern.tokens();
            for (int i = 0; i < tokens.size(); i++) {
                String token = tokens.get(i);
                if (token.equals(TopicPattern.REST)) {
                    if (level.addRest(subscriber)) {
                        return added(pattern);
                    }
                    return false;
                }
                level = level.child(token);
            }
            if (level.addExact(subscriber)) {
                return added(pattern);
            }
            return false;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Removes {@code subscriber} from {@code pattern}; returns false if it was not there. */
    public boolean unsubscribe(TopicPattern pattern, S subscriber) {
        lock.writeLock().lock();
        try {
            if (!remove(root, pattern.tokens(), 0, subscriber)) {
                return false;
            }
            subscriptions--;
            changed();
            interest.computeIfPresent(pattern.text(), (p, count) -> {
                if (count == 1) {
                    interestListener.lastInterestGone(p);
                    return null;
                }
                return count - 1;
            });
            return true;
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** Every subscriber with a pattern matching {@code topic}, each once; an unmodifiable list. */
    public List<S> match(String topic) {
        long seen = generation;
        Cached<S> cached = cache.get(topic);
        if (cached != null && cached.generation == seen) {
            return cached.subscribers;
        }
        List<S> result;
        lock.readLock().lock();
        try {
            seen = generation;
            Set<S> found = new LinkedHashSet<>();
            collect(root, topic.split("\\.", -1), 0, found);
            result = List.copyOf(found);
        } finally {
            lock.readLock().unlock();
        }
        if (cache.size() >= MAX_CACHED_TOPICS) {
            cache.clear();
        }
        Cached<S> entry = new Cached<>(seen, result);
        cache.put(topic, entry);
        if (generation != seen) {
            // a change came after this result was collected, and may have emptied the cache before the put
            cache.remove(topic, entry);
        }
        return result;
    }

    /** Number of (pattern, subscriber) pairs. */
    public int size() {
        lock.readLock().lock();
        try {
            return subscriptions;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Distinct patterns with at least one subscriber. */
    public Set<String> patterns() {
        lock.readLock().lock();
        try {
            return Set.copyOf(interest.keySet());
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Under the write lock: cached results are stale now. */
    private void changed() {
        generation++;
        if (!cache.isEmpty()) {
            cache.clear();
        }
    }

    private boolean added(TopicPattern pattern) {
        subscriptions++;
        changed();
        if (interest.merge(pattern.text(), 1, Integer::sum) == 1) {
            interestListener.firstInterest(pattern.text());
        }
        return true;
    }

    private static <S> void collect(Level<S> level, String[] segments, int index, Set<S> found) {
        if (index < segments.length) {
            level.collectRest(found);
        } else {
            level.collectExact(found);
            return;
        }
        Level<S> literal = level.existingChild(segments[index]);
        if (literal != null) {
            collect(literal, segments, index + 1, found);
        }
        Level<S> star = level.existingChild(TopicPattern.ONE);
        if (star != null) {
            collect(star, segments, index + 1, found);
        }
    }

    private static <S> boolean remove(Level<S> level, List<String> tokens, int index, S subscriber) {
        if (index == tokens.size()) {
            return level.exact != null && level.exact.remove(subscriber);
        }
        String token = tokens.get(index);
        if (token.equals(TopicPattern.REST)) {
            return level.rest != null && level.rest.remove(subscriber);
        }
        Level<S> child = level.existingChild(token);
        if (child == null || !remove(child, tokens, index + 1, subscriber)) {
            return false;
        }
        if (child.isEmpty()) {
            level.children.remove(token);
        }
        return true;
    }

    /**
     * One level of the trie. Its maps and sets are created on first use: most levels have one child or one
     * subscriber, and with 100,000 patterns eagerly created empty collections held most of the heap (and kept
     * the garbage collector busy).
     */
    private static final class Level<S> {
        Map<String, Level<S>> children;
        Set<S> exact;
        Set<S> rest;

        Level<S> child(String token) {
            if (children == null) {
                children = new HashMap<>(4);
            }
            return children.computeIfAbsent(token, t -> new Level<>());
        }

        Level<S> existingChild(String token) {
            return children == null ? null : children.get(token);
        }

        boolean addExact(S subscriber) {
            if (exact == null) {
                exact = new LinkedHashSet<>(4);
            }
            return exact.add(subscriber);
        }

        boolean addRest(S subscriber) {
            if (rest == null) {
                rest = new LinkedHashSet<>(4);
            }
            return rest.add(subscriber);
        }

        void collectExact(Set<S> found) {
            addAllTo(exact, found);
        }

        void collectRest(Set<S> found) {
            addAllTo(rest, found);
        }

        private static <S> void addAllTo(Set<S> subscribers, Set<S> found) {
            if (subscribers != null) {
                found.addAll(subscribers);
            }
        }

        boolean isEmpty() {
            return (children == null || children.isEmpty()) && (exact == null || exact.isEmpty())
                    && (rest == null || rest.isEmpty());
        }
    }

    private record Cached<S>(long generation, List<S> subscribers) {
    }

    /** For tests: the number of trie levels, to check that removal prunes empty branches. */
    int levelCount() {
        lock.readLock().lock();
        try {
            List<Level<S>> todo = new ArrayList<>(List.of(root));
            int count = 0;
            while (!todo.isEmpty()) {
                Level<S> level = todo.remove(todo.size() - 1);
                count++;
                if (level.children != null) {
                    todo.addAll(level.children.values());
                }
            }
            return count;
        } finally {
            lock.readLock().unlock();
        }
    }
}
