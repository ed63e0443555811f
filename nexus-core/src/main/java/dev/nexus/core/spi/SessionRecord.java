package dev.nexus.core.spi;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the bus knows about one session.
 *
 * @param sessionId the session's id
 * @param role what the session says it is (from {@code capability.broadcast}); null until it says
 * @param status free text from {@code status.update}; {@code active} on connect
 * @param currentWork what it is doing (from {@code status.update}'s {@code task} or {@code current_work}); null when idle
 * @param capabilities skills it announced, as given
 * @param connectedAt when its current (or last) connection opened
 * @param lastEvent when it last published, or connected if it has not published since
 * @param online true while it has a live connection
 * @param disconnectedAt when it went offline; null while online
 */
public record SessionRecord(
        String sessionId,
        String role,
        String status,
        String currentWork,
        List<String> capabilities,
        Instant connectedAt,
        Instant lastEvent,
        boolean online,
        Instant disconnectedAt) {

    public SessionRecord {
        Objects.requireNonNull(sessionId, "sessionId");
        Objects.requireNonNull(status, "status");
        capabilities = capabilities == null ? List.of() : List.copyOf(capabilities);
    }

    public SessionRecord withRole(String newRole) {
        return new SessionRecord(sessionId, newRole, status, currentWork, capabilities, connectedAt, lastEvent, online, disconnectedAt);
    }

    public SessionRecord withCapabilities(List<String> newCapabilities) {
        return new SessionRecord(sessionId, role, status, currentWork, newCapabilities, connectedAt, lastEvent, online, disconnectedAt);
    }

    public SessionRecord withStatus(String newStatus, String newCurrentWork) {
        return new SessionRecord(sessionId, role, newStatus, newCurrentWork, capabilities, connectedAt, lastEvent, online, disconnectedAt);
    }

    public SessionRecord withLastEvent(Instant at) {
        return new SessionRecord(sessionId, role, status, currentWork, capabilities, connectedAt, at, online, disconnectedAt);
    }

    public SessionRecord connected(Instant at) {
        return new SessionRecord(sessionId, role, status, currentWork, capabilities, at, at, true, null);
    }

    public SessionRecord disconnected(Instant at) {
        return new SessionRecord(sessionId, role, status, currentWork, capabilities, connectedAt, lastEvent, false, at);
    }
}
