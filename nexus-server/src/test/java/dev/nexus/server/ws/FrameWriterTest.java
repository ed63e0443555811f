package dev.nexus.server.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.WebSocketClient;
import io.vertx.ext.web.Router;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
}
