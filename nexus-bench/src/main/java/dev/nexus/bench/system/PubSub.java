package dev.nexus.bench.system;

/**
 * One publish/subscribe system under load (Nexus, nats-server or Redis), reduced to what the scenarios need so
 * each runs the same shape against each: one connection per subscriber and per publisher, the same payload bytes.
 *
 * <p>Subscribing blocks until the system has confirmed the subscription (Nexus's ack, a NATS flush, Redis's
 * SUBSCRIBE reply), so no delivery is missed by a publish that follows it. {@link #close()} closes every connection
 * opened through this object; idempotent.
 */
public interface PubSub extends AutoCloseable {
    /** {@code nexus}, {@code nats} or {@code redis}: the name used in reports. */
    String name();

    /** Opens a connection subscribed to exactly {@code topic}; {@code inbox} is called on a client I/O thread. */
    void subscribe(String topic, Inbox inbox) throws Exception;

    /**
     * Opens a connection subscribed with a wildcard to every topic of one more segment under {@code prefix}
     * ({@code prefix.>} in Nexus and NATS, {@code PSUBSCRIBE prefix.*} in Redis).
     */
    void subscribeUnder(String prefix, Inbox inbox) throws Exception;

    /** Opens a publishing connection. */
    Publisher publisher() throws Exception;

    /**
     * Subscriber connections the system closed while they were in use (Nexus disconnects a slow consumer); 0 for
     * systems that drop messages instead (NATS) or where the client does not tell (Redis): there, deliveries
     * received below those expected show the loss. The default is that 0.
     */
    default long subscribersLost() {
        return 0;
    }

    @Override
    void close();

    /** Receives deliveries; must not block (it runs on the client's I/O or dispatch thread). */
    @FunctionalInterface
    interface Inbox {
        /** @param receivedNanos {@link System#nanoTime()} when the message was taken off the connection */
        void onMessage(long receivedNanos, ByteView message);
    }

    /**
     * A publishing connection. {@link #publish} may be called from one thread at a time and does not wait for the
     * system; {@link #accepted()} counts publishes the system confirmed (Nexus acks, Redis PUBLISH replies) or, for
     * NATS, which confirms nothing, publishes handed to the client.
     */
    interface Publisher {
        void publish(String topic, byte[] payload);

        long accepted();

        /** Publishes the system refused. */
        long errors();
    }

    /** Read access to a received message's bytes without copying them. */
    interface ByteView {
        int length();

        byte at(int index);
    }
}
