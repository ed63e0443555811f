package dev.nexus.bench.scenario;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import dev.nexus.bench.target.CpuMeter;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Publish throughput and acknowledgement latency: each publisher is a WebSocket session that keeps up to
 * {@code window} publishes in flight and records, for every ack, the time since the publish was due (fixed
 * rate) or sent (as fast as possible, {@code rate 0}). The server's {@code --durability} decides what an ack
 * means, so running this against each mode measures what each promise costs.
 *
 * <p>The publishers run on Vert.x event loops (one WebSocket client, kept referenced for the whole run): a
 * publisher sends from its own loop when an ack frees a slot or a tick finds publishes due, so the load generator
 * spends its CPU on the protocol rather than on thread hand-offs.
 */
final class AckedPublishing {
    /**
     * @param rate events per second offered by all publishers together; 0 = as fast as acks allow
     * @param window most unacknowledged publishes per publisher
     * @param topicPrefix publishes go to {@code <topicPrefix>.t<i mod topics>}
     * @param topics how many distinct topics the publishes cycle through
     */
    record Settings(URI url, int publishers, int rate, int window, Duration duration, Duration warmup, int payloadBytes,
            String topicPrefix, int topics) {
    }

    record Result(Settings settings, Histogram latency, long acked, long errors, double seconds, CpuMeter.Usage cpu) {
        double acksPerSecond() {
            return acked / seconds;
        }

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
                    latency.getValueAtPercentile(99.9) / ms, latency.getMaxValue() / ms, cpu.benchPercent() * seconds / 100,
                    seconds, cpu.benchPercent());
        }
    }

    private static final long TICK_MILLIS = 1;

    private final Settings settings;
    private final Recorder recorder = new Recorder(TimeUnit.MINUTES.toNanos(1), 3);
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private long measureFrom;
    private long measureUntil;

    private final CpuMeter cpu;

    AckedPublishing(Settings settings, CpuMeter cpu) {
        this.settings = settings;
        this.cpu = cpu;
    }

    Result run() throws Exception {
        Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
        // one loop: the publishers' window bookkeeping (ArrayDeque) is confined to it
        WebSocketClient client = vertx.createWebSocketClient(new WebSocketClientOptions().setMaxFrameSize(1 << 20)
                .setMaxConnections(Integer.MAX_VALUE));
        try {
            String runId = Long.toHexString(System.nanoTime());
            String padding = "x".repeat(Math.max(0, settings.payloadBytes() - 40));
            List<Publisher> publishers = new ArrayList<>();
            for (int p = 0; p < settings.publishers(); p++) {
                String path = "/ws/session/bench-pub-" + runId + "-" + p;
                WebSocket socket = client.connect(settings.url().getPort(), settings.url().getHost(), path)
                        .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
                publishers.add(new Publisher(socket, padding));
            }
            long start = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(300);
            measureFrom = start + settings.warmup().toNanos();
            measureUntil = measureFrom + settings.duration().toNanos();
            long intervalNanos = settings.rate() == 0 ? 0 : 1_000_000_000L * settings.publishers() / settings.rate();
            long now = System.nanoTime();
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureFrom - now)), id -> cpu.start());
            CompletableFuture<CpuMeter.Usage> usage = new CompletableFuture<>();
            vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(measureUntil - now)), id -> usage.complete(cpu.stop()));
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int p = 0; p < publishers.size(); p++) {
                Publisher publisher = publishers.get(p);
                long firstDue = start + intervalNanos * p / publishers.size();
                done.add(publisher.finished);
                vertx.runOnContext(v -> publisher.begin(vertx, firstDue, intervalNanos));
            }
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new))
                    .get(settings.duration().plus(settings.warmup()).toSeconds() + 30, TimeUnit.SECONDS);
            CpuMeter.Usage measuredCpu = usage.get(30, TimeUnit.SECONDS);
            for (Publisher publisher : publishers) {
                publisher.socket.close();
            }
            return new Result(settings, recorder.getIntervalHistogram(), acked.get(), errors.get(),
                    (measureUntil - measureFrom) / 1e9, measuredCpu);
        } finally {
            client.close();
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    /** One session, driven from the event loop: acks arrive in send order, each frees a window slot. */
    private final class Publisher {
        final WebSocket socket;
        final CompletableFuture<Void> finished = new CompletableFuture<>();
        private final String padding;
        private final ArrayDeque<Long> sentAt = new ArrayDeque<>();
        private long nextIndex;
        private long firstDue;
        private long interval;
        private boolean stopped;

        Publisher(WebSocket socket, String padding) {
            this.socket = socket;
            this.padding = padding;
            socket.textMessageHandler(this::onReply);
        }

        void begin(Vertx vertx, long firstDueNanos, long intervalNanos) {
            this.firstDue = firstDueNanos;
            this.interval = intervalNanos;
            vertx.setPeriodic(TICK_MILLIS, id -> {
                sendDue();
                if (stopped && sentAt.isEmpty()) {
                    vertx.cancelTimer(id);
                    finished.complete(null);
                }
            });
        }

        /** Sends every publish that is due and fits the window. */
        private void sendDue() {
            long now = System.nanoTime();
            while (!stopped && sentAt.size() < settings.window()) {
                long due = interval == 0 ? now : firstDue + nextIndex * interval;
                if (due >= measureUntil) {
                    stopped = true;
                    return;
                }
                if (due > now) {
                    return;
                }
                sentAt.addLast(interval == 0 ? System.nanoTime() : due);
                socket.writeTextMessage("{\"action\":\"publish\",\"event_type\":\"" + settings.topicPrefix() + ".t"
                        + (nextIndex % settings.topics()) + "\",\"payload\":{\"i\":" + nextIndex++ + ",\"pad\":\"" + padding + "\"}}");
            }
        }

        private void onReply(String reply) {
            long now = System.nanoTime();
            Long sent = sentAt.pollFirst();
            if (reply.contains("\"type\":\"error\"")) {
                errors.incrementAndGet();
            } else if (sent != null && sent >= measureFrom && sent < measureUntil) {
                recorder.recordValue(Math.min(Math.max(0, now - sent), TimeUnit.MINUTES.toNanos(1)));
                acked.incrementAndGet();
            }
            sendDue();
        }
    }
}
