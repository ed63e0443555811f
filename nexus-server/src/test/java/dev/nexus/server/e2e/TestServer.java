package dev.nexus.server.e2e;

import dev.nexus.server.NexusServer;
import dev.nexus.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

/** Starts a real server on a free port with its own data directory, for end-to-end tests. */
final class TestServer implements AutoCloseable {
    final NexusServer server;
    final Http http;
    final Path dataDir;

    private TestServer(NexusServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
        this.http = new Http(server.httpUri());
    }

    /** Defaults suited to tests: port 0, no rate limit, short claim grace. */
    static TestServer start() {
        return start(b -> b);
    }

    static TestServer start(UnaryOperator<ServerConfig.Builder> customise) {
        Path dataDir;
        try {
            dataDir = Files.createTempDirectory("nexus-test-");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        ServerConfig.Builder builder = ServerConfig.builder()
                .port(0)
                .dataDir(dataDir)
                .rateLimitPerMinute(0)
                .claimGrace(Duration.ofMillis(500));
        return new TestServer(NexusServer.start(customise.apply(builder).build()), dataDir);
    }

    WsClient connect(String sessionId) {
        return WsClient.connect(server.webSocketUri().resolve("/ws/session/" + sessionId));
    }

    /** Stops the server (idempotent) and deletes its data directory. */
    @Override
    public void close() {
        server.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // already gone, or left for the OS to clean up
        }
    }
}
