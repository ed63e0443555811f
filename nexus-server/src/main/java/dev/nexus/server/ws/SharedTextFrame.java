package dev.nexus.server.ws;

import io.netty.buffer.Unpooled;
import io.vertx.core.http.WebSocketFrame;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;

/**
 * Makes a text frame over bytes that are already UTF-8 JSON, without copying or re-encoding them. Vert.x's
 * public API builds text frames only from a {@code String}, which would encode every event once per subscriber;
 * its frame implementation accepts a Netty buffer, and a wrapped buffer shares the array. The array is never
 * written to, so any number of connections can send it at once.
 */
final class SharedTextFrame {
    private SharedTextFrame() {
    }

    static WebSocketFrame of(byte[] utf8Json) {
        return new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8Json), true);
    }
}
