package dev.nexus.server.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A WebSocket client for tests, on the JDK's java.net.http: every text message is parsed and queued; tests take
 * them in order, or skip to the first one matching a predicate.
 */
final class WsClient implements AutoCloseable {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final LinkedBlockingQueue<JsonNode> inbox = new LinkedBlockingQueue<>();
    /**
     * Messages an await passed over but kept, because the server does not order them against what was awaited:
     * events passed over while awaiting a reply, replies passed over while awaiting an event.
     */
    private final java.util.ArrayDeque<JsonNode> kept = new java.util.ArrayDeque<>();
    private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();
    private final HttpClient httpClient;
    private WebSocket socket;

    private WsClient(HttpClient httpClient) {
        this.httpClient = httpClient;
    }

    static WsClient connect(URI uri) {
        return connect(uri, null);
    }

    /** @param origin an Origin header to send, or null for none */
    static WsClient connect(URI uri, String origin) {
        return connect(HttpClient.newHttpClient(), uri, origin == null ? Map.of() : Map.of("Origin", origin));
    }

    /**
     * Connects with these upgrade headers over {@code httpClient} (which the client then owns).
     *
     * @throws java.util.concurrent.CompletionException wrapping a {@link java.net.http.WebSocketHandshakeException}
     *     when the server refuses the upgrade
     */
    static WsClient connect(HttpClient httpClient, URI uri, Map<String, String> headers) {
        WsClient client = new WsClient(httpClient);
        WebSocket.Builder builder = client.httpClient.newWebSocketBuilder().connectTimeout(TIMEOUT);
        headers.forEach(builder::header);
        try {
            client.socket = builder.buildAsync(uri, client.new Listener()).join();
        } catch (RuntimeException e) {
            httpClient.close();
            throw e;
        }
        return client;
    }

    /** The HTTP status with which the server refuses this upgrade; fails when it accepts it. */
    static int refusedUpgradeStatus(URI uri, Map<String, String> headers) {
        try (WsClient accepted = connect(HttpClient.newHttpClient(), uri, headers)) {
            throw new AssertionError("the upgrade was accepted");
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof java.net.http.WebSocketHandshakeException refused) {
                return refused.getResponse().statusCode();
            }
            throw e;
        }
    }

    void send(String text) {
        socket.sendText(text, true).join();
    }

    void send(JsonNode frame) {
        send(frame.toString());
    }

    void sendBinary(byte[] bytes) {
        socket.sendBinary(ByteBuffer.wrap(bytes), true).join();
    }

    /** Sends {@code {"action":"subscribe","topics":[...]}} and waits for its ack. */
    JsonNode subscribe(String... topics) {
        ObjectNode frame = WireJson.mapper().createObjectNode();
        frame.put("action", "subscribe");
        frame.put("id", "sub-" + String.join(",", topics));
        var array = frame.putArray("topics");
        for (String topic : topics) {
            array.add(topic);
        }
        send(frame);
        return awaitReply(frame.get("id").asText());
    }

    /** Publishes and waits for the ack (or error) with the frame's id. */
    JsonNode publish(String eventType, String payloadJson) {
        String id = "pub-" + System.nanoTime();
        send("{\"action\":\"publish\",\"id\":\"" + id + "\",\"event_type\":\"" + eventType + "\",\"payload\":"
                + payloadJson + "}");
        return awaitReply(id);
    }

    /** The next message of any kind. */
    JsonNode next() {
        return next(TIMEOUT);
    }

    JsonNode next(Duration timeout) {
        JsonNode message = poll(System.nanoTime() + timeout.toNanos());
        if (message == null) {
            throw new AssertionError("no message within " + timeout);
        }
        return message;
    }

    /** The next kept or received message, or null at the deadline. */
    private JsonNode poll(long deadlineNanos) {
        synchronized (kept) {
            if (!kept.isEmpty()) {
                return kept.pollFirst();
            }
        }
        try {
            return inbox.poll(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Skips messages until one matches; fails after the timeout. */
    JsonNode await(Predicate<JsonNode> matching) {
        return await(matching, m -> false);
    }

    /** Skips messages until one matches; those that {@code keep} accepts stay queued for later calls. */
    JsonNode await(Predicate<JsonNode> matching, Predicate<JsonNode> keep) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<JsonNode> skipped = new ArrayList<>();
        List<JsonNode> keeping = new ArrayList<>();
        try {
            while (System.nanoTime() < deadline) {
                JsonNode message = poll(deadline);
                if (message == null) {
                    break;
                }
                if (matching.test(message)) {
                    return message;
                }
                (keep.test(message) ? keeping : skipped).add(message);
            }
        } finally {
            synchronized (kept) {
                for (int i = keeping.size() - 1; i >= 0; i--) {
                    kept.addFirst(keeping.get(i));
                }
            }
        }
        throw new AssertionError("no matching message within " + TIMEOUT + "; skipped " + skipped + ", kept " + keeping);
    }

    /**
     * Every message up to and including the first that matches, in arrival order; fails after the timeout. Use a
     * later marker event to check that something did NOT arrive before it.
     */
    List<JsonNode> takeUntil(Predicate<JsonNode> matching) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        List<JsonNode> taken = new ArrayList<>();
        while (System.nanoTime() < deadline) {
            JsonNode message = poll(deadline);
            if (message == null) {
                break;
            }
            taken.add(message);
            if (matching.test(message)) {
                return taken;
            }
        }
        throw new AssertionError("no matching message within " + TIMEOUT + "; received " + taken);
    }

    /** Every message up to and including the first event of {@code eventType}. */
    List<JsonNode> takeUntilEvent(String eventType) {
        return takeUntil(m -> !m.has("type") && eventType.equals(m.path("event_type").asText()));
    }

    /** Sends {@code {"action":"ping","id":id}} and waits for the pong with that id. */
    JsonNode ping(String id) {
        send("{\"action\":\"ping\",\"id\":\"" + id + "\"}");
        return awaitReply(id);
    }

    /** The reply with this id; events received meanwhile are kept (the server does not order acks against events). */
    JsonNode awaitReply(String id) {
        return await(m -> m.has("type") && id.equals(m.path("id").asText(null)), m -> !m.has("type"));
    }

    /** The next event of this type; replies received meanwhile are kept, other events are passed over. */
    JsonNode awaitEvent(String eventType) {
        return await(m -> !m.has("type") && eventType.equals(m.path("event_type").asText()), m -> m.has("type"));
    }

    /** Messages already received and not yet taken. */
    List<JsonNode> drain() {
        List<JsonNode> messages = new ArrayList<>();
        synchronized (kept) {
            messages.addAll(kept);
            kept.clear();
        }
        inbox.drainTo(messages);
        return messages;
    }

    /** Completes with the close code the server sent (or 1006 when the connection dropped). */
    CompletableFuture<Integer> closeCode() {
        return closeCode;
    }

    /** Drops the TCP connection without a close handshake, as a crashed client would. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        if (!socket.isOutputClosed()) {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                socket.abort();
            }
        }
        closeCode.completeOnTimeout(-1, 5, TimeUnit.SECONDS);
        httpClient.close();
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    inbox.add(WireJson.mapper().readTree(partial.toString()));
                } catch (IOException e) {
                    inbox.add(WireJson.mapper().createObjectNode().put("unparseable", partial.toString()));
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closeCode.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closeCode.complete(1006);
        }
    }
}
