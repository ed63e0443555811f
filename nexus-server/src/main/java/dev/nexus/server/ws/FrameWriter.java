package dev.nexus.server.ws;

import dev.nexus.core.EncodedEvent;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionEncoder;
import io.vertx.core.Context;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.websocket.WebSocketFrameImpl;
import io.vertx.core.http.impl.websocket.WebSocketImplBase;
import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes text frames to one WebSocket and flushes them together: a drain of the connection's queue writes every
 * frame without flushing, then flushes once, so a burst costs one {@code write} syscall instead of one per frame.
 * An event's whole frame is encoded once per event loop and shared by the connections on it ({@link EventFrames});
 * it is written below the WebSocket encoder, which passes buffers through. Frames are
 * written without a completion listener each: what is still unwritten is read from the channel's outbound buffer
 * ({@link #unwrittenBytes()}), which is what bounds a slow consumer.
 *
 * <p>Vert.x's public API flushes every frame and builds text frames only from strings, so this writes Netty
 * frames through the WebSocket's channel context (public on Vert.x's implementation class). A socket upgraded
 * through a vertx-web router comes wrapped ({@code ServerWebSocketWrapper}, which adds forwarded-header views and
 * keeps the connection's socket in a private field): that socket is read from the wrapper. If neither works, it
 * falls back to the public API: correct, one flush per frame. Call only on the socket's event loop.
 */
final class FrameWriter {
    /** vertx-web's wrapper's field holding the connection's socket, or null where it is not there. */
    private static final Field WRAPPED = wrappedField();

    private final ServerWebSocket socket;
    private final ChannelHandlerContext channel;
    /**
     * Whether encoded frames may be written below the WebSocket encoder: the channel was found and no extension
     * (per-message compression) transforms frames on their way out.
     */
    private final boolean sharesEventFrames;
    /** Bytes handed to Vert.x and not yet written, on the fallback path only. */
    private final AtomicLong fallbackUnwritten = new AtomicLong();

    FrameWriter(ServerWebSocket socket) {
        this.socket = socket;
        this.channel = unwrap(socket) instanceof WebSocketImplBase<?> base ? base.channelHandlerContext() : null;
        this.sharesEventFrames = channel != null && channel.pipeline().get(WebSocketExtensionEncoder.class) == null;
    }

    /** The connection's Netty pipeline, or null where the socket's channel was not reachable. */
    ChannelPipeline pipeline() {
        return channel == null ? null : channel.pipeline();
    }

    /** Whether frames are written without a flush each (the channel context was found). */
    boolean coalesces() {
        return channel != null;
    }

    /** Whether events are written as this loop's shared frames ({@link EventFrames}). */
    boolean sharesEventFrames() {
        return sharesEventFrames;
    }

    private static ServerWebSocket unwrap(ServerWebSocket socket) {
        if (WRAPPED == null || !WRAPPED.getDeclaringClass().isInstance(socket)) {
            return socket;
        }
        try {
            return (ServerWebSocket) WRAPPED.get(socket);
        } catch (IllegalAccessException | RuntimeException e) {
            return socket;
        }
    }

    private static Field wrappedField() {
        try {
            Field field = Class.forName("io.vertx.ext.web.impl.ServerWebSocketWrapper").getDeclaredField("delegate");
            field.setAccessible(true);
            return ServerWebSocket.class.isAssignableFrom(field.getType()) ? field : null;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Queues the frame of an event: on the channel, this loop's shared frame of it ({@link EventFrames}); on the
     * fallback, a text frame over its JSON.
     */
    void event(EncodedEvent event) {
        if (sharesEventFrames) {
            channel.write(EventFrames.onThisThread().frameFor(event, channel.alloc()), channel.voidPromise());
        } else {
            text(event.json());
        }
    }

    /**
     * Queues a text frame over {@code utf8Json} (an event's shared bytes or a reply; never modified). A failed
     * write surfaces as the socket's exception and close, not here.
     */
    void text(byte[] utf8Json) {
        if (channel != null) {
            channel.write(new TextWebSocketFrame(Unpooled.wrappedBuffer(utf8Json)), channel.voidPromise());
        } else {
            fallbackUnwritten.addAndGet(utf8Json.length);
            socket.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, Unpooled.wrappedBuffer(utf8Json), true))
                    .onComplete(result -> fallbackUnwritten.addAndGet(-utf8Json.length));
        }
    }

    /** Bytes queued to the socket and not yet written to it. Any thread. */
    long unwrittenBytes() {
        if (channel == null) {
            return fallbackUnwritten.get();
        }
        ChannelOutboundBuffer buffer = channel.channel().unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes();
    }

    /**
     * Runs {@code task} on the socket's event loop, after what is already queued there: straight on the Netty
     * loop (no Vert.x dispatch, nothing allocated for a task made once) when the channel was found.
     */
    void onEventLoop(Runnable task, Context context) {
        if (channel != null) {
            channel.executor().execute(task);
        } else {
            context.runOnContext(v -> task.run());
        }
    }

    /** Sends what was queued. */
    void flush() {
        if (channel != null) {
            channel.flush();
        }
    }
}
