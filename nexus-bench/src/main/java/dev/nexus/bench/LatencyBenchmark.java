package dev.nexus.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Measures publish→delivery latency without coordinated omission: publishers follow a fixed schedule (event i is
 * due at start + i/rate), each event carries its intended send time, and subscribers record
 * {@code receive time − intended send time} in an HdrHistogram. A stalled server therefore shows up as latency,
 * not as a lower rate. Publishers and subscribers share this process, so one monotonic clock serves both.
 */
final class LatencyBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC = "bench.latency";

    record Settings(URI url, int subscribers, int publishers, int rate, Duration duration, Duration warmup,
            int payloadBytes) {
    }

    record Result(Settings settings, Histogram latency, long sent, long expected, long received, long errors,
            double benchCpuSeconds, double wallSeconds) {
        boolean complete() {
            return received == expected && errors == 0;
        }

        String report() {
            double ms = 1_000_000.0;
            return String.format(Locale.ROOT, """
                    nexus-bench latency: %d subscribers, %d publishers, %d events/s offered, %d B payload, %ds measured
                      events sent (measured)   %d
                      deliveries expected      %d
                      deliveries received      %d (%.0f/s)
                      publish errors           %d
                      latency p50              %.3f ms
                      latency p99              %.3f ms
                      latency p99.9            %.3f ms
                      latency max              %.3f ms
                      bench CPU                %.1f s over %.1f s wall (%.0f%% of one core)""",
                    settings.subscribers(), settings.publishers(), settings.rate(), settings.payloadBytes(),
                    settings.duration().toSeconds(), sent, expected, received, received / wallSeconds, errors,
                    latency.getValueAtPercentile(50) / ms, latency.getValueAtPercentile(99) / ms,
                    latency.getValueAtPercentile(99.9) / ms, latency.getMaxValue() / ms,
                    benchCpuSeconds, wallSeconds, 100 * benchCpuSeconds / wallSeconds);
        }
    }

    private final Settings settings;
    private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<HttpClient> clients = new ArrayList<>();
    private volatile long measureFromNanos = Long.MAX_VALUE;

    LatencyBenchmark(Settings settings) {
        this.settings = settings;
    }

    Result run() throws Exception {
        String runId = Long.toHexString(System.nanoTime());
        List<WebSocket> subscribers = new ArrayList<>();
        for (int i = 0; i < settings.subscribers(); i++) {
            WebSocket ws = open("bench-sub-" + runId + "-" + i, new SubscriberListener());
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            ((SubscriberListener) listenerOf(ws)).onAck = subscribed;
            ws.sendText("{\"action\":\"subscribe\",\"topics\":[\"" + TOPIC + "\"]}", true).join();
            subscribed.get(10, TimeUnit.SECONDS);
            subscribers.add(ws);
        }
        List<WebSocket> publishers = new ArrayList<>();
        for (int i = 0; i < settings.publishers(); i++) {
            publishers.add(open("bench-pub-" + runId + "-" + i, new PublisherListener()));
        }
        String padding = "x".repeat(Math.max(0, settings.payloadBytes() - 40));
        long warmupNanos = settings.warmup().toNanos();
        long totalNanos = warmupNanos + settings.duration().toNanos();
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        measureFromNanos = start + warmupNanos;
        long perPublisherRate = Math.max(1, settings.rate() / settings.publishers());
        long intervalNanos = 1_000_000_000L / perPublisherRate;
        AtomicLong measuredSent = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        long cpuBefore = processCpuNanos();
        for (int p = 0; p < publishers.size(); p++) {
            WebSocket ws = publishers.get(p);
            long offset = intervalNanos * p / publishers.size();
            Thread thread = Thread.ofPlatform().name("bench-publisher-" + p).start(() -> {
                for (long i = 0; ; i++) {
                    long due = start + offset + i * intervalNanos;
                    if (due - start >= totalNanos) {
                        break;
                    }
                    long wait = due - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                    ws.sendText("{\"action\":\"publish\",\"event_type\":\"" + TOPIC + "\",\"payload\":{\"due\":" + due
                            + ",\"pad\":\"" + padding + "\"}}", true).join();
                    if (due >= measureFromNanos) {
                        measuredSent.incrementAndGet();
                    }
                }
            });
            threads.add(thread);
        }
        for (Thread thread : threads) {
            thread.join();
        }
        long expected = measuredSent.get() * settings.subscribers();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (received.get() < expected && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
        }
        double wall = (System.nanoTime() - measureFromNanos) / 1e9;
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        for (WebSocket ws : subscribers) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        for (WebSocket ws : publishers) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        return new Result(settings, recorder.getIntervalHistogram(), measuredSent.get(), expected, received.get(),
                errors.get(), cpu, wall);
    }

    private final java.util.Map<WebSocket, WebSocket.Listener> listeners = new java.util.concurrent.ConcurrentHashMap<>();

    private WebSocket open(String sessionId, WebSocket.Listener listener) {
        HttpClient client = HttpClient.newHttpClient();
        clients.add(client);
        URI ws = URI.create(settings.url().toString().replaceFirst("^http", "ws") + "/ws/session/" + sessionId);
        WebSocket socket = client.newWebSocketBuilder().buildAsync(ws, listener).join();
        listeners.put(socket, listener);
        return socket;
    }

    private WebSocket.Listener listenerOf(WebSocket ws) {
        return listeners.get(ws);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    private final class SubscriberListener implements WebSocket.Listener {
        volatile CompletableFuture<Void> onAck;
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            long now = System.nanoTime();
            partial.append(data);
            if (last) {
                String text = partial.toString();
                partial.setLength(0);
                try {
                    JsonNode message = JSON.readTree(text);
                    if (message.has("type")) {
                        if ("ack".equals(message.path("type").asText()) && onAck != null) {
                            onAck.complete(null);
                        }
                    } else if (TOPIC.equals(message.path("event_type").asText())) {
                        long due = message.path("payload").path("due").asLong();
                        if (due >= measureFromNanos) {
                            recorder.recordValue(Math.min(Math.max(0, now - due), TimeUnit.MINUTES.toNanos(1)));
                            received.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    errors.incrementAndGet();
                }
            }
            webSocket.request(1);
            return null;
        }
    }

    private final class PublisherListener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                if (partial.indexOf("\"type\":\"error\"") >= 0) {
                    errors.incrementAndGet();
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
