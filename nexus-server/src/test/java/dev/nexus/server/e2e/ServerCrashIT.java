package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "An ack means durable", tested the hard way: a separate server process under load from 8 publishers is killed
 * with SIGKILL at a random moment; after a restart every acknowledged event is present exactly once, in seq
 * order, with contiguous seqs, and unacknowledged ones are present once or absent.
 */
class ServerCrashIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final int PUBLISHERS = 8;
    private static final int EVENTS_PER_PUBLISHER = 12_500; // 100,000 offered in all
    private static final int WINDOW = 32;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedEventSurvivesSigkill() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int killAfterAcks = 50_000 + random.nextInt(20_000);
        System.out.println("ServerCrashIT seed " + seed + ": SIGKILL after " + killAfterAcks + " acks");

        Process server = start();
        int port = awaitPort(server);
        Map<String, Long> acked = new ConcurrentHashMap<>();  // "p-i" -> seq
        AtomicLong ackCount = new AtomicLong();
        List<HttpClient> clients = new ArrayList<>();
        List<Thread> publishers = new ArrayList<>();
        for (int p = 0; p < PUBLISHERS; p++) {
            HttpClient client = HttpClient.newHttpClient();
            clients.add(client);
            Publisher publisher = new Publisher(p, acked, ackCount);
            WebSocket socket = client.newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/session/crash-pub-" + p), publisher).join();
            publishers.add(Thread.ofPlatform().start(() -> publisher.run(socket)));
        }
        while (ackCount.get() < killAfterAcks) {
            assertThat(server.isAlive()).as("server alive under load").isTrue();
            java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
        new ProcessBuilder("kill", "-KILL", Long.toString(server.pid())).start().waitFor();
        assertThat(server.waitFor(10, TimeUnit.SECONDS)).isTrue();
        for (Thread publisher : publishers) {
            publisher.join(TimeUnit.SECONDS.toMillis(15));
        }
        Map<String, Long> ackedAtKill = new HashMap<>(acked);
        clients.forEach(HttpClient::close);

        Process restarted = start();
        try {
            Http http = new Http(URI.create("http://127.0.0.1:" + awaitPort(restarted)));
            List<JsonNode> events = readAll(http);
            long expectedSeq = 1;
            Map<String, Long> stored = new HashMap<>();
            for (JsonNode event : events) {
                assertThat(event.path("seq").asLong()).as("contiguous seqs").isEqualTo(expectedSeq++);
                if (event.path("event_type").asText().equals("crash.load")) {
                    String id = event.path("payload").path("p").asInt() + "-" + event.path("payload").path("i").asInt();
                    assertThat(stored.put(id, event.path("seq").asLong())).as("%s stored once", id).isNull();
                }
            }
            for (Map.Entry<String, Long> ack : ackedAtKill.entrySet()) {
                assertThat(stored.get(ack.getKey())).as("acknowledged event %s present with its acked seq", ack.getKey())
                        .isEqualTo(ack.getValue());
            }
            assertThat(ackedAtKill.size()).isGreaterThanOrEqualTo(killAfterAcks);
            System.out.println("ServerCrashIT: " + ackedAtKill.size() + " acknowledged, " + stored.size()
                    + " stored after restart, " + events.size() + " events in the log");
        } finally {
            restarted.destroyForcibly();
            restarted.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private Process start() throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        return new ProcessBuilder(java, "-jar", System.getProperty("nexus.server.jar"), "serve", "--port", "0",
                "--data-dir", dir.resolve("data").toString(), "--rate-limit", "0", "--store", "sqlite",
                "--durability", "sync", "--history-size", "1000000", "--history-retention", "1d")
                .redirectErrorStream(true).start();
    }

    private static int awaitPort(Process process) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("server exited before listening"));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
        });
        return port.get(60, TimeUnit.SECONDS);
    }

    private static List<JsonNode> readAll(Http http) {
        List<JsonNode> events = new ArrayList<>();
        long since = 0;
        while (true) {
            JsonNode page = http.get("/events/history?since_seq=" + since + "&limit=1000").json();
            page.path("events").forEach(events::add);
            if (!page.path("has_more").asBoolean()) {
                return events;
            }
            since = page.path("next_since_seq").asLong();
        }
    }

    /** One session publishing {p, i} with a window of unacknowledged publishes; acks come back in order. */
    private static final class Publisher implements WebSocket.Listener {
        private final int index;
        private final Map<String, Long> acked;
        private final AtomicLong ackCount;
        private final Semaphore window = new Semaphore(WINDOW);
        private final ConcurrentLinkedQueue<Integer> pending = new ConcurrentLinkedQueue<>();
        private final StringBuilder partial = new StringBuilder();

        Publisher(int index, Map<String, Long> acked, AtomicLong ackCount) {
            this.index = index;
            this.acked = acked;
            this.ackCount = ackCount;
        }

        void run(WebSocket socket) {
            try {
                for (int i = 0; i < EVENTS_PER_PUBLISHER; i++) {
                    if (!window.tryAcquire(5, TimeUnit.SECONDS)) {
                        return; // the server is gone
                    }
                    pending.add(i);
                    socket.sendText("{\"action\":\"publish\",\"event_type\":\"crash.load\",\"payload\":{\"p\":" + index
                            + ",\"i\":" + i + "}}", true).get(5, TimeUnit.SECONDS);
                }
            } catch (Exception serverKilled) {
                // expected once the server is killed
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode reply = dev.nexus.protocol.WireJson.mapper().readTree(partial.toString());
                    if ("ack".equals(reply.path("type").asText()) && "publish".equals(reply.path("action").asText())) {
                        Integer i = pending.poll();
                        acked.put(index + "-" + i, reply.path("seq").asLong());
                        ackCount.incrementAndGet();
                        window.release();
                    } else if ("error".equals(reply.path("type").asText())) {
                        pending.poll();
                        window.release();
                    }
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
