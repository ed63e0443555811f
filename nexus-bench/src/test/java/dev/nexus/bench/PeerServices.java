package dev.nexus.bench;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Assumptions;

/**
 * The local peer servers the side-by-side tests need (nats-server on 4222, Redis on 6379). Missing on a developer's
 * machine: the test is skipped, saying why. Missing under CI ({@code CI=true}, where .ci/run starts them): the test
 * fails, so a broken CI machine never passes by skipping.
 */
final class PeerServices {
    static final String NATS = "nats://127.0.0.1:4222";
    static final String REDIS = "redis://127.0.0.1:6379";

    private PeerServices() {
    }

    static void require(String name, int port) {
        if (listening(port)) {
            return;
        }
        String message = name + " is not listening on 127.0.0.1:" + port;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (under CI, .ci/run must start it)");
        }
        Assumptions.abort(message + "; start it to run the side-by-side tests");
    }

    private static boolean listening(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
