package dev.nexus.bench;

import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish throughput and acknowledgement latency: each publisher is a WebSocket session that keeps up to
 * {@code window} publishes in flight and records, for every ack, the time since the publish was due (fixed
 * rate) or sent (as fast as possible, {@code rate 0}). The server's {@code --durability} decides what an ack
 * means, so running this against each mode measures what each promise costs.
 */
final class PublishBenchmark {
    record Settings(URI url, int publishers, int rate, int window, Duration duration, Duration warmup, int payloadBytes) {
    }

    record Result(Settings settings, Histogram latency, long acked, long errors, double seconds, double cpuSeconds) {
        String report() {
            double ms = 1_000_000.0;
            return String.format(Locale.ROOT, """
                    nexus-bench publish: %d publishers, %s, window %d, %d B payload, %ds measured
                      acks                     %d (%.0f/s)
                      errors                   %d
                      ack latency p50          %.3f ms
                      ack latency p99          %.3f ms
                      ack latency p99.9        %.3f ms
                      ack latency max          %.3f ms
                      bench CPU                %.1f s over %.1f s wall (%.0f%% of one core)""",
                    settings.publishers(), settings.rate() == 0 ? "as fast as acks allow" : settings.rate() + " events/s offered",
                    settings.window(), settings.payloadBytes(), settings.duration().toSeconds(), acked, acked / seconds,
                    errors, latency.getValueAtPercentile(50) / ms, latency.getValueAtPercentile(99) / ms,
                    latency.getValueAtPercentile(99.9) / ms, latency.getMaxValue() / ms, cpuSeconds, seconds,
                    100 * cpuSeconds / seconds);
        }
    }

    private final Settings settings;
    private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final List<HttpClient> clients = new ArrayList<>();
    private volatile long measureFrom = Long.MAX_VALUE;
    private volatile long measureUntil = Long.MAX_VALUE;

    PublishBenchmark(Settings settings) {
        this.settings = settings;
    }

    Result run() throws Exception {
        String runId = Long.toHexString(System.nanoTime());
        String padding = "x".repeat(Math.max(0, settings.payloadBytes() - 40));
        long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
        measureFrom = start + settings.warmup().toNanos();
        measureUntil = measureFrom + settings.duration().toNanos();
        List<Thread> threads = new ArrayList<>();
        List<WebSocket> sockets = new ArrayList<>();
        for (int p = 0; p < settings.publishers(); p++) {
            Publisher publisher = new Publisher();
            HttpClient client = HttpClient.newHttpClient();
            clients.add(client);
            URI uri = URI.create(settings.url().toString().replaceFirst("^http", "ws") + "/ws/session/bench-pub-" + runId + "-" + p);
            WebSocket socket = client.newWebSocketBuilder().buildAsync(uri, publisher).join();
            sockets.add(socket);
            long interval = settings.rate() == 0 ? 0 : 1_000_000_000L * settings.publishers() / settings.rate();
            long offset = interval * p / settings.publishers();
            threads.add(Thread.ofPlatform().name("bench-publish-" + p).start(
                    () -> publisher.publish(socket, start + offset, interval, padding)));
        }
        long cpuBefore = processCpuNanos();
        for (Thread thread : threads) {
            thread.join();
        }
        double cpu = (processCpuNanos() - cpuBefore) / 1e9;
        for (WebSocket socket : sockets) {
            socket.sendClose(WebSocket.NORMAL_CLOSURE, "done");
        }
        return new Result(settings, recorder.getIntervalHistogram(), acked.get(), errors.get(),
                (measureUntil - measureFrom) / 1e9, cpu);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
    }

    /** One session: sends on its own thread, at most {@code window} unacknowledged; acks arrive in send order. */
    private final class Publisher implements WebSocket.Listener {
        private final Semaphore inFlight = new Semaphore(settings.window());
        private final ConcurrentLinkedQueue<Long> sentAt = new ConcurrentLinkedQueue<>();
        private final StringBuilder partial = new StringBuilder();

        void publish(WebSocket socket, long firstDue, long interval, String padding) {
            for (long i = 0; ; i++) {
                long due = interval == 0 ? System.nanoTime() : firstDue + i * interval;
                if (due >= measureUntil) {
                    break;
                }
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                inFlight.acquireUninterruptibly();
                sentAt.add(interval == 0 ? System.nanoTime() : due);
                socket.sendText("{\"action\":\"publish\",\"event_type\":\"bench.publish\",\"payload\":{\"i\":" + i
                        + ",\"pad\":\"" + padding + "\"}}", true).join();
            }
            inFlight.acquireUninterruptibly(settings.window());
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                long now = System.nanoTime();
                Long sent = sentAt.poll();
                if (partial.indexOf("\"type\":\"error\"") >= 0) {
                    errors.incrementAndGet();
                } else if (sent != null && sent >= measureFrom && sent < measureUntil) {
                    recorder.recordValue(Math.min(Math.max(0, now - sent), TimeUnit.MINUTES.toNanos(1)));
                    acked.incrementAndGet();
                }
                partial.setLength(0);
                inFlight.release();
            }
            webSocket.request(1);
            return null;
        }
    }
}
