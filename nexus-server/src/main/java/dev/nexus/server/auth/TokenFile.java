package dev.nexus.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.protocol.SessionId;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-session tokens of {@code --tokens-file}, kept as SHA-256 digests and reloaded when the file changes
 * (its modification time or size), checked every {@code pollInterval} on a thread of its own, never on an event
 * loop. Two layouts are read: a JSON object {@code {"<session_id>": "<token>", …}}, or a
 * {@code claude_sessions.json} ({@code {"sessions": [{"session_id": …, "token": …}, …]}}) of which entries
 * without a {@code token} are skipped. A token shorter than {@value #MIN_TOKEN_LENGTH} characters, or shared by
 * two sessions, is refused (logged by session id, never by value). A file that cannot be read at start stops the
 * start; a later broken version is logged and the previous tokens stay in force. A reload that removes or replaces
 * a session's token tells the {@link #onWithdrawn} listeners, which close that session's open connections.
 */
public final class TokenFile implements AutoCloseable {
    /** Shortest token accepted: 16 characters. */
    public static final int MIN_TOKEN_LENGTH = 16;
    private static final Logger LOG = LoggerFactory.getLogger(TokenFile.class);

    /** A session and the digest of its token. */
    record Entry(String sessionId, byte[] digest) {
    }

    private final Path path;
    private final WatchedFile watched;
    private volatile List<Entry> entries;
    private final List<Consumer<Set<String>>> withdrawalListeners = new CopyOnWriteArrayList<>();

    private TokenFile(Path path, Duration pollInterval) {
        this.path = path;
        this.watched = new WatchedFile(path);
        load(true);
        watched.watch(pollInterval, "nexus-tokens-file", () -> load(false));
    }

    /**
     * Reads the file and starts watching it.
     *
     * @throws IllegalArgumentException with a sentence for the operator when the file is missing or malformed
     */
    public static TokenFile open(Path path, Duration pollInterval) {
        return new TokenFile(Objects.requireNonNull(path, "path"), pollInterval);
    }

    /**
     * Calls {@code listener}, on this file's watcher thread, with the sessions whose token a reload removed or
     * replaced (a session listed twice counts when either of its tokens goes).
     */
    void onWithdrawn(Consumer<Set<String>> listener) {
        withdrawalListeners.add(listener);
    }

    /** The tokens now in force. */
    List<Entry> entries() {
        return entries;
    }

    private synchronized void load(boolean first) {
        try {
            List<Entry> parsed = parse(Files.readAllBytes(path));
            List<Entry> previous = entries;
            entries = parsed;
            LOG.info("tokens file {}: {} session tokens", path, parsed.size());
            if (!first) {
                announceWithdrawn(withdrawn(previous, parsed));
            }
        } catch (IOException | IllegalArgumentException e) {
            String reason = e instanceof IOException ? "cannot be read (" + e.getClass().getSimpleName() + ")"
                    : e.getMessage();
            if (first) {
                throw new IllegalArgumentException("--tokens-file " + path + " " + reason);
            }
            LOG.warn("tokens file {} {}; the previous tokens stay in force", path, reason);
        }
    }

    /** The sessions of {@code before} with a token that {@code after} no longer gives them. */
    static Set<String> withdrawn(List<Entry> before, List<Entry> after) {
        Set<String> kept = new HashSet<>();
        for (Entry entry : after) {
            kept.add(key(entry));
        }
        Set<String> withdrawn = new TreeSet<>();
        for (Entry entry : before) {
            if (!kept.contains(key(entry))) {
                withdrawn.add(entry.sessionId());
            }
        }
        return withdrawn;
    }

    private static String key(Entry entry) {
        return entry.sessionId() + ' ' + HexFormat.of().formatHex(entry.digest());
    }

    private void announceWithdrawn(Set<String> sessions) {
        if (sessions.isEmpty()) {
            return;
        }
        LOG.info("tokens file {}: the token of {} was removed or replaced; their connections are closed", path,
                sessions);
        for (Consumer<Set<String>> listener : withdrawalListeners) {
            try {
                listener.accept(sessions);
            } catch (RuntimeException e) {
                LOG.error("closing the connections of withdrawn tokens failed", e);
            }
        }
    }

    /**
     * The entries of a tokens file's bytes.
     *
     * @throws IllegalArgumentException naming what is wrong, never quoting a token
     */
    static List<Entry> parse(byte[] content) {
        JsonNode root = OperatorJson.object(content, "");
        List<Map.Entry<String, JsonNode>> pairs = new ArrayList<>();
        JsonNode sessions = root.get("sessions");
        if (sessions != null && sessions.isArray()) {
            for (JsonNode session : sessions) {
                JsonNode id = session.get("session_id");
                JsonNode token = session.get("token");
                if (id != null && id.isTextual() && token != null && !token.isNull()) {
                    pairs.add(Map.entry(id.textValue(), token));
                }
            }
        } else {
            for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
                pairs.add(it.next());
            }
        }
        List<Entry> entries = new ArrayList<>();
        Set<String> digests = new HashSet<>();
        for (Map.Entry<String, JsonNode> pair : pairs) {
            String sessionId = pair.getKey();
            if (!SessionId.isValid(sessionId)) {
                throw new IllegalArgumentException("names an invalid session id '" + sessionId + "'");
            }
            JsonNode token = pair.getValue();
            if (!token.isTextual() || token.textValue().length() < MIN_TOKEN_LENGTH) {
                throw new IllegalArgumentException("gives session '" + sessionId + "' a token that is not a string of "
                        + "at least " + MIN_TOKEN_LENGTH + " characters");
            }
            byte[] digest = TokenAuthenticator.digest(token.textValue());
            if (!digests.add(HexFormat.of().formatHex(digest))) {
                throw new IllegalArgumentException("gives session '" + sessionId + "' a token another session has");
            }
            entries.add(new Entry(sessionId, digest));
        }
        return List.copyOf(entries);
    }

    @Override
    public void close() {
        watched.close();
    }
}
