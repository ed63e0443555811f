package dev.nexus.bench.system;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.vertx.core.Context;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.impl.websocket.WebSocketImplBase;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.buffer.BufferInternal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Nexus over its WebSocket protocol, on a Vert.x (Netty) client: one session per subscriber and per publisher,
 * {@code subscribe} and {@code publish} frames as any client sends them. Incoming messages are inspected as bytes
 * (no string decoding, no JSON parsing): a server reply starts with {@code {"type"}, anything else is an event.
 *
 * <p>The Vert.x instance and its client are held for the life of this object (Vert.x closes a client that becomes
 * unreachable, and its connections with it).
 */
public final class NexusPubSub implements PubSub {
    private static final long CONNECT_TIMEOUT_SECONDS = 30;
    private static final int TOPICS_PER_FRAME = 256;

    private final URI url;
    private final Vertx vertx;
    private final WebSocketClient client;
    /** One context per client event loop: connections are opened on them in turn (see {@link #connect}). */
    private final List<Context> loops;
    private final String runId = Long.toHexString(System.nanoTime());
    private final AtomicInteger sessions = new AtomicInteger();
    private final List<WebSocket> sockets = new CopyOnWriteArrayList<>();
    private final AtomicLong subscribersLost = new AtomicLong();
    private volatile boolean closed;

    /** @param eventLoops client I/O threads */
    public NexusPubSub(URI url, int eventLoops) {
        this.url = url;
        this.vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(eventLoops));
        this.client = vertx.createWebSocketClient(new WebSocketClientOptions()
                .setMaxConnections(Integer.MAX_VALUE).setMaxFrameSize(1 << 20).setMaxMessageSize(1 << 22));
        List<Context> contexts = new ArrayList<>(eventLoops);
        for (int i = 0; i < eventLoops; i++) {
            contexts.add(((VertxInternal) vertx).createEventLoopContext());
        }
        this.loops = List.copyOf(contexts);
    }

    @Override
    public String name() {
        return "nexus";
    }

    @Override
    public void subscribe(String topic, Inbox inbox) throws Exception {
        subscribeAll(List.of(topic), inbox);
    }

    @Override
    public void subscribeUnder(String prefix, Inbox inbox) throws Exception {
        subscribe(prefix + ".>", inbox);
    }

    /** One session subscribed to every pattern in {@code patterns}, in one frame. */
    public void subscribeAll(List<String> patterns, Inbox inbox) throws Exception {
        subscribeAllAsync(patterns, inbox).get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * As {@link #subscribeAll}, without waiting: completes when the server has acknowledged every pattern. The
     * patterns go in frames of at most {@value #TOPICS_PER_FRAME} (the server's limit per frame).
     */
    public CompletableFuture<Void> subscribeAllAsync(List<String> patterns, Inbox inbox) {
        CompletableFuture<Void> subscribed = new CompletableFuture<>();
        List<String> frames = new java.util.ArrayList<>();
        for (int from = 0; from < patterns.size(); from += TOPICS_PER_FRAME) {
            List<String> chunk = patterns.subList(from, Math.min(patterns.size(), from + TOPICS_PER_FRAME));
            StringBuilder frame = new StringBuilder("{\"action\":\"subscribe\",\"topics\":[");
            for (int i = 0; i < chunk.size(); i++) {
                frame.append(i == 0 ? "\"" : ",\"").append(chunk.get(i)).append('"');
            }
            frames.add(frame.append("]}").toString());
        }
        AtomicInteger awaitedAcks = new AtomicInteger(frames.size());
        connect("s").onComplete(connected -> {
            if (connected.failed()) {
                subscribed.completeExceptionally(connected.cause());
                return;
            }
            WebSocket socket = connected.result();
            socket.closeHandler(v -> {
                if (!closed) {
                    subscribersLost.incrementAndGet();
                }
            });
            BufferView view = new BufferView();
            socket.handler(buffer -> {
                long now = System.nanoTime();
                if (isReply(buffer)) {
                    if (isError(buffer)) {
                        subscribed.completeExceptionally(new IllegalStateException(buffer.toString(StandardCharsets.UTF_8)));
                    } else if (awaitedAcks.decrementAndGet() == 0) {
                        subscribed.complete(null);
                    }
                    return;
                }
                view.reset(buffer);
                inbox.onMessage(now, view);
            });
            frames.forEach(socket::writeTextMessage);
        });
        return subscribed;
    }

    @Override
    public long subscribersLost() {
        return subscribersLost.get();
    }

    @Override
    public Publisher publisher() throws Exception {
        WebSocket socket = connect("p").toCompletionStage().toCompletableFuture().get(CONNECT_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        return new NexusPublisher(socket);
    }

    /**
     * Opens a session's connection on the next client event loop in turn. Vert.x ties every call from one
     * non-Vert.x thread to a single event loop, so connecting straight from the driver thread would put every
     * connection on one loop and make that loop the bottleneck of the run.
     */
    private io.vertx.core.Future<WebSocket> connect(String role) {
        if (closed) {
            return io.vertx.core.Future.failedFuture("closed");
        }
        int session = sessions.incrementAndGet();
        String path = "/ws/session/bench-" + runId + "-" + role + session;
        Promise<WebSocket> connected = Promise.promise();
        loops.get(session % loops.size())
                .runOnContext(v -> client.connect(url.getPort(), url.getHost(), path).onComplete(connected));
        return connected.future().onSuccess(sockets::add);
    }

    private static boolean isReply(Buffer buffer) {
        return buffer.length() > 3 && buffer.getByte(2) == 't' && buffer.getByte(1) == '"';
    }

    private static boolean isError(Buffer buffer) {
        return buffer.length() > 12 && buffer.getByte(9) == 'e' && buffer.getByte(10) == 'r';
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            client.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
            vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // closing at the end of a run: nothing depends on it finishing cleanly
        }
    }

    /**
     * A publishing session. {@link #publish} queues the frame and, unless a drain is already pending, schedules one
     * on the connection's event loop; the drain writes every queued frame without flushing and flushes once, as
     * jnats's writer does, so a fast publisher costs one {@code write} per burst rather than one per frame. Acks
     * and errors are counted on the event loop. The frames go through the WebSocket's channel context (public on
     * Vert.x's implementation class; Netty's encoder masks them); another implementation falls back to Vert.x's
     * own writes, one flush each. The queue is bounded by the caller: the throughput scenarios stop publishing
     * at their window of outstanding deliveries; the open-loop latency scenario sends at its fixed rate.
     */
    private static final class NexusPublisher implements Publisher {
        private final WebSocket socket;
        private final ChannelHandlerContext channel;
        private final ConcurrentLinkedQueue<String> queued = new ConcurrentLinkedQueue<>();
        private final AtomicBoolean drainScheduled = new AtomicBoolean();
        private final AtomicLong accepted = new AtomicLong();
        private final AtomicLong errors = new AtomicLong();

        NexusPublisher(WebSocket socket) {
            this.socket = socket;
            this.channel = socket instanceof WebSocketImplBase<?> base ? base.channelHandlerContext() : null;
            socket.handler(buffer -> {
                if (isReply(buffer)) {
                    (isError(buffer) ? errors : accepted).incrementAndGet();
                }
            });
        }

        @Override
        public void publish(String topic, byte[] payload) {
            String frame = "{\"action\":\"publish\",\"event_type\":\"" + topic + "\",\"payload\":"
                    + new String(payload, StandardCharsets.UTF_8) + "}";
            if (channel == null) {
                socket.writeTextMessage(frame);
                return;
            }
            queued.add(frame);
            if (drainScheduled.compareAndSet(false, true)) {
                channel.executor().execute(this::drain);
            }
        }

        private void drain() {
            drainScheduled.set(false);
            String frame;
            while ((frame = queued.poll()) != null) {
                channel.write(new TextWebSocketFrame(frame));
            }
            channel.flush();
        }

        @Override
        public long accepted() {
            return accepted.get();
        }

        @Override
        public long errors() {
            return errors.get();
        }
    }

    /**
     * A reusable view of the last buffer a connection received (one per connection, used on its event loop). It
     * reads the heap array under Vert.x's buffer in place: copying every delivery out (as {@code getBytes} does)
     * was two thirds of the generator's allocation, and its garbage collections showed up as latency of the
     * system under test. A buffer without an accessible array is copied once, on the first read.
     */
    private static final class BufferView implements ByteView {
        private Buffer buffer;
        private byte[] array;
        private int offset;

        void reset(Buffer next) {
            buffer = next;
            ByteBuf bytes = next instanceof BufferInternal internal ? internal.unwrap() : null;
            if (bytes != null && bytes.hasArray()) {
                array = bytes.array();
                offset = bytes.arrayOffset() + bytes.readerIndex();
            } else {
                array = null;
                offset = 0;
            }
        }

        @Override
        public int length() {
            return buffer.length();
        }

        @Override
        public byte at(int index) {
            if (array == null) {
                array = buffer.getBytes();
            }
            return array[offset + index];
        }
    }
}
