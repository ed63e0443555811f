package dev.nexus.server;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The server's data directory, created when missing and locked ({@code nexus.lock}) for as long as the server
 * runs, so two servers never share one directory.
 */
final class DataDirectory implements AutoCloseable {
    private final Path path;
    private final FileChannel lockChannel;
    private final FileLock lock;

    private DataDirectory(Path path, FileChannel lockChannel, FileLock lock) {
        this.path = path;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /** @throws IllegalStateException with a sentence for the operator when it cannot be created or is in use */
    static DataDirectory open(Path path) {
        try {
            Files.createDirectories(path);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + path.toAbsolutePath() + ": " + e);
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(path.resolve("nexus.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                channel.close();
                throw new IllegalStateException("data directory " + path.toAbsolutePath()
                        + " is in use by another Nexus server; stop it or choose another --data-dir");
            }
            return new DataDirectory(path, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalStateException("cannot lock data directory " + path.toAbsolutePath() + ": " + e);
        }
    }

    Path path() {
        return path;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException ignored) {
            // the channel is closed next, which releases the lock anyway
        }
        closeQuietly(lockChannel);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing more to do when closing fails
            }
        }
    }
}
