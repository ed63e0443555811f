package dev.nexus.server.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.nexus.protocol.WireJson;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class RegistryClientTest {
    private static final Registration NEXUS = new Registration("nexus-event-bus", "nexus-event-bus-001",
            "http://localhost:8450", "1.0.0", List.of("event-streaming", "session-coordination"));
    private static final Backoff FAST = new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 2);

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources.reversed()) {
            resource.close();
        }
    }

    @Test
    void postsTheRegistrationAsJsonToRegisterAndBecomesAvailable() throws Exception {
        FakeRegistry registry = open(new FakeRegistry());
        URI withTrailingSlash = URI.create(registry.url() + "/");
        RegistryClient client = open(new RegistryClient(withTrailingSlash, NEXUS, FAST));
        assertThat(client.status()).isEqualTo("unavailable");

        client.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().equals("available"));
        assertThat(registry.received()).hasSize(1);
        FakeRegistry.Received request = registry.received().getFirst();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.path()).isEqualTo("/register");
        assertThat(request.contentType()).isEqualTo("application/json");
        assertThat(WireJson.mapper().readTree(request.body())).isEqualTo(WireJson.mapper().readTree("""
                {"name": "nexus-event-bus", "id": "nexus-event-bus-001", "url": "http://localhost:8450",
                 "version": "1.0.0", "capabilities": ["event-streaming", "session-coordination"]}
                """));
        assertThat(client.attempts()).isEqualTo(1);
        assertThat(client.lastError()).isNull();
        assertThat(client.url()).isEqualTo(withTrailingSlash);
    }

    @Test
    void retriesWithBackoffUntilTheRegistryAccepts() throws Exception {
        FakeRegistry registry = open(new FakeRegistry(503, 503, 200));
        RegistryClient client = open(new RegistryClient(registry.url(), NEXUS, FAST));

        client.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().equals("available"));
        assertThat(registry.received()).hasSize(3)
                .allSatisfy(r -> assertThat(r.path()).isEqualTo("/register"))
                .extracting(FakeRegistry.Received::body).containsOnly(registry.received().getFirst().body());
        assertThat(client.attempts()).isEqualTo(3);
        assertThat(client.lastError()).isNull();
    }

    @Test
    void aNon2xxAnswerIsReportedAsTheLastError() throws Exception {
        FakeRegistry registry = open(new FakeRegistry(503, 503, 503, 503, 503, 503, 503, 503, 503, 503));
        RegistryClient client = open(new RegistryClient(registry.url(), NEXUS, FAST));

        client.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.lastError() != null);
        assertThat(client.lastError()).startsWith("HTTP 503");
        assertThat(client.status()).isEqualTo("unavailable");
    }

    @Test
    void anUnreachableRegistryStaysUnavailableAndCloseStopsTheRetries() throws Exception {
        URI nobodyListens;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            nobodyListens = URI.create("http://127.0.0.1:" + socket.getLocalPort());
        }
        RegistryClient client = open(new RegistryClient(nobodyListens, NEXUS, FAST));

        client.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> client.attempts() >= 3);
        assertThat(client.status()).isEqualTo("unavailable");
        assertThat(client.lastError()).contains("connection refused");
        client.close();
        int attemptsAtClose = client.attempts();
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(1))
                .until(() -> client.attempts() == attemptsAtClose);
        assertThat(client.status()).isEqualTo("unavailable");
        client.close();
    }

    @Test
    void startReturnsBeforeTheRegistryAnswers() throws Exception {
        FakeRegistry registry = open(new FakeRegistry());
        CountDownLatch reached = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        registry.before(() -> {
            reached.countDown();
            awaitQuietly(answer);
        });
        RegistryClient client = open(new RegistryClient(registry.url(), NEXUS, FAST));
        resources.add(answer::countDown);

        client.start();

        assertThat(client.status()).isEqualTo("unavailable");
        assertThat(reached.await(5, TimeUnit.SECONDS)).as("the registration reached the registry").isTrue();
        assertThat(client.status()).isEqualTo("unavailable");
        answer.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> client.status().equals("available"));
    }

    @Test
    void lifecycleAndValidation() {
        RegistryClient client = new RegistryClient(URI.create("http://localhost:8000"), NEXUS);
        client.close();
        client.close();
        assertThatThrownBy(client::start).isInstanceOf(IllegalStateException.class);
        assertThat(client.attempts()).isZero();

        RegistryClient twice = open(new RegistryClient(URI.create("http://127.0.0.1:9"), NEXUS, FAST));
        twice.start();
        assertThatThrownBy(twice::start).isInstanceOf(IllegalStateException.class);

        for (String bad : List.of("ftp://localhost:8000", "localhost:8000", "http://localhost:8000/?x=1", "/relative")) {
            assertThatThrownBy(() -> new RegistryClient(URI.create(bad), NEXUS))
                    .as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    private <T extends AutoCloseable> T open(T resource) {
        resources.add(resource);
        return resource;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
