package dev.nexus.server.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.EncodedEvent;
import dev.nexus.core.Node;
import dev.nexus.core.Published;
import dev.nexus.core.Resume;
import dev.nexus.core.SessionConnection;
import dev.nexus.core.inbox.InboxMessage;
import dev.nexus.core.routing.Subscriber;
import dev.nexus.protocol.ClientFrame;
import dev.nexus.protocol.ClientFrameReader;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.ServerFrames;
import dev.nexus.protocol.WireTime;
import dev.nexus.server.auth.Principal;
import dev.nexus.server.auth.TopicPolicy;
import dev.nexus.server.http.InboxViews;
import dev.nexus.server.work.WorkDispatcher;
import io.vertx.core.Context;
import io.vertx.core.buffer.Buffer;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.vertx.core.http.ServerWebSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One session's WebSocket: maps client frames to core calls and writes events out. A thin adapter; routing and
 * rules live in the core.
 *
 * <p>Outbound: {@link #deliver} (any thread) puts the shared bytes of an event, and {@link #reply} the bytes of a
 * reply, on one queue and schedules one drain on this connection's event loop, which writes everything queued in
 * order and flushes once. Replies and events thus reach the client in the order the node produced them: acks in
 * the order of their publishes, events in seq order.
 * When the event bytes queued plus the bytes the socket has not yet written ({@link FrameWriter#unwrittenBytes})
 * exceed the limit, the client is sent {@code slow_consumer} and disconnected (close code 4002): it resumes from
 * history, others never wait for it. The delivery latency in the metrics runs to the hand-off to the socket.
 *
 * <p>Authentication: a connection whose upgrade carried no credential (when one is required) is not yet a
 * session: its first frame must be {@code {"action":"auth","token":…}} within the auth timeout, or it is told
 * {@code auth_required} and closed (1008); only then does the session connect. A credential with an expiry
 * (a JWT) is checked before every frame and at every ping: once expired the client gets {@code token_expired}
 * and close code 4004, unless an {@code auth} frame refreshed it in time; once the key that signed it is
 * withdrawn (see {@link dev.nexus.server.auth.Authenticator#stillAccepts}), {@code token_revoked} and 4005 — checked
 * as well the moment the authenticator withdraws a key ({@link #recheckCredential}).
 *
 * <p>Liveness: the server pings every ping interval; a connection silent (no pong, no frame) for the ping
 * timeout is closed (4003), which takes the session offline.
 *
 * <p>Whenever the server ends a connection (slow consumer, ping timeout, replaced, shutting down) the session is
 * detached at once, not when the peer completes the close handshake: a client that stopped reading never reads as
 * far as the close frame. Its TCP connection is then dropped by the server's idle timeout (see
 * {@code NexusServer}), so it cannot pin the bytes queued for it.
 */
final class WebSocketSession implements Subscriber {
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketSession.class);

    private final ServerWebSocket socket;
    private final FrameWriter frames;
    private final Context context;
    private final Node node;
    private final WebSocketSettings settings;
    /**
     * Events ({@link EncodedEvent}), replies (their UTF-8 JSON) and publish acks ({@link PublishAck}), in the order
     * they must reach the client.
     */
    private final ConcurrentLinkedQueue<Object> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drainTask = this::drain;
    private final AtomicBoolean ending = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Consumer<WebSocketSession> onClosed;
    private final WorkDispatcher work;
    /** The last work frame's operation: work frames of one connection run one after another, in order. */
    private CompletableFuture<?> lastWork = CompletableFuture.completedFuture(null);
    private final SessionAuth auth;
    private final Supplier<TopicPolicy> topics;
    private volatile SessionConnection connection;
    private volatile long lastHeardNanos = System.nanoTime();
    private long pingTimer = -1;

    /**
     * @param onClosed run once, with this session, when the connection has ended (releases its connection-limit
     *     slot)
     */
    WebSocketSession(ServerWebSocket socket, Context context, Node node, WebSocketSettings settings, SessionAuth auth,
            Supplier<TopicPolicy> topics, WorkDispatcher work, Consumer<WebSocketSession> onClosed) {
        this.onClosed = onClosed;
        this.topics = topics;
        this.auth = auth;
        this.work = work;
        this.socket = socket;
        this.frames = new FrameWriter(socket);
        this.context = context;
        this.node = node;
        this.settings = settings;
    }

    /**
     * Called on the socket's event loop once the upgrade succeeded.
     *
     * @throws NexusException {@code shutting_down} when the node no longer accepts sessions; nothing is set up then
     */
    void open() {
        String sessionId = auth.sessionId();
        if (auth.authenticated()) {
            connection = node.connect(sessionId, this);
        } else {
            context.owner().setTimer(settings.authTimeout().toMillis(), id -> {
                if (!auth.authenticated()) {
                    disconnect(ErrorCode.AUTH_REQUIRED, "no auth frame within " + settings.authTimeout().toMillis()
                            + " ms: send {\"action\":\"auth\",\"token\":…} first, or Authorization: Bearer on the upgrade");
                }
            });
        }
        socket.textMessageHandler(this::onText);
        socket.binaryMessageHandler(buffer -> reject(new NexusException(ErrorCode.INVALID_FRAME,
                "binary frames are not supported; send JSON text frames")));
        socket.pongHandler(buffer -> heard());
        socket.exceptionHandler(e -> {
            LOG.debug("websocket of {} failed: {}", sessionId, e.toString());
            if (e instanceof CorruptedWebSocketFrameException corrupted && !socket.isClosed()) {
                // a frame over the size limit, or a protocol violation: answer with its close status (1009, 1002)
                ending.set(true);
                socket.close((short) corrupted.closeStatus().code(), corrupted.closeStatus().reasonText());
            }
        });
        socket.closeHandler(v -> onClosed());
        SilenceTimeout.install(frames.pipeline(), SilenceTimeout.after(settings));
        long intervalMillis = settings.pingInterval().toMillis();
        pingTimer = context.owner().setPeriodic(intervalMillis, intervalMillis, id -> checkAlive());
    }

    @Override
    public void deliver(EncodedEvent event) {
        if (ending.get()) {
            return;
        }
        if (pendingBytes.addAndGet(event.json().length) + frames.unwrittenBytes() > settings.outboundQueueBytes()) {
            disconnect(ErrorCode.SLOW_CONSUMER, "more than " + settings.outboundQueueBytes()
                    + " bytes of events were waiting to be written; reconnect and catch up from history");
            return;
        }
        enqueue(event);
    }

    private void enqueue(Object eventOrReply) {
        outbox.add(eventOrReply);
        if (drainScheduled.compareAndSet(false, true)) {
            frames.onEventLoop(drainTask, context);
        }
    }

    @Override
    public void disconnect(ErrorCode reason, String message) {
        if (!ending.compareAndSet(false, true)) {
            return;
        }
        context.runOnContext(v -> {
            outbox.clear();
            if (!socket.isClosed()) {
                socket.writeTextMessage(ServerFrames.text(ServerFrames.error(new NexusException(reason, message))));
                socket.close(CloseCodes.forReason(reason), reason.code());
            }
            // The session leaves now, not when the peer acknowledges the close: a slow consumer may never read
            // as far as the close frame.
            onClosed();
        });
    }

    private void drain() {
        drainScheduled.set(false);
        // the clock is read once per drain, at its first event (the writes of one drain take microseconds)
        boolean timed = false;
        long drainedAt = 0;
        Object next;
        while ((next = outbox.poll()) != null) {
            if (socket.isClosed()) {
                outbox.clear();
                return;
            }
            if (next instanceof byte[] reply) {
                frames.text(reply);
                continue;
            }
            if (next instanceof PublishAck ack) {
                frames.text(ack.bytes());
                continue;
            }
            EncodedEvent written = (EncodedEvent) next;
            frames.event(written);
            pendingBytes.addAndGet(-written.json().length);
            if (!timed) {
                drainedAt = System.nanoTime();
                timed = true;
            }
            node.metrics().delivered(drainedAt - written.acceptedNanos());
        }
        frames.flush();
    }

    private void onText(String text) {
        heard();
        if (text.length() > settings.maxEventBytes()
                || (text.length() * 3L > settings.maxEventBytes()
                        && text.getBytes(StandardCharsets.UTF_8).length > settings.maxEventBytes())) {
            reject(new NexusException(ErrorCode.TOO_LARGE,
                    "frame is larger than the " + settings.maxEventBytes() + "-byte limit",
                    Map.of("max_bytes", settings.maxEventBytes())));
            return;
        }
        if (ending.get()) {
            return;
        }
        if (!auth.authenticated()) {
            authenticateFirst(text);
            return;
        }
        if (closedForItsCredential()) {
            return;
        }
        SessionConnection current = connection;
        ClientFrame frame = null;
        try {
            frame = ClientFrameReader.read(text, current.sessionId(), settings.maxJsonDepth());
            handle(frame, current);
        } catch (NexusException e) {
            reject(e, frame == null ? null : frame.id());
        } catch (RuntimeException e) {
            LOG.error("unexpected failure handling a frame of {}", current.sessionId(), e);
            reject(new NexusException(ErrorCode.INTERNAL_ERROR, "the server failed to handle this frame"),
                    frame == null ? null : frame.id());
        }
    }

    /** The first frame of a connection without a credential: it must be {@code auth}; anything else ends it. */
    private void authenticateFirst(String text) {
        ClientFrame.Auth authFrame;
        Principal principal;
        try {
            ClientFrame frame = ClientFrameReader.read(text, auth.sessionId(), settings.maxJsonDepth());
            if (!(frame instanceof ClientFrame.Auth a)) {
                disconnect(ErrorCode.AUTH_REQUIRED, "authenticate first: send {\"action\":\"auth\",\"token\":…}");
                return;
            }
            authFrame = a;
            principal = auth.authenticate(a.token());
        } catch (NexusException e) {
            // the message never holds the credential (Authenticator contract)
            LOG.info("websocket for session {} not authenticated: {} ({})", auth.sessionId(), e.code().code(),
                    e.getMessage());
            node.metrics().errorReturned();
            disconnect(e.code(), e.getMessage());
            return;
        }
        try {
            connection = node.connect(auth.sessionId(), this);
        } catch (NexusException e) {
            disconnect(e.code(), e.getMessage());
            return;
        }
        reply(authAck(authFrame, principal));
    }

    private ObjectNode authAck(ClientFrame.Auth frame, Principal principal) {
        ObjectNode ack = ServerFrames.ack("auth", frame.id());
        ack.put("session_id", auth.sessionId());
        if (principal.expiresAt() != null) {
            ack.put("expires_at", WireTime.format(principal.expiresAt()));
        }
        return ack;
    }

    private void handle(ClientFrame frame, SessionConnection current) {
        switch (frame) {
            case ClientFrame.Auth a -> reply(authAck(a, auth.authenticate(a.token())));
            case ClientFrame.Subscribe s -> {
                topics.get().requireSubscribe(current.sessionId(), s.patterns());
                Resume resume = s.sinceSeq() == null ? null : new Resume(s.sinceSeq(), s.epoch());
                current.subscribe(s.patterns(), resume).whenComplete((subscribed, failure) -> {
                    if (failure != null) {
                        reject(unwrap(failure), s.id());
                        return;
                    }
                    ObjectNode ack = subscriptionsAck("subscribe", s, subscribed.subscriptions());
                    if (subscribed.recovered() != null) {
                        ack.put("recovered", subscribed.recovered());
                        if (subscribed.reason() != null) {
                            ack.put("reason", subscribed.reason());
                        }
                        ack.put("recovered_events", subscribed.recoveredEvents());
                    }
                    ack.put("seq", subscribed.headSeq());
                    ack.put("epoch", subscribed.epoch());
                    reply(ack);
                });
            }
            case ClientFrame.Unsubscribe u -> {
                List<String> all = current.unsubscribe(u.patterns());
                reply(subscriptionsAck("unsubscribe", u, all));
            }
            case ClientFrame.Publish p -> {
                topics.get().requirePublish(current.sessionId(), p.request().eventType());
                publish(p, current);
            }
            case ClientFrame.Ping ping -> reply(ServerFrames.pong(ping.id(), WireTime.format(node.options().clock().instant())));
            case ClientFrame.Ack a -> {
                String sessionId = current.sessionId();
                List<InboxMessage> read = node.acknowledge(sessionId, a.request());
                reply(InboxViews.acknowledged(ServerFrames.ack("ack", a.id()), read, node.inboxes().unread(sessionId)));
            }
            case ClientFrame.Work w -> lastWork = lastWork.handle((ignored, failure) -> null)
                    .thenCompose(ignored -> work.run(current.sessionId(), w.command()))
                    .whenComplete((body, failure) -> {
                        if (failure != null) {
                            reject(unwrap(failure), w.id());
                            return;
                        }
                        ObjectNode ack = ServerFrames.ack(w.command().action(), w.id());
                        body.ifPresentOrElse(ack::setAll, () -> ack.put("status", "empty"));
                        reply(ack);
                    });
        }
    }

    private void publish(ClientFrame.Publish p, SessionConnection current) {
        current.publish(p.request()).whenComplete((published, failure) -> {
            if (failure != null) {
                reject(unwrap(failure), p.id());
                return;
            }
            // encoded by the drain, on this connection's loop: the completion may run on the log writer's thread
            queueReply(new PublishAck(p.id(), published));
        });
    }

    private static NexusException unwrap(Throwable failure) {
        NexusException refusal = NexusException.in(failure);
        if (refusal != null) {
            return refusal;
        }
        LOG.error("unexpected failure", failure);
        return new NexusException(ErrorCode.INTERNAL_ERROR, "the server failed to handle this frame");
    }

    private static ObjectNode subscriptionsAck(String action, ClientFrame frame, List<String> all) {
        ObjectNode ack = ServerFrames.ack(action, frame.id());
        ArrayNode topics = ack.putArray("subscriptions");
        all.forEach(topics::add);
        return ack;
    }

    /**
     * Queues a reply behind what is already queued: replies complete (on the log's thread or inline) in the order
     * their requests were sequenced, and one queue keeps that order on the wire.
     */
    private void reply(ObjectNode frame) {
        queueReply(ServerFrames.bytes(frame));
    }

    /** Queues a reply (its bytes, or a {@link PublishAck}) unless the connection is ending. */
    private void queueReply(Object reply) {
        if (!ending.get()) {
            enqueue(reply);
        }
    }

    private void reject(NexusException e) {
        reject(e, null);
    }

    /** Sends an error reply; {@code id} (the frame's, when it was read) is echoed so the client can match it. */
    private void reject(NexusException e, JsonNode id) {
        node.metrics().errorReturned();
        ObjectNode error = ServerFrames.error(e);
        if (id != null && !id.isNull() && !error.has("id")) {
            error.set("id", id);
        }
        reply(error);
    }

    /**
     * Checks the connection's credential now, on its event loop, rather than at its next frame or ping: called from
     * any thread when signing keys were withdrawn.
     */
    void recheckCredential() {
        context.runOnContext(v -> {
            if (!ending.get() && !socket.isClosed()) {
                closedForItsCredential();
            }
        });
    }

    /** Closes the connection when its credential expired or its signing key was withdrawn; says whether it did. */
    private boolean closedForItsCredential() {
        if (auth.expired()) {
            disconnect(ErrorCode.TOKEN_EXPIRED, "the credential expired; reconnect with a fresh token");
            return true;
        }
        if (auth.withdrawn()) {
            disconnect(ErrorCode.TOKEN_REVOKED, "the key that signed this credential was withdrawn; reconnect with "
                    + "a token signed by a current key");
            return true;
        }
        return false;
    }

    private void heard() {
        lastHeardNanos = System.nanoTime();
    }

    private void checkAlive() {
        if (socket.isClosed()) {
            return;
        }
        if (closedForItsCredential()) {
            return;
        }
        long silentNanos = System.nanoTime() - lastHeardNanos;
        if (silentNanos > settings.pingTimeout().toNanos()) {
            LOG.info("session {} did not answer pings for {} ms; closing its connection",
                    auth.sessionId(), silentNanos / 1_000_000);
            ending.set(true);
            socket.close(CloseCodes.PING_TIMEOUT, "ping_timeout");
            SessionConnection current = connection;
            if (current != null) {
                current.closeUnresponsive(); // its claims are released with reason ping_timeout
            }
            onClosed();
            return;
        }
        socket.writePing(Buffer.buffer("nexus"));
    }

    private void onClosed() {
        ending.set(true);
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (pingTimer >= 0) {
            context.owner().cancelTimer(pingTimer);
            pingTimer = -1;
        }
        outbox.clear();
        SessionConnection current = connection;
        if (current != null) {
            current.close();
        }
        onClosed.accept(this);
    }

    /** The ack of a publish, encoded when it is written. */
    private record PublishAck(JsonNode id, Published published) {
        byte[] bytes() {
            return ServerFrames.publishAck(id, published.eventId(), published.seq(), published.epoch(),
                    WireTime.format(published.timestamp()), published.duplicate(), published.routedTo());
        }
    }
}
