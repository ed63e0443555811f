package dev.nexus.server;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.nexus.protocol.WireJson;
import dev.nexus.server.ssot.SsotSync;
import java.nio.file.Path;

/** The SSOT directory as a dependency: available while the last sync succeeded. */
final class SsotDependency implements DependencyProbe {
    private final Path directory;
    private final SsotSync sync;

    /** @param sync null when SSOT sync is off */
    SsotDependency(Path directory, SsotSync sync) {
        this.directory = directory;
        this.sync = sync;
    }

    @Override
    public String name() {
        return "ssot-filesystem";
    }

    @Override
    public boolean configured() {
        return sync != null;
    }

    @Override
    public boolean available() {
        return sync != null && sync.healthy();
    }

    @Override
    public ObjectNode describe() {
        ObjectNode node = WireJson.mapper().createObjectNode();
        node.put("name", name());
        if (sync == null) {
            node.put("status", "disabled");
            node.put("hint", "start with --ssot-dir DIR to sync SSOT.json, claude_sessions.json and heartbeats/");
            return node;
        }
        node.put("status", sync.healthy() ? "available" : "unavailable");
        node.put("path", directory.toAbsolutePath().normalize().toString());
        if (sync.lastError() != null) {
            node.put("error", sync.lastError());
        }
        return node;
    }
}
