package dev.nexus.bench.system;

import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A nats-server through jnats (core NATS, no JetStream): one connection per subscriber (a dispatcher on it) and per
 * publisher. A subscription counts as made once a flush round-trip has passed after it.
 */
public final class NatsPubSub implements PubSub {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI url;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    public NatsPubSub(URI url) {
        this.url = url;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public void subscribe(String topic, Inbox inbox) throws Exception {
        Connection connection = connect();
        Dispatcher dispatcher = connection.createDispatcher(message -> inbox.onMessage(System.nanoTime(),
                Payload.view(message.getData())));
        dispatcher.subscribe(topic);
        connection.flush(TIMEOUT);
    }

    @Override
    public void subscribeUnder(String prefix, Inbox inbox) throws Exception {
        subscribe(prefix + ".>", inbox);
    }

    @Override
    public Publisher publisher() throws Exception {
        Connection connection = connect();
        AtomicLong published = new AtomicLong();
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] payload) {
                connection.publish(topic, payload);
                published.incrementAndGet();
            }

            @Override
            public long accepted() {
                return published.get();
            }

            @Override
            public long errors() {
                return 0;
            }
        };
    }

    private Connection connect() throws Exception {
        Connection connection = Nats.connect(new Options.Builder().server(url.toString()).connectionTimeout(TIMEOUT)
                .maxReconnects(0).connectionName("nexus-bench").build());
        connections.add(connection);
        return connection;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection connection : connections) {
            try {
                connection.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

}
