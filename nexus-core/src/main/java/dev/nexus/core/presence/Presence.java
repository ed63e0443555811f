package dev.nexus.core.presence;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.core.spi.PresenceStore;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.PublishRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Who is online and what each session can do and is doing. Records change when a session connects or
 * disconnects and when it publishes {@code capability.broadcast} (payload {@code capabilities}, {@code role}) or
 * {@code status.update} (payload {@code status}, and {@code task} or {@code current_work}). A status update that
 * reports an idle status ({@code idle}, {@code available}, {@code ready}, {@code done}) and names no work clears
 * the current work, so a session that says it is idle again becomes available; any other status keeps it.
 */
public final class Presence {
    public static final String CAPABILITY_BROADCAST = "capability.broadcast";
    public static final String STATUS_UPDATE = "status.update";
    public static final int MAX_CAPABILITIES = 128;
    public static final int MAX_TEXT = 1024;

    private final PresenceStore store;
    private final Clock clock;

    public Presence(PresenceStore store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    /** Marks the session online; a new session starts with status {@code active}. */
    public SessionRecord connected(String sessionId) {
        Instant now = clock.instant();
        return store.update(sessionId, current -> current == null
                ? new SessionRecord(sessionId, null, "active", null, List.of(), now, now, true, null)
                : current.connected(now));
    }

    public SessionRecord disconnected(String sessionId) {
        Instant now = clock.instant();
        return store.update(sessionId, current -> current == null ? null : current.disconnected(now));
    }

    /**
     * Checks the payload of a presence event before it is published, so a bad one is refused whole.
     *
     * @throws NexusException {@code invalid_payload}
     */
    public void validate(PublishRequest request) {
        switch (request.eventType()) {
            case CAPABILITY_BROADCAST -> {
                capabilities(request.payload().get("capabilities"));
                text(request.payload(), "role");
            }
            case STATUS_UPDATE -> {
                text(request.payload(), "status");
                text(request.payload(), "task");
                text(request.payload(), "current_work");
            }
            default -> {
            }
        }
    }

    /** Applies a published event to its publisher's record, if the session is known. */
    public void apply(PublishRequest request) {
        Instant now = clock.instant();
        JsonNode payload = request.payload();
        store.update(request.sessionId(), current -> {
            if (current == null) {
                return null;
            }
            SessionRecord next = current.withLastEvent(now);
            if (request.eventType().equals(CAPABILITY_BROADCAST)) {
                if (payload.has("capabilities")) {
                    next = next.withCapabilities(capabilities(payload.get("capabilities")));
                }
                if (payload.has("role")) {
                    next = next.withRole(text(payload, "role"));
                }
            } else if (request.eventType().equals(STATUS_UPDATE)) {
                String reported = payload.has("status") ? text(payload, "status") : null;
                String status = reported == null ? next.status() : reported;
                String work;
                if (payload.has("task")) {
                    work = text(payload, "task");
                } else if (payload.has("current_work")) {
                    work = text(payload, "current_work");
                } else if (Availability.isIdleStatus(reported)) {
                    work = null; // "idle", "done", ...: the session finished what it was doing
                } else {
                    work = next.currentWork();
                }
                next = next.withStatus(status, work);
            }
            return next;
        });
    }

    public Optional<SessionRecord> get(String sessionId) {
        return store.get(sessionId);
    }

    /** Sessions online now, longest connected first. */
    public List<SessionRecord> online() {
        List<SessionRecord> online = new ArrayList<>(store.list().stream().filter(SessionRecord::online).toList());
        online.sort(Comparator.comparing(SessionRecord::connectedAt).thenComparing(SessionRecord::sessionId));
        return online;
    }

    /** Every known record, online or recently offline, ordered by session id. */
    public List<SessionRecord> all() {
        List<SessionRecord> all = new ArrayList<>(store.list());
        all.sort(Comparator.comparing(SessionRecord::sessionId));
        return all;
    }

    /**
     * Online sessions holding every one of {@code skills} (case-insensitive), best first, counting no claims; see
     * {@link CapabilityRanking}. The node's ranking also weighs the claims each session holds.
     *
     * @param availableOnly when true, only idle sessions
     */
    public List<SessionRecord> findCapable(List<String> skills, boolean availableOnly) {
        return CapabilityRanking.rank(store.list(), skills, availableOnly, Map.of(), java.util.Set.of()).stream()
                .map(CapabilityRanking.Match::record)
                .toList();
    }

    /** Forgets sessions offline for longer than their retention. */
    public void forgetOfflineBefore(Instant cutoff) {
        store.forgetOfflineBefore(cutoff);
    }

    private static List<String> capabilities(JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray() || node.size() > MAX_CAPABILITIES) {
            throw invalid("capabilities must be an array of at most " + MAX_CAPABILITIES + " strings");
        }
        List<String> result = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            if (!item.isTextual() || item.textValue().isBlank() || item.textValue().length() > MAX_TEXT) {
                throw invalid("each capability must be a non-blank string of at most " + MAX_TEXT + " characters");
            }
            result.add(item.textValue());
        }
        return result;
    }

    private static String text(JsonNode payload, String field) {
        JsonNode node = payload.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.textValue().length() > MAX_TEXT) {
            throw invalid("payload." + field + " must be a string of at most " + MAX_TEXT + " characters");
        }
        return node.textValue().isEmpty() ? null : node.textValue();
    }

    private static NexusException invalid(String message) {
        return new NexusException(ErrorCode.INVALID_PAYLOAD, message, Map.of("field", "payload"));
    }
}
