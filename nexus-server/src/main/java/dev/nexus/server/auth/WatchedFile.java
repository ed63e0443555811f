package dev.nexus.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An operator's file that is read again when it changes (the tokens file, the ACL file): its modification time
 * and size are compared every poll interval, on a daemon thread of its own (never an event loop), with what they
 * were when the file was last looked at, and {@code onChange} runs when either differs. A file that vanishes counts
 * as a change once, and again when it comes back. {@code onChange} reads the file itself and decides what a
 * broken version means; it runs once per change, not once per poll, so a broken file is reported once.
 */
final class WatchedFile implements AutoCloseable {
    private record Stamp(FileTime modified, long size) {
    }

    private final Path path;
    private ScheduledExecutorService poller;
    private Stamp seen;

    /** Notes how the file looks now; call it before the first read, so a change during that read is not missed. */
    WatchedFile(Path path) {
        this.path = Objects.requireNonNull(path, "path");
        this.seen = stamp();
    }

    /** Starts polling on a daemon thread named {@code threadName}. */
    synchronized void watch(Duration interval, String threadName, Runnable onChange) {
        if (poller != null) {
            throw new IllegalStateException(path + " is watched already");
        }
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, threadName);
            thread.setDaemon(true);
            return thread;
        });
        long millis = interval.toMillis();
        poller.scheduleWithFixedDelay(() -> check(onChange), millis, millis, TimeUnit.MILLISECONDS);
    }

    Path path() {
        return path;
    }

    private void check(Runnable onChange) {
        Stamp now = stamp();
        synchronized (this) {
            if (Objects.equals(now, seen)) {
                return;
            }
            seen = now;
        }
        onChange.run();
    }

    /** The file's modification time and size, or null when they cannot be read (no such file, no permission). */
    private Stamp stamp() {
        try {
            return new Stamp(Files.getLastModifiedTime(path), Files.size(path));
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public synchronized void close() {
        if (poller != null) {
            poller.shutdownNow();
        }
    }
}
