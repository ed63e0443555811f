package dev.nexus.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.nexus.core.EncodedEvent;
import dev.nexus.protocol.Event;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A socket upgraded through a vertx-web router (as the server's endpoint does) is written through its channel
 * context, frames queued and flushed together, and they reach the client whole and in order.
 */
class FrameWriterTest {
    private final Vertx vertx = Vertx.vertx();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    @Test
    void routerUpgradedSocketCoalescesAndDeliversFramesInOrder() throws Exception {
        CompletableFuture<Boolean> coalesces = new CompletableFuture<>();
        Router router = Router.router(vertx);
        router.route("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(socket -> {
            FrameWriter frames = new FrameWriter(socket);
            coalesces.complete(frames.coalesces());
            frames.text("{\"n\":1}".getBytes(StandardCharsets.UTF_8));
            frames.text("{\"type\":\"ack\"}".getBytes(StandardCharsets.UTF_8));
            frames.text("{\"n\":2}".getBytes(StandardCharsets.UTF_8));
            frames.flush();
        }));
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        WebSocketClient client = vertx.createWebSocketClient();
        List<String> received = new CopyOnWriteArrayList<>();
        // the handler is set as the connect completes, on the client's event loop, before any frame is read
        client.connect(server.actualPort(), "127.0.0.1", "/ws").onSuccess(socket -> socket.textMessageHandler(received::add))
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);

        assertThat(coalesces.get(10, TimeUnit.SECONDS)).as("writes through the channel, one flush per drain").isTrue();
        await().atMost(Duration.ofSeconds(10)).until(() -> received.size() == 3);
        assertThat(received).containsExactly("{\"n\":1}", "{\"type\":\"ack\"}", "{\"n\":2}");
    }

    @Test
    void eventFramesSharedByTwoConnectionsArriveWholeAndInOrderBetweenReplies() throws Exception {
        List<EncodedEvent> events = List.of(event(1, 10), event(2, 1_000), event(3, 70_000), event(4, 10));
        CompletableFuture<Boolean> shares = new CompletableFuture<>();
        Router router = Router.router(vertx);
        router.route("/ws").handler(ctx -> ctx.request().toWebSocket().onSuccess(socket -> {
            FrameWriter frames = new FrameWriter(socket);
            shares.complete(frames.sharesEventFrames());
            frames.event(events.get(0));
            frames.text("{\"type\":\"ack\"}".getBytes(StandardCharsets.UTF_8));
            events.subList(1, events.size()).forEach(frames::event);
            frames.flush();
        }));
        // one event loop for the server, so both connections share its frames
        HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1")
                .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxMessageSize(1 << 20));
        List<List<String>> received = List.of(new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        for (List<String> inbox : received) {
            client.connect(server.actualPort(), "127.0.0.1", "/ws").onSuccess(socket -> socket.textMessageHandler(inbox::add))
                    .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }

        assertThat(shares.get(10, TimeUnit.SECONDS)).as("events written as shared frames").isTrue();
        List<String> expected = new ArrayList<>();
        expected.add(json(events.get(0)));
        expected.add("{\"type\":\"ack\"}");
        events.subList(1, events.size()).forEach(event -> expected.add(json(event)));
        for (List<String> inbox : received) {
            await().atMost(Duration.ofSeconds(10)).until(() -> inbox.size() == expected.size());
            assertThat(inbox).containsExactlyElementsOf(expected);
        }
    }

    private static String json(EncodedEvent event) {
        return new String(event.json(), StandardCharsets.UTF_8);
    }

    private static EncodedEvent event(long seq, int payloadChars) {
        var payload = JsonNodeFactory.instance.objectNode().put("text", "é".repeat(payloadChars / 2));
        return EncodedEvent.of(new Event("0190a5d4-0000-7000-8000-000000000001", seq, "orders.created", "s1",
                Instant.parse("2026-11-23T12:00:00Z"), payload, null, null, null, null, null, null, null), 0);
    }
}
