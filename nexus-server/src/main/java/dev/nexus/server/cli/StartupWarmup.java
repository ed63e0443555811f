package dev.nexus.server.cli;

import dev.nexus.protocol.WireJson;
import io.vertx.core.transport.Transport;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteJDBCLoader;

/**
 * Loads, on a daemon thread, what a starting server needs first and takes longest to load — SQLite's and Netty's
 * native libraries, Jackson's mapper — while the main thread reads the command line and the configuration. With
 * logging set up in code ({@link ConsoleLogging}) and Vert.x built beside the store, it took the time to a healthy
 * server from 1.45–1.72 s to 1.0–1.35 s on two quiet cores (docs/benchmarks.md, step 25). Nothing here
 * changes behaviour: the main thread would load the same things moments later, and waits for a class this thread
 * is still initialising rather than loading it twice. A failure is ignored here; the main thread meets it again
 * where it is reported properly.
 */
final class StartupWarmup {
    private StartupWarmup() {
    }

    /**
     * Sets logging up on the calling thread, then starts the warm-up thread. Logging comes first and on one thread:
     * SLF4J holds back what other threads log while it is being set up and replays it later under a warning, and
     * both the libraries loaded here and the main thread log.
     */
    static void begin() {
        LoggerFactory.getILoggerFactory();
        Thread.ofPlatform().name("nexus-warmup").daemon().start(StartupWarmup::load);
    }

    private static void load() {
        try {
            SQLiteJDBCLoader.initialize();
            Transport.EPOLL.available();
            WireJson.mapper();
        } catch (Exception | LinkageError ignored) {
            // reported by the main thread when it needs the same library
        }
    }
}
