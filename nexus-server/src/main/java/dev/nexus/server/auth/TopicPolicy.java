package dev.nexus.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.TopicPattern;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Topic ACLs ({@code --acl-file}): per session, allow-lists of the topic patterns it may publish to and subscribe
 * to. The file is a JSON object
 * {@code {"<session_id>": {"publish": [patterns…], "subscribe": [patterns…]}, "*": {…}}}: the {@code "*"} entry
 * applies to every session not listed by name; a session neither listed nor covered by {@code "*"} may neither
 * publish nor subscribe, and a missing list allows nothing in its direction ({@code [">"]} allows everything).
 * A publish is allowed when its {@code event_type} matches a pattern of the publish list; a subscription when
 * a pattern of the subscribe list {@linkplain TopicPattern#covers covers} it, so a client cannot widen its
 * reach with wildcards. Without {@code --acl-file} ({@link #open()}) everything is allowed.
 *
 * <p>Immutable, so thread-safe: {@link AclFile} reads the file again when it changes and puts a new policy in
 * force.
 */
public final class TopicPolicy {
    private static final TopicPolicy OPEN = new TopicPolicy(null, Map.of(), null);

    /** One session's allow-lists. */
    private record Acl(List<TopicPattern> publish, List<TopicPattern> subscribe) {
        boolean mayPublish(String topic) {
            return publish.stream().anyMatch(allowed -> allowed.matches(topic));
        }

        boolean maySubscribe(TopicPattern pattern) {
            return subscribe.stream().anyMatch(allowed -> allowed.covers(pattern));
        }
    }

    private static final Acl NOTHING = new Acl(List.of(), List.of());

    private final Path source;
    private final Map<String, Acl> sessions;
    private final Acl others;

    private TopicPolicy(Path source, Map<String, Acl> sessions, Acl others) {
        this.source = source;
        this.sessions = Map.copyOf(sessions);
        this.others = others;
    }

    /** No ACLs: every session may publish and subscribe to every topic. */
    public static TopicPolicy open() {
        return OPEN;
    }

    /**
     * Reads an ACL file.
     *
     * @throws IllegalArgumentException with a sentence for the operator when the file is missing or malformed
     */
    public static TopicPolicy load(Path file) {
        try {
            return parse(Files.readAllBytes(file), file);
        } catch (IOException e) {
            throw new IllegalArgumentException("--acl-file " + file + " cannot be read (" + e.getClass().getSimpleName()
                    + ")");
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--acl-file " + file + " " + e.getMessage());
        }
    }

    /**
     * The policy an ACL file's bytes describe.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static TopicPolicy parse(byte[] content, Path source) {
        JsonNode root = OperatorJson.object(content, " of session ids (or \"*\") to allow-lists");
        Map<String, Acl> sessions = new HashMap<>();
        Acl others = NOTHING;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String sessionId = entry.getKey();
            if (!sessionId.equals("*") && !SessionId.isValid(sessionId)) {
                throw new IllegalArgumentException("names an invalid session id '" + sessionId + "'");
            }
            Acl acl = acl(sessionId, entry.getValue());
            if (sessionId.equals("*")) {
                others = acl;
            } else {
                sessions.put(sessionId, acl);
            }
        }
        return new TopicPolicy(source, sessions, others);
    }

    private static Acl acl(String sessionId, JsonNode entry) {
        if (entry == null || !entry.isObject()) {
            throw new IllegalArgumentException("gives '" + sessionId + "' something other than an object of "
                    + "\"publish\" and \"subscribe\" lists");
        }
        for (Iterator<String> names = entry.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!name.equals("publish") && !name.equals("subscribe")) {
                throw new IllegalArgumentException("gives '" + sessionId + "' an unknown field '" + name
                        + "' (only \"publish\" and \"subscribe\")");
            }
        }
        return new Acl(patterns(sessionId, "publish", entry.get("publish")),
                patterns(sessionId, "subscribe", entry.get("subscribe")));
    }

    private static List<TopicPattern> patterns(String sessionId, String list, JsonNode node) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new IllegalArgumentException("gives '" + sessionId + "' a \"" + list + "\" that is not a list");
        }
        List<TopicPattern> patterns = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw new IllegalArgumentException("gives '" + sessionId + "' a \"" + list + "\" entry that is not a "
                        + "string");
            }
            try {
                patterns.add(TopicPattern.parse(item.textValue()));
            } catch (NexusException e) {
                throw new IllegalArgumentException("gives '" + sessionId + "' an invalid \"" + list + "\" pattern: "
                        + e.getMessage());
            }
        }
        return List.copyOf(patterns);
    }

    /** Whether an ACL file is in force. */
    public boolean restricts() {
        return source != null;
    }

    /** The ACL file, or null without one. */
    public Path source() {
        return source;
    }

    /**
     * @throws NexusException {@code forbidden_topic} (403) when {@code sessionId} may not publish {@code eventType}
     */
    public void requirePublish(String sessionId, String eventType) {
        if (restricts() && !aclOf(sessionId).mayPublish(eventType)) {
            throw new NexusException(ErrorCode.FORBIDDEN_TOPIC, "session '" + sessionId + "' may not publish to '"
                    + eventType + "': no pattern of its publish list in the ACL file matches it",
                    Map.of("session_id", sessionId, "event_type", eventType));
        }
    }

    /**
     * All or nothing: every pattern must be allowed.
     *
     * @throws NexusException {@code forbidden_topic} (403) naming the first pattern {@code sessionId} may not
     *     subscribe to
     */
    public void requireSubscribe(String sessionId, List<TopicPattern> patterns) {
        TopicPattern forbidden = firstForbiddenSubscription(sessionId, patterns);
        if (forbidden != null) {
            throw new NexusException(ErrorCode.FORBIDDEN_TOPIC, "session '" + sessionId
                    + "' may not subscribe to '" + forbidden + "': no pattern of its subscribe list in the ACL "
                    + "file covers it", Map.of("session_id", sessionId, "pattern", forbidden.text()));
        }
    }

    /** The first of {@code patterns} that {@code sessionId} may not subscribe to, or null when it may to all. */
    public TopicPattern firstForbiddenSubscription(String sessionId, List<TopicPattern> patterns) {
        if (!restricts()) {
            return null;
        }
        Acl acl = aclOf(sessionId);
        for (TopicPattern pattern : patterns) {
            if (!acl.maySubscribe(pattern)) {
                return pattern;
            }
        }
        return null;
    }

    private Acl aclOf(String sessionId) {
        return sessions.getOrDefault(sessionId, others);
    }
}
