package dev.nexus.core.inbox;

import dev.nexus.core.EncodedEvent;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.core.spi.InboxEntry;
import dev.nexus.core.spi.InboxEntry.State;
import dev.nexus.core.spi.InboxStore;
import dev.nexus.protocol.AckRequest;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.NexusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The inbox of every session: each direct message addressed to it, from the moment it is durable in the log until
 * the bound evicts it. The working state is here, in memory; every change is also written to an {@link InboxStore}
 * by an {@link InboxWriter}, so it survives a restart when the store is durable.
 *
 * <p><b>Delivery.</b> A message is {@code pending} until it is handed to a live connection of its recipient, then
 * {@code delivered}; the recipient's acknowledgement makes it {@code read}. {@link #deliverPending} hands over every
 * pending message of a session in seq order and marks it delivered in the same step, under the inbox's lock, so
 * whichever of "the message arrived" and "the session connected" comes second delivers it, once per connection.
 * Delivery is at least once until acknowledged: when the session connects again, messages delivered to an earlier
 * connection but never acknowledged are handed over again (that connection may have died before its client read
 * them), in seq order with the pending ones.
 *
 * <p><b>Bound.</b> Each inbox holds at most {@code maxPerSession} messages. When it is full, the oldest message
 * already read (else the oldest delivered) makes room; a message is refused with {@code inbox_full} only when every
 * message held is still pending, so nothing undelivered is ever dropped. Refusal happens in {@link #reserve},
 * before the message is stored anywhere.
 */
public final class Inboxes implements AutoCloseable {
    private final int maxPerSession;
    private final InboxWriter writer;
    private final ConcurrentHashMap<String, Inbox> inboxes = new ConcurrentHashMap<>();

    /** Loads what the store holds. */
    public Inboxes(InboxStore store, int maxPerSession) {
        if (maxPerSession < 1) {
            throw new IllegalArgumentException("inbox size must be positive: " + maxPerSession);
        }
        this.maxPerSession = maxPerSession;
        this.writer = new InboxWriter(store);
        for (InboxEntry entry : store.loadAll()) {
            inbox(entry.recipient()).load(entry);
        }
    }

    public int maxPerSession() {
        return maxPerSession;
    }

    /**
     * Makes room for one more message to {@code recipient}, to be filled by {@link #add} or given back by
     * {@link #cancel}.
     *
     * @throws NexusException {@code inbox_full} (with {@code target_session_id}, {@code max_messages}) when every
     *     message the inbox holds is still pending
     */
    public void reserve(String recipient) {
        inbox(recipient).reserve();
    }

    /** Gives back a reservation whose message was not stored. */
    public void cancel(String recipient) {
        inbox(recipient).cancel();
    }

    /**
     * Puts a durable direct message, for which {@link #reserve} was called, in its recipient's inbox as pending.
     *
     * @return completes when the entry is in the store; fails with {@code store_unavailable} when it cannot be
     */
    public CompletableFuture<Void> add(EncodedEvent message) {
        Event event = message.event();
        Inbox inbox = inbox(event.targetSessionId());
        InboxEntry entry = new InboxEntry(event.targetSessionId(), event.seq(), event.eventId(), event.sessionId(),
                event.eventType(), message.json(), State.PENDING);
        return inbox.add(entry, message);
    }

    /**
     * Hands every pending message of {@code recipient} to {@code connection}, oldest first, and marks them
     * delivered; when the session (re)connects, also those delivered before and not yet acknowledged.
     *
     * @param live true when called as a message arrives, false when the session (re)connects
     */
    public void deliverPending(String recipient, Subscriber connection, boolean live) {
        Inbox inbox = inboxes.get(recipient);
        if (inbox != null) {
            inbox.deliverPending(connection, live);
        }
    }

    /**
     * The messages of an inbox, oldest first.
     *
     * @param unreadOnly only those not yet acknowledged
     * @param limit most messages returned
     */
    public List<InboxMessage> list(String recipient, boolean unreadOnly, int limit) {
        Inbox inbox = inboxes.get(recipient);
        return inbox == null ? List.of() : inbox.list(unreadOnly, limit);
    }

    /** Messages of the inbox not yet acknowledged. */
    public int unread(String recipient) {
        Inbox inbox = inboxes.get(recipient);
        return inbox == null ? 0 : inbox.unread();
    }

    /**
     * Marks messages read. Ids not in the inbox, and messages already read, are ignored.
     *
     * @return the messages this call marked read, oldest first
     */
    public List<InboxMessage> ack(String recipient, AckRequest request) {
        Inbox inbox = inboxes.get(recipient);
        return inbox == null ? List.of() : inbox.ack(request);
    }

    /** Waits for queued writes and stops the writer. */
    @Override
    public void close() {
        writer.close();
    }

    private Inbox inbox(String recipient) {
        return inboxes.computeIfAbsent(recipient, Inbox::new);
    }

    /** One session's inbox; every method holds its lock. */
    private final class Inbox {
        private final String recipient;
        private final java.util.TreeMap<Long, InboxMessage> messages = new java.util.TreeMap<>();
        private int pending;
        private int unread;
        private int reserved;

        Inbox(String recipient) {
            this.recipient = recipient;
        }

        synchronized void load(InboxEntry entry) {
            put(new InboxMessage(entry, null));
        }

        synchronized void reserve() {
            if (pending + reserved >= maxPerSession) {
                throw new NexusException(ErrorCode.INBOX_FULL, "the inbox of " + recipient + " holds "
                        + maxPerSession + " messages it has not received yet; retry once it has connected and "
                        + "read some", Map.of("target_session_id", recipient, "max_messages", maxPerSession));
            }
            reserved++;
        }

        synchronized void cancel() {
            reserved = Math.max(0, reserved - 1);
        }

        synchronized CompletableFuture<Void> add(InboxEntry entry, EncodedEvent encoded) {
            cancel();
            List<InboxEntry> evicted = new ArrayList<>();
            while (messages.size() >= maxPerSession) {
                InboxMessage victim = oldestIn(State.READ);
                if (victim == null) {
                    victim = oldestIn(State.DELIVERED);
                }
                remove(victim);
                evicted.add(victim.entry());
            }
            InboxMessage message = new InboxMessage(entry, encoded);
            put(message);
            if (!evicted.isEmpty()) {
                writer.delete(evicted);
            }
            CompletableFuture<Void> saved = writer.save(List.of(entry));
            if (saved.isCompletedExceptionally()) {
                remove(message); // the writer refused it: the publish fails, so the inbox must not keep it
            }
            return saved;
        }

        synchronized void deliverPending(Subscriber connection, boolean live) {
            if (live ? pending == 0 : unread == 0) {
                return;
            }
            List<InboxEntry> marked = new ArrayList<>();
            for (InboxMessage message : new ArrayList<>(messages.values())) {
                State state = message.entry().state();
                if (state == State.PENDING) {
                    connection.deliver(message.encoded(live));
                    InboxMessage delivered = message.withState(State.DELIVERED);
                    replace(message, delivered);
                    marked.add(delivered.entry());
                } else if (state == State.DELIVERED && !live) {
                    connection.deliver(message.encoded(false)); // pushed before, never acknowledged: again
                }
            }
            if (!marked.isEmpty()) {
                writer.save(marked);
            }
        }

        synchronized List<InboxMessage> list(boolean unreadOnly, int max) {
            List<InboxMessage> result = new ArrayList<>();
            for (InboxMessage message : messages.values()) {
                if (result.size() >= max) {
                    break;
                }
                if (!unreadOnly || message.entry().state() != State.READ) {
                    result.add(message);
                }
            }
            return result;
        }

        synchronized int unread() {
            return unread;
        }

        synchronized List<InboxMessage> ack(AckRequest request) {
            List<InboxMessage> read = new ArrayList<>();
            Consumer<InboxMessage> markRead = message -> {
                if (message.entry().state() != State.READ) {
                    InboxMessage now = message.withState(State.READ);
                    replace(message, now);
                    read.add(now);
                }
            };
            if (request.upToSeq() != null) {
                new ArrayList<>(messages.headMap(request.upToSeq(), true).values()).forEach(markRead);
            } else {
                java.util.Set<String> ids = new java.util.HashSet<>(request.eventIds());
                new ArrayList<>(messages.values()).stream().filter(m -> ids.contains(m.entry().eventId()))
                        .forEach(markRead);
            }
            read.sort(java.util.Comparator.comparingLong(m -> m.entry().seq()));
            if (!read.isEmpty()) {
                writer.save(read.stream().map(InboxMessage::entry).toList());
            }
            return read;
        }

        private InboxMessage oldestIn(State state) {
            for (InboxMessage message : messages.values()) {
                if (message.entry().state() == state) {
                    return message;
                }
            }
            return null;
        }

        private void put(InboxMessage message) {
            messages.put(message.entry().seq(), message);
            count(message.entry().state(), 1);
        }

        private void remove(InboxMessage message) {
            messages.remove(message.entry().seq());
            count(message.entry().state(), -1);
        }

        private void replace(InboxMessage old, InboxMessage now) {
            remove(old);
            put(now);
        }

        private void count(State state, int delta) {
            if (state == State.PENDING) {
                pending += delta;
            }
            if (state != State.READ) {
                unread += delta;
            }
        }
    }
}
