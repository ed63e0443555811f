package dev.nexus.server.ssot;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Replaces a file's content so that a reader sees either the whole old content or the whole new content, never
 * a mix or a partial file: the bytes go to a hidden temporary file in the same directory
 * ({@code .<name>.<random>.tmp}), which is forced to disk, then renamed over the target with
 * {@link StandardCopyOption#ATOMIC_MOVE}; finally the directory is forced so the rename itself survives a crash,
 * where the platform allows opening a directory (it does on Linux and macOS; elsewhere that step is skipped).
 *
 * <p>Stateless and thread-safe. Concurrent writes to the same target never corrupt it: the last rename wins.
 * Blocking: it does file I/O and fsync, so call it only from a thread that may block.
 */
public final class AtomicFileWriter {

    /**
     * Writes {@code content} to {@code target} atomically, replacing any existing file.
     *
     * @param target the file to write; its parent directory must exist
     * @throws IOException when any step fails; the target is then unchanged and the temporary file removed
     */
    public void write(Path target, byte[] content) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = directory.resolve("." + target.getFileName() + "."
                + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
        // CREATE_NEW, not Files.createTempFile: the latter makes the file owner-only (0600) on POSIX, and the
        // renamed file must stay readable by the other tools that share the directory (the umask decides).
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            try (channel) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(temp, e);
            throw e;
        }
        forceDirectory(directory);
    }

    private static void forceDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Opening or syncing a directory is not possible on every platform (Windows refuses it); the rename
            // has happened and readers see the new file either way, only its crash durability is weaker there.
        }
    }

    private static void deleteQuietly(Path temp, Exception cause) {
        try {
            Files.deleteIfExists(temp);
        } catch (IOException e) {
            cause.addSuppressed(e);
        }
    }
}
