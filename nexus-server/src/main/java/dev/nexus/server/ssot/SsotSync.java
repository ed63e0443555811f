package dev.nexus.server.ssot;

import dev.nexus.core.Node;
import dev.nexus.protocol.TopicPattern;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the SSOT directory in step with the bus (seed 000, FR-6): after any session, work, status or
 * capability event the files are rewritten within about 100 ms, and never later than one second under a
 * continuous stream of changes.
 *
 * <h2>Files</h2>
 * All timestamps are ISO-8601 UTC with milliseconds; absent values are JSON {@code null}. Every file is replaced
 * atomically ({@link AtomicFileWriter}), so a reader always parses a complete document.
 * <pre>{@code
 * SSOT.json
 * { "service": "nexus-event-bus", "updated_at": "...",
 *   "seq": 42, "epoch": "...",                       // the state reflects every event up to this log position
 *   "sessions": { "<session_id>": { "role", "status", "current_work", "capabilities": [..],
 *                                   "availability": "idle|busy|offline", "online", "connected_at",
 *                                   "last_event", "disconnected_at", "claimed_work": ["<work_id>", ..] }, .. },
 *   "claimed_work": [ { "work_id", "claimed_by", "claimed_at", "work_description", "fencing_token",
 *                       "expires_at" }, .. ],                                         // ordered by work_id
 *   "summary": { "total_sessions", "online_sessions", "idle_sessions", "busy_sessions", "claimed_work" } }
 *
 * claude_sessions.json
 * { "updated_at": "...",
 *   "sessions": [ { "session_id", ..the same fields as in SSOT.json.. }, .. ] }         // ordered by session_id
 *
 * heartbeats/<session_id>.json
 * { "session_id", "status", "current_work", "claimed_work": [..], "availability", "online", "last_event",
 *   "timestamp" }                                                                     // timestamp: when written
 * }</pre>
 * Sessions are every session the bus knows: online ones and those offline for less than the node's session
 * retention. {@code current_work} is what the session reported in {@code status.update}; the work it holds by
 * claim is {@code claimed_work}. A sync writes the heartbeats first and {@code SSOT.json} last. A heartbeat is
 * rewritten when its content changes, and every heartbeat interval for each online session (its timestamp
 * moves) — that periodic refresh also rewrites {@code SSOT.json} and {@code claude_sessions.json}, so changes
 * no watched event announces (a session's {@code last_event} after publishing elsewhere, sessions forgotten
 * after retention) show up by then. The heartbeat of a forgotten session is deleted.
 *
 * <h2>Threading</h2>
 * The node calls the observer on the publishing thread; it only marks the state changed and wakes one
 * dedicated daemon thread, {@code nexus-ssot-writer}, which reads a snapshot and does all file I/O. Publishers
 * and event loops never wait for the disk. The public methods are thread-safe.
 *
 * <h2>Failures</h2>
 * A sync that fails (the directory cannot be created or written, the state cannot be read) is logged once as a
 * warning when the files go from healthy to failing, and once at info when they recover; it is retried at the
 * next change, or after {@code min(5 s, heartbeat interval)} if nothing changes. {@link #healthy()} reports it.
 *
 * <h2>Lifecycle</h2>
 * {@link #start()} subscribes and starts the writer, which writes an initial snapshot at once. {@link #close()}
 * unsubscribes, stops the writer and then writes the final state synchronously on the calling thread, so a
 * graceful shutdown leaves consistent files. Idempotent.
 */
public final class SsotSync implements AutoCloseable {
    /** The heartbeat interval of seed 000. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofMinutes(5);
    /** How long the writer gathers changes after the first one before it writes. */
    static final Duration COALESCE_DELAY = Duration.ofMillis(100);
    private static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final List<TopicPattern> WATCHED = List.of(TopicPattern.parse("session.>"),
            TopicPattern.parse("work.>"), TopicPattern.parse("status.>"), TopicPattern.parse("capability.>"));
    private static final Logger LOG = LoggerFactory.getLogger(SsotSync.class);

    private enum State { NEW, RUNNING, CLOSED }

    private final Path directory;
    private final Node node;
    private final Clock clock;
    private final long heartbeatNanos;
    private final long retryNanos;
    private final SsotFiles files;
    private final ChangeSignal signal = new ChangeSignal();
    private final Object writeLock = new Object();
    private final Thread writer;
    private State state = State.NEW;
    private AutoCloseable observation;
    private volatile boolean running;
    private volatile boolean healthy = true;
    private volatile Instant lastWrite;
    private volatile String lastError;

    /**
     * @param ssotDir the directory to keep in step; created, with {@code heartbeats/}, at the first write
     * @param node the bus whose state the files show
     * @param heartbeatInterval how often online sessions' heartbeats are refreshed without any change
     *     ({@link #DEFAULT_HEARTBEAT_INTERVAL} in production); positive
     * @param clock the time written into the files
     */
    public SsotSync(Path ssotDir, Node node, Duration heartbeatInterval, Clock clock) {
        Objects.requireNonNull(ssotDir, "ssotDir");
        this.node = Objects.requireNonNull(node, "node");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (heartbeatInterval == null || heartbeatInterval.isNegative() || heartbeatInterval.isZero()) {
            throw new IllegalArgumentException("heartbeat interval must be positive: " + heartbeatInterval);
        }
        this.directory = ssotDir.toAbsolutePath().normalize();
        this.heartbeatNanos = heartbeatInterval.toNanos();
        this.retryNanos = Math.min(heartbeatNanos, MAX_RETRY_DELAY.toNanos());
        this.files = new SsotFiles(directory, new AtomicFileWriter());
        this.writer = new Thread(this::run, "nexus-ssot-writer");
        this.writer.setDaemon(true);
    }

    /**
     * Starts following the node: returns at once, the initial snapshot is written by the writer thread.
     *
     * @throws IllegalStateException when already started or closed
     */
    public synchronized void start() {
        if (state != State.NEW) {
            throw new IllegalStateException("SSOT sync already " + (state == State.RUNNING ? "started" : "closed"));
        }
        state = State.RUNNING;
        running = true;
        signal.wakes(writer);
        observation = node.observe(WATCHED, signal);
        writer.start();
    }

    /**
     * Whether the files are being kept in step: false from a failed sync until the next one succeeds; true
     * before the first sync.
     */
    public boolean healthy() {
        return healthy;
    }

    /** Why the last sync failed; null when it succeeded or none was made yet. */
    public String lastError() {
        return lastError;
    }

    /** The SSOT directory, absolute. */
    public Path directory() {
        return directory;
    }

    /** When the files were last written completely (by the clock given); null before the first success. */
    public Instant lastWrite() {
        return lastWrite;
    }

    /**
     * Unsubscribes, stops the writer thread and writes the final state on the calling thread (a failure there is
     * logged and reported by {@link #healthy()}, not thrown). Blocks for that write. Idempotent; does nothing when
     * never started.
     */
    @Override
    public synchronized void close() {
        State previous = state;
        state = State.CLOSED;
        if (previous != State.RUNNING) {
            return;
        }
        try {
            observation.close();
        } catch (Exception e) {
            LOG.warn("SSOT sync could not unsubscribe from the node: {}", e.toString());
        }
        running = false;
        LockSupport.unpark(writer);
        try {
            writer.join(STOP_TIMEOUT.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (writer.isAlive()) {
            LOG.warn("SSOT writer thread did not stop within {} s; writing the final state anyway",
                    STOP_TIMEOUT.toSeconds());
        }
        signal.take();
        sync(false);
    }

    /**
     * The writer thread: sleeps until the earliest of (first pending change + {@link #COALESCE_DELAY}), the next
     * heartbeat refresh and, after a failure, the retry time; then takes the pending changes and writes.
     */
    private void run() {
        long nextRefresh = System.nanoTime();
        boolean refreshPending = false;
        boolean retrying = false;
        long retryAt = 0;
        while (running) {
            long now = System.nanoTime();
            if (nextRefresh - now <= 0) {
                refreshPending = true;
                nextRefresh = now + heartbeatNanos;
            }
            long wait = refreshPending && !retrying ? 0 : nextRefresh - now;
            if (retrying) {
                wait = Math.min(wait, retryAt - now);
            }
            long since = signal.pendingSince();
            if (since != ChangeSignal.CLEAN) {
                wait = Math.min(wait, since + COALESCE_DELAY.toNanos() - now);
            }
            if (wait > 0) {
                LockSupport.parkNanos(this, wait);
                continue;
            }
            signal.take();
            if (sync(refreshPending)) {
                refreshPending = false;
                retrying = false;
            } else {
                retrying = true;
                retryAt = System.nanoTime() + retryNanos;
            }
        }
    }

    /** Writes one snapshot; returns whether it succeeded. Never throws. */
    private boolean sync(boolean refreshOnline) {
        synchronized (writeLock) {
            try {
                SsotSnapshot snapshot = SsotSnapshot.capture(node, clock);
                files.write(snapshot, refreshOnline);
                lastWrite = snapshot.takenAt();
                lastError = null;
                if (!healthy) {
                    healthy = true;
                    LOG.info("SSOT files in {} are written again", directory);
                }
                return true;
            } catch (IOException | RuntimeException e) {
                String reason = e.getClass().getSimpleName() + ": " + e.getMessage();
                lastError = reason;
                if (healthy) {
                    healthy = false;
                    LOG.warn("cannot write the SSOT files in {} ({}); retrying at the next change or in {} ms",
                            directory, reason, TimeUnit.NANOSECONDS.toMillis(retryNanos));
                } else {
                    LOG.debug("SSOT files in {} still cannot be written: {}", directory, reason);
                }
                return false;
            }
        }
    }
}
