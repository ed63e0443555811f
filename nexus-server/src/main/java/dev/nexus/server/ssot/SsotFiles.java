package dev.nexus.server.ssot;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.core.spi.SessionRecord;
import dev.nexus.protocol.SessionId;
import dev.nexus.protocol.WireJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The SSOT directory on disk: writes one {@link SsotSnapshot} as {@code heartbeats/<session_id>.json}, then
 * {@code claude_sessions.json}, then {@code SSOT.json} (last, so a fresh {@code SSOT.json} means the other files
 * are at least as fresh), each replaced atomically.
 *
 * <p>A heartbeat file is rewritten when anything in it other than its timestamp changed, or when a refresh is
 * asked for and the session is online; the heartbeat of a session the bus has forgotten is deleted, but only if
 * this instance wrote it (other tools may keep their own heartbeats in the same directory). A session id that is
 * not a safe file name gets no heartbeat file.
 *
 * <p>Not thread-safe: one thread at a time (the owner serialises calls). Blocking: file I/O and fsync.
 */
final class SsotFiles {
    static final String SSOT_FILE = "SSOT.json";
    static final String SESSIONS_FILE = "claude_sessions.json";
    static final String HEARTBEATS_DIRECTORY = "heartbeats";

    private static final Logger LOG = LoggerFactory.getLogger(SsotFiles.class);
    private static final ObjectWriter JSON = WireJson.mapper().writerWithDefaultPrettyPrinter();

    private final Path directory;
    private final Path heartbeats;
    private final AtomicFileWriter writer;
    private final SsotDocuments documents = new SsotDocuments();
    private final Map<String, ObjectNode> writtenHeartbeats = new HashMap<>();
    private final Set<String> unsafeIdsReported = new HashSet<>();
    private boolean previousRunSettled;

    SsotFiles(Path directory, AtomicFileWriter writer) {
        this.directory = directory;
        this.heartbeats = directory.resolve(HEARTBEATS_DIRECTORY);
        this.writer = writer;
    }

    /**
     * Writes every file for {@code snapshot}, creating the directories when missing.
     *
     * @param refreshOnline rewrite the heartbeat of every online session even when only its timestamp changes
     * @throws IOException on the first file that cannot be written; files written before it stay written, and
     *     the next call writes whatever is still out of date
     */
    void write(SsotSnapshot snapshot, boolean refreshOnline) throws IOException {
        Files.createDirectories(heartbeats);
        if (!previousRunSettled) {
            settlePreviousRun(snapshot);
            previousRunSettled = true;
        }
        writeHeartbeats(snapshot, refreshOnline);
        writeJson(directory.resolve(SESSIONS_FILE), documents.claudeSessions(snapshot));
        writeJson(directory.resolve(SSOT_FILE), documents.ssot(snapshot));
    }

    private void writeHeartbeats(SsotSnapshot snapshot, boolean refreshOnline) throws IOException {
        Map<String, List<String>> claimed = snapshot.claimedWorkBySession();
        Set<String> known = new HashSet<>();
        for (SessionRecord record : snapshot.sessions()) {
            String id = record.sessionId();
            if (!SessionId.isValid(id)) {
                if (unsafeIdsReported.add(id)) {
                    LOG.warn("session id '{}' is not a safe file name; it gets no heartbeat file", id);
                }
                continue;
            }
            known.add(id);
            ObjectNode body = documents.heartbeatBody(record, claimed.getOrDefault(id, List.of()));
            if (body.equals(writtenHeartbeats.get(id)) && !(refreshOnline && record.online())) {
                continue;
            }
            writeJson(heartbeatFile(id), documents.heartbeat(body, snapshot.takenAt()));
            writtenHeartbeats.put(id, body);
        }
        for (String forgotten : Set.copyOf(writtenHeartbeats.keySet())) {
            if (!known.contains(forgotten)) {
                Files.deleteIfExists(heartbeatFile(forgotten));
                writtenHeartbeats.remove(forgotten);
            }
        }
    }

    /**
     * At start-up, heartbeats left by an earlier run may still say {@code "online": true} for sessions this run
     * does not know (every session is offline until it reconnects): they are rewritten as offline, keeping the
     * rest of what they said, so the directory agrees with the bus from the first write. Files that are not our
     * heartbeats (unparsable, or without {@code session_id} and {@code online}) are left alone.
     */
    private void settlePreviousRun(SsotSnapshot snapshot) throws IOException {
        Set<String> known = new HashSet<>();
        snapshot.sessions().forEach(record -> known.add(record.sessionId()));
        List<Path> files;
        try (var listing = Files.list(heartbeats)) {
            files = listing.filter(f -> f.getFileName().toString().endsWith(".json")).toList();
        }
        for (Path file : files) {
            ObjectNode heartbeat;
            try {
                heartbeat = WireJson.mapper().readTree(file.toFile()) instanceof ObjectNode object ? object : null;
            } catch (IOException unreadable) {
                continue;
            }
            if (heartbeat == null || !heartbeat.path("session_id").isTextual() || !heartbeat.path("online").asBoolean(false)
                    || known.contains(heartbeat.path("session_id").asText())) {
                continue;
            }
            heartbeat.put("online", false);
            heartbeat.put("availability", "offline");
            heartbeat.put("timestamp", dev.nexus.protocol.WireTime.format(snapshot.takenAt()));
            writeJson(file, heartbeat);
        }
    }

    private Path heartbeatFile(String sessionId) {
        return heartbeats.resolve(sessionId + ".json");
    }

    private void writeJson(Path file, ObjectNode document) throws IOException {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(document) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree failed to serialise", e);
        }
        writer.write(file, bytes);
    }
}
