package dev.nexus.server.e2e;

import dev.nexus.server.NexusServer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh {@link TestServer} with the test defaults for every test of a class:
 * {@code @RegisterExtension final ServerPerTest nexus = new ServerPerTest();}, then {@code nexus.http},
 * {@code nexus.server} and {@code nexus.connect(id)} as with a {@link TestServer}.
 */
final class ServerPerTest implements BeforeEachCallback, AfterEachCallback {
    NexusServer server;
    Http http;
    private TestServer running;

    @Override
    public void beforeEach(ExtensionContext context) {
        running = TestServer.start();
        server = running.server;
        http = running.http;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        running.close();
    }

    WsClient connect(String sessionId) {
        return running.connect(sessionId);
    }
}
