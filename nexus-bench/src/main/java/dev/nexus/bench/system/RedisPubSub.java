package dev.nexus.bench.system;

import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Redis pub/sub through Lettuce (Netty): one connection per subscriber ({@code SUBSCRIBE}, or {@code PSUBSCRIBE}
 * for a wildcard) and per publisher ({@code PUBLISH}, counted as accepted when Redis replies). The client's I/O
 * threads are limited to {@code eventLoops}, as the Nexus client's are.
 */
public final class RedisPubSub implements PubSub {
    private final ClientResources resources;
    private final RedisClient client;
    private volatile boolean closed;

    public RedisPubSub(URI url, int eventLoops) {
        this.resources = DefaultClientResources.builder().ioThreadPoolSize(Math.max(2, eventLoops))
                .computationThreadPoolSize(Math.max(2, eventLoops)).build();
        this.client = RedisClient.create(resources, RedisURI.create(url.toString()));
    }

    @Override
    public String name() {
        return "redis";
    }

    @Override
    public void subscribe(String topic, Inbox inbox) {
        connectListening(inbox).sync().subscribe(bytes(topic));
    }

    @Override
    public void subscribeUnder(String prefix, Inbox inbox) {
        connectListening(inbox).sync().psubscribe(bytes(prefix + ".*"));
    }

    private StatefulRedisPubSubConnection<byte[], byte[]> connectListening(Inbox inbox) {
        StatefulRedisPubSubConnection<byte[], byte[]> connection = client.connectPubSub(ByteArrayCodec.INSTANCE);
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] channel, byte[] message) {
                inbox.onMessage(System.nanoTime(), Payload.view(message));
            }

            @Override
            public void message(byte[] pattern, byte[] channel, byte[] message) {
                inbox.onMessage(System.nanoTime(), Payload.view(message));
            }
        });
        return connection;
    }

    @Override
    public Publisher publisher() {
        StatefulRedisConnection<byte[], byte[]> connection = client.connect(ByteArrayCodec.INSTANCE);
        AtomicLong accepted = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        return new Publisher() {
            @Override
            public void publish(String topic, byte[] payload) {
                connection.async().publish(bytes(topic), payload).whenComplete((receivers, failure) ->
                        (failure == null ? accepted : errors).incrementAndGet());
            }

            @Override
            public long accepted() {
                return accepted.get();
            }

            @Override
            public long errors() {
                return errors.get();
            }
        };
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        client.shutdown(0, 10, TimeUnit.SECONDS);
        resources.shutdown(0, 10, TimeUnit.SECONDS);
    }
}
