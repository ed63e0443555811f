package dev.nexus.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.presence.Availability;
import dev.nexus.core.spi.HistoryQuery;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.Event;
import dev.nexus.protocol.EventCodec;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.TopicPattern;
import dev.nexus.protocol.WireJson;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NodeTest {
    private final MutableClock clock = new MutableClock();
    private Node node;

    private Node start(NodeOptions options) {
        node = Node.start(options.withClock(clock));
        return node;
    }

    private Node start() {
        return start(NodeOptions.defaults());
    }

    @AfterEach
    void closeNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void connectingPublishesSessionConnected() {
        start();
        RecordingSubscriber watcher = new RecordingSubscriber();
        SessionConnection a = node.connect("a", watcher);
        a.subscribe(patterns("session.>"));

        node.connect("b", new RecordingSubscriber());

        assertThat(watcher.received()).singleElement().satisfies(event -> {
            assertThat(event.eventType()).isEqualTo("session.connected");
            assertThat(event.sessionId()).isEqualTo("b");
            assertThat(event.payload().get("session_id").asText()).isEqualTo("b");
        });
        assertThat(history()).extracting(Event::eventType, Event::sessionId)
                .containsExactly(tuple("session.connected", "a"),
                        tuple("session.connected", "b"));
        assertThat(node.connectionCount()).isEqualTo(2);
        assertThat(node.isConnected("a")).isTrue();
        assertThat(node.presence().get("b").map(SessionRecord::online)).contains(true);
    }

    @Test
    void wildcardSubscriberReceivesOnlyMatchingEventsInSeqOrder() {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection reader = node.connect("reader", sink);
        SessionConnection writer = node.connect("writer", new RecordingSubscriber());
        assertThat(reader.subscribe(patterns("build.*", "deploy.>"))).containsExactly("build.*", "deploy.>");

        List<String> published = List.of("build.started", "chat.message", "build.step.one", "deploy.prod.eu",
                "build.finished", "deploy", "deploy.staging");
        for (String type : published) {
            join(writer.publish(request(type, "writer", "{\"n\":1}")));
        }

        assertThat(sink.types()).containsExactly("build.started", "deploy.prod.eu", "build.finished", "deploy.staging");
        List<Long> seqs = sink.received().stream().map(Event::seq).toList();
        assertThat(seqs).isSorted().doesNotHaveDuplicates().allMatch(seq -> seq > 0);
    }

    @Test
    void deliveredBytesAreTheEventsWireJson() throws Exception {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection a = node.connect("a", sink);
        a.subscribe(patterns("chat.*"));

        Published published = join(a.publish(request("chat.message", "a", "{\"text\":\"hello\"}")));

        EncodedEvent delivered = sink.events.get(0);
        Event decoded = EventCodec.decode(WireJson.mapper().readTree(delivered.json()));
        assertThat(decoded).isEqualTo(delivered.event());
        assertThat(decoded.seq()).isEqualTo(published.seq());
        assertThat(decoded.eventId()).isEqualTo(published.eventId());
        assertThat(decoded.timestamp()).isEqualTo(published.timestamp()).isEqualTo(clock.instant());
        assertThat(decoded.payload().get("text").asText()).isEqualTo("hello");
        assertThat(published.epoch()).isEqualTo(node.head().epoch());
        assertThat(node.head().seq()).isEqualTo(published.seq());
    }

    @Test
    void oneEncodingIsSharedByEverySubscriber() {
        start();
        RecordingSubscriber one = new RecordingSubscriber();
        RecordingSubscriber two = new RecordingSubscriber();
        node.connect("one", one).subscribe(patterns(">"));
        node.connect("two", two).subscribe(patterns("chat.*"));
        one.clear();

        join(node.publish(request("chat.message", "one", "{}")));

        assertThat(one.events).hasSize(1);
        assertThat(two.events).hasSize(1);
        assertThat(two.events.get(0).json()).isSameAs(one.events.get(0).json());
    }

    @Test
    void directMessageReachesOnlyItsTarget() {
        start();
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        RecordingSubscriber c = new RecordingSubscriber();
        SessionConnection ca = node.connect("a", a);
        node.connect("b", b).subscribe(patterns(">"));
        node.connect("c", c).subscribe(patterns(">", "message.*"));
        ca.subscribe(patterns(">"));
        a.clear();
        b.clear();
        c.clear();

        PublishRequest direct = new PublishRequest("message.direct", "a", payload("{\"text\":\"psst\"}"), "b",
                null, null, null, null, null, null);
        awaitDone(ca.publish(direct));

        assertThat(b.received()).singleElement().satisfies(event -> {
            assertThat(event.targetSessionId()).isEqualTo("b");
            assertThat(event.payload().get("text").asText()).isEqualTo("psst");
        });
        assertThat(a.events).isEmpty();
        assertThat(c.events).isEmpty();
    }

    @Test
    void directMessageToAnAbsentSessionIsStoredButDeliveredToNobody() {
        start();
        RecordingSubscriber a = new RecordingSubscriber();
        SessionConnection ca = node.connect("a", a);
        ca.subscribe(patterns(">"));
        a.clear();

        awaitDone(ca.publish(new PublishRequest("message.direct", "a", payload("{}"), "nobody", null, null, null, null, null, null)));

        assertThat(a.events).isEmpty();
        assertThat(node.history(new HistoryQuery(null, TopicPattern.parse("message.>"), 10, true))).hasSize(1);
        assertThat(node.history(new HistoryQuery(null, TopicPattern.parse("message.>"), 10, false))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"work.claimed", "work.released", "work.completed", "session.connected",
            "session.disconnected", "system.x", "system.notification", "system"})
    void reservedTopicsAreRefused(String topic) {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        node.connect("a", sink).subscribe(patterns(">"));
        long head = node.head().seq();

        NexusException e = failure(node.publish(request(topic, "a", "{}")));

        assertThat(e.code()).isEqualTo(ErrorCode.RESERVED_TOPIC);
        assertThat(e.details()).containsEntry("event_type", topic);
        assertThat(node.head().seq()).as("nothing was logged").isEqualTo(head);
        assertThat(sink.events).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"work.progress", "sessions.connected", "systems.up", "my.system.x"})
    void nearbyTopicsAreNotReserved(String topic) {
        start();
        node.connect("a", new RecordingSubscriber());

        assertThat(join(node.publish(request(topic, "a", "{}"))).seq()).isPositive();
    }

    @Test
    void rateLimitRefusesWithRetryAfter() {
        start(NodeOptions.defaults().withRateLimitPerMinute(5));
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection a = node.connect("a", sink);
        a.subscribe(patterns("chat.*"));
        node.connect("b", new RecordingSubscriber());

        for (int i = 0; i < 5; i++) {
            join(a.publish(request("chat.message", "a", "{}")));
        }
        NexusException e = failure(a.publish(request("chat.message", "a", "{}")));

        assertThat(e.code()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(e.details()).containsKey("retry_after_ms");
        assertThat(((Number) e.details().get("retry_after_ms")).longValue()).isBetween(1L, 12_000L);
        assertThat(sink.events).hasSize(5);
        assertThat(join(node.publish(request("chat.message", "b", "{}"))).seq())
                .as("another session has its own allowance").isPositive();
    }

    @Test
    void invalidPresencePayloadIsRefusedWhole() {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        node.connect("a", sink).subscribe(patterns(">"));
        sink.clear();

        NexusException e = failure(node.publish(request("capability.broadcast", "a", "{\"capabilities\":\"python\"}")));

        assertThat(e.code()).isEqualTo(ErrorCode.INVALID_PAYLOAD);
        assertThat(sink.events).isEmpty();
        assertThat(node.presence().get("a").orElseThrow().capabilities()).isEmpty();
    }

    @Test
    void presenceEventsUpdateTheSessionAndAreDelivered() {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection a = node.connect("a", sink);
        a.subscribe(patterns("status.*"));

        join(a.publish(request("capability.broadcast", "a", "{\"capabilities\":[\"python\"],\"role\":\"coder\"}")));
        join(a.publish(request("status.update", "a", "{\"status\":\"working\",\"task\":\"w1\"}")));

        SessionRecord record = node.presence().get("a").orElseThrow();
        assertThat(record.capabilities()).containsExactly("python");
        assertThat(record.role()).isEqualTo("coder");
        assertThat(record.currentWork()).isEqualTo("w1");
        assertThat(Availability.of(record)).isEqualTo(Availability.BUSY);
        assertThat(sink.types()).containsExactly("status.update");
        assertThat(node.presence().findCapable(List.of("Python"), true)).isEmpty();
    }

    @Test
    void replacingAConnectionDisconnectsTheOldSinkWithoutGoingOffline() {
        start();
        RecordingSubscriber watcherSink = new RecordingSubscriber();
        node.connect("watcher", watcherSink).subscribe(patterns("session.>", "chat.*"));
        RecordingSubscriber first = new RecordingSubscriber();
        SessionConnection old = node.connect("a", first);
        old.subscribe(patterns("chat.*"));
        watcherSink.clear();

        RecordingSubscriber second = new RecordingSubscriber();
        SessionConnection replacement = node.connect("a", second);

        assertThat(first.disconnects).containsExactly(ErrorCode.SESSION_REPLACED);
        assertThat(second.disconnects).isEmpty();
        assertThat(watcherSink.events).as("no session.connected or session.disconnected for a replacement").isEmpty();
        assertThat(node.connectionCount()).isEqualTo(2);
        assertThat(node.isConnected("a")).isTrue();
        assertThat(old.subscriptions()).isEmpty();

        old.close(); // the transport notices its connection ended

        assertThat(watcherSink.events).isEmpty();
        assertThat(node.presence().get("a").orElseThrow().online()).isTrue();
        assertThat(node.isConnected("a")).isTrue();
        assertThat(history()).noneMatch(e -> e.eventType().equals("session.disconnected"));

        replacement.subscribe(patterns("chat.*"));
        join(node.publish(request("chat.message", "watcher", "{}")));
        assertThat(first.events).isEmpty();
        assertThat(second.types()).containsExactly("chat.message");
    }

    @Test
    void closingTheConnectionPublishesSessionDisconnectedAndGoesOffline() {
        start();
        RecordingSubscriber watcher = new RecordingSubscriber();
        node.connect("watcher", watcher).subscribe(patterns("session.*"));
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection a = node.connect("a", sink);
        a.subscribe(patterns(">"));
        watcher.clear();
        clock.advance(Duration.ofSeconds(30));

        a.close();

        assertThat(watcher.received()).singleElement().satisfies(event -> {
            assertThat(event.eventType()).isEqualTo("session.disconnected");
            assertThat(event.sessionId()).isEqualTo("a");
            assertThat(event.payload().get("session_id").asText()).isEqualTo("a");
        });
        SessionRecord record = node.presence().get("a").orElseThrow();
        assertThat(record.online()).isFalse();
        assertThat(record.disconnectedAt()).isEqualTo(clock.instant());
        assertThat(Availability.of(record)).isEqualTo(Availability.OFFLINE);
        assertThat(node.isConnected("a")).isFalse();
        assertThat(node.connectionCount()).isEqualTo(1);
        assertThat(node.subscriptionCount()).as("only the watcher's pattern is left").isEqualTo(1);
        assertThat(sink.events).as("a closed connection receives nothing, not even its own disconnect").isEmpty();

        a.close();
        assertThat(watcher.events).as("close is idempotent").hasSize(1);
    }

    @Test
    void reconnectAfterCloseIsANewConnection() {
        start();
        RecordingSubscriber watcher = new RecordingSubscriber();
        node.connect("watcher", watcher).subscribe(patterns("session.*"));
        node.connect("a", new RecordingSubscriber()).close();
        watcher.clear();

        node.connect("a", new RecordingSubscriber());

        assertThat(watcher.types()).containsExactly("session.connected");
        assertThat(node.presence().get("a").orElseThrow().online()).isTrue();
    }

    @Test
    void disconnectedHoldersClaimsSurviveAQuickReconnect() {
        start(NodeOptions.defaults().withClaimGrace(Duration.ofSeconds(5)));
        SessionConnection a = node.connect("a", new RecordingSubscriber());
        node.work().claim("a", "w1", null, null);
        a.close();
        clock.advance(Duration.ofSeconds(2));
        node.connect("a", new RecordingSubscriber());
        clock.advance(Duration.ofMinutes(1));

        node.work().sweep();

        assertThat(node.work().heldBy("a")).extracting(c -> c.workId()).containsExactly("w1");
    }

    @Test
    void workAnnouncementsAreDeliveredAsServerEvents() {
        start();
        RecordingSubscriber watcher = new RecordingSubscriber();
        node.connect("watcher", watcher).subscribe(patterns("work.>"));
        node.connect("a", new RecordingSubscriber());

        node.work().claim("a", "w1", "task", null);
        node.work().complete("a", "w1", null, null);

        assertThat(watcher.types()).containsExactly("work.claimed", "work.completed");
        assertThat(watcher.received()).allSatisfy(e -> assertThat(e.sessionId()).isEqualTo("a"));
    }

    @Test
    void tooManySubscriptionsIsAllOrNothing() {
        start(NodeOptions.defaults().withMaxSubscriptionsPerConnection(2));
        SessionConnection a = node.connect("a", new RecordingSubscriber());

        NexusException e = catchNexus(() -> a.subscribe(patterns("a", "b", "c")));
        assertThat(e.code()).isEqualTo(ErrorCode.TOO_MANY_SUBSCRIPTIONS);
        assertThat(e.details()).containsEntry("max_subscriptions", 2);
        assertThat(a.subscriptions()).isEmpty();
        assertThat(node.subscriptionCount()).isZero();

        assertThat(a.subscribe(patterns("a", "b"))).containsExactly("a", "b");
        assertThat(a.subscribe(patterns("a", "b", "a"))).as("patterns already held do not count again").containsExactly("a", "b");
        assertThat(catchNexus(() -> a.subscribe(patterns("c"))).code()).isEqualTo(ErrorCode.TOO_MANY_SUBSCRIPTIONS);
        assertThat(a.subscriptions()).containsExactly("a", "b");

        assertThat(a.unsubscribe(patterns("a", "never"))).containsExactly("b");
        assertThat(a.subscribe(patterns("c"))).containsExactly("b", "c");
    }

    @Test
    void unsubscribeStopsDelivery() {
        start();
        RecordingSubscriber sink = new RecordingSubscriber();
        SessionConnection a = node.connect("a", sink);
        a.subscribe(patterns("chat.*", "chat.>"));

        join(a.publish(request("chat.one", "a", "{}")));
        a.unsubscribe(patterns("chat.*"));
        join(a.publish(request("chat.two", "a", "{}")));
        a.unsubscribe(patterns("chat.**"));
        join(a.publish(request("chat.three", "a", "{}")));

        assertThat(sink.types()).containsExactly("chat.one", "chat.two");
        assertThat(a.subscriptions()).isEmpty();
    }

    @Test
    void observerSeesMatchingEventsUntilClosed() throws Exception {
        start();
        RecordingSubscriber observer = new RecordingSubscriber();
        AutoCloseable handle = node.observe(patterns("chat.>"), observer);
        node.connect("a", new RecordingSubscriber());

        join(node.publish(request("chat.one", "a", "{}")));
        handle.close();
        join(node.publish(request("chat.two", "a", "{}")));

        assertThat(observer.types()).containsExactly("chat.one");
        assertThat(node.subscriptionCount()).isZero();
    }

    @Test
    void historyIsServedFromTheLog() {
        start();
        SessionConnection a = node.connect("a", new RecordingSubscriber());
        for (int i = 0; i < 5; i++) {
            join(a.publish(request("chat.message", "a", "{\"i\":" + i + "}")));
        }

        List<Event> last2 = node.history(new HistoryQuery(null, TopicPattern.parse("chat.*"), 2, false));

        assertThat(last2).extracting(e -> e.payload().get("i").asInt()).containsExactly(3, 4);
    }

    @Test
    void closeDisconnectsEverySessionAndRefusesNewWork() {
        start();
        RecordingSubscriber a = new RecordingSubscriber();
        RecordingSubscriber b = new RecordingSubscriber();
        node.connect("a", a);
        node.connect("b", b);

        node.close();

        assertThat(a.disconnects).containsExactly(ErrorCode.SHUTTING_DOWN);
        assertThat(b.disconnects).containsExactly(ErrorCode.SHUTTING_DOWN);
        assertThat(node.connectionCount()).isZero();
        assertThat(failure(node.publish(request("chat.message", "a", "{}"))).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);
        assertThat(catchNexus(() -> node.connect("c", new RecordingSubscriber())).code()).isEqualTo(ErrorCode.SHUTTING_DOWN);

        node.close();
        assertThat(a.disconnects).as("close is idempotent").hasSize(1);
    }

    @Test
    void startedAtComesFromTheClock() {
        start();

        assertThat(node.startedAt()).isEqualTo(clock.instant());
        assertThat(node.options().clock()).isSameAs(clock);
    }

    @Test
    void eventTimestampsNeverGoBackWhenTheClockIsSetBack() {
        start();
        SessionConnection writer = node.connect("writer", new RecordingSubscriber());
        Event first = publishAndRead(writer, "clock.first");
        clock.advance(Duration.ofSeconds(-5));

        Event second = publishAndRead(writer, "clock.second");
        clock.advance(Duration.ofSeconds(10));
        Event third = publishAndRead(writer, "clock.third");

        assertThat(second.timestamp()).isEqualTo(first.timestamp());
        assertThat(third.timestamp()).isEqualTo(clock.instant());
    }

    @Test
    void aNodeStartedBehindTheNewestLoggedEventStampsNoEarlierTime() {
        NodeOptions options = NodeOptions.defaults().withClock(clock);
        NodeBackends memory = NodeBackends.memory(options);
        java.time.Instant ahead = clock.instant().plus(Duration.ofMinutes(1));
        memory.eventLog().append(new Event("earlier-run", 0, "clock.logged", "writer", ahead, payload("{}"), null,
                null, null, null, null, null, null));
        node = Node.start(options, memory);

        Event next = publishAndRead(node.connect("writer", new RecordingSubscriber()), "clock.next");

        assertThat(next.timestamp()).isEqualTo(ahead);
        assertThat(next.seq()).isEqualTo(history().getFirst().seq() + 2);
    }

    // --- helpers

    private Event publishAndRead(SessionConnection writer, String type) {
        long seq = join(writer.publish(request(type, "writer", "{}"))).seq();
        return history().stream().filter(event -> event.seq() == seq).findFirst().orElseThrow();
    }

    private List<Event> history() {
        return node.history(new HistoryQuery(null, null, 1000, true));
    }

    private static List<TopicPattern> patterns(String... patterns) {
        return Arrays.stream(patterns).map(TopicPattern::parse).toList();
    }

    private static PublishRequest request(String type, String session, String payload) {
        return PublishRequest.of(type, session, payload(payload));
    }

    private static ObjectNode payload(String json) {
        try {
            return (ObjectNode) WireJson.mapper().readTree(json);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        assertThat(future).isCompleted();
        return future.join();
    }

    /** A direct message is acknowledged once its inbox entry is written, on the inbox writer's thread. */
    private static <T> T awaitDone(CompletableFuture<T> future) {
        assertThat(future).succeedsWithin(java.time.Duration.ofSeconds(5));
        return future.join();
    }

    private static NexusException failure(CompletableFuture<?> future) {
        assertThat(future).isCompletedExceptionally();
        try {
            future.join();
        } catch (CompletionException e) {
            assertThat(e.getCause()).isInstanceOf(NexusException.class);
            return (NexusException) e.getCause();
        }
        throw new AssertionError("expected a failure");
    }

    private static NexusException catchNexus(Runnable action) {
        NexusException[] caught = new NexusException[1];
        assertThatThrownBy(action::run).isInstanceOfSatisfying(NexusException.class, e -> caught[0] = e);
        return caught[0];
    }
}
