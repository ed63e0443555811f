package dev.nexus.core.work;

import dev.nexus.core.MutableClock;
import dev.nexus.core.memory.MemoryLeaseStore;
import dev.nexus.core.memory.MemoryWorkQueueStore;
import dev.nexus.core.spi.LeaseStore;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.core.spi.WorkQueueStore;
import dev.nexus.protocol.PublishRequest;
import dev.nexus.protocol.ReservationMode;
import dev.nexus.protocol.ResourceGlob;
import dev.nexus.protocol.WorkCommand;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** A coordinator on memory stores with a fake clock, recording what it announces; sessions get capabilities by hand. */
final class WorkFixture {
    static final Duration GRACE = Duration.ofSeconds(5);

    final MutableClock clock = new MutableClock();
    final List<PublishRequest> announced = new CopyOnWriteArrayList<>();
    final Map<String, SessionRecord> sessions = new ConcurrentHashMap<>();
    final LeaseStore leases;
    final WorkQueueStore queue;
    final WorkCoordinator work;

    WorkFixture() {
        this(new MemoryLeaseStore(), new MemoryWorkQueueStore(), new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60)));
    }

    WorkFixture(LeaseStore leases, WorkQueueStore queue, RetryPolicy retry) {
        this.leases = leases;
        this.queue = queue;
        this.work = coordinator(retry);
    }

    WorkCoordinator coordinator(RetryPolicy retry) {
        return new WorkCoordinator(leases, queue, clock, GRACE, WorkOptions.defaults().withRetry(retry),
                id -> Optional.ofNullable(sessions.get(id)), announced::add);
    }

    void online(String sessionId, String... capabilities) {
        sessions.put(sessionId, new SessionRecord(sessionId, null, "active", null, Arrays.asList(capabilities),
                clock.instant(), clock.instant(), true, null));
    }

    List<String> types() {
        return announced.stream().map(PublishRequest::eventType).toList();
    }

    List<PublishRequest> events(String type) {
        return announced.stream().filter(e -> e.eventType().equals(type)).toList();
    }

    static WorkCommand.Enqueue item(String id, int priority, List<String> capabilities, List<String> dependsOn,
            int maxAttempts) {
        return new WorkCommand.Enqueue(id, "do " + id, capabilities, priority, dependsOn, maxAttempts);
    }

    static WorkCommand.Enqueue item(String id) {
        return item(id, 2, List.of(), List.of(), 3);
    }

    static WorkCommand.Claim claimOf(String id, ReservationMode mode, String... resources) {
        return new WorkCommand.Claim(id, null, null, Arrays.stream(resources).map(ResourceGlob::parse).toList(), mode);
    }
}
