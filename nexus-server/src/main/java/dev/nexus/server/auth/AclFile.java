package dev.nexus.server.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --acl-file}: the {@link TopicPolicy} the file describes, read again within {@code pollInterval} of a change
 * (a {@link WatchedFile}). Every check after a reload uses the new rules; a version that cannot be read or parsed
 * is logged and the previous rules stay in force; listeners hear of each new policy, so that subscriptions the
 * new rules no longer allow can be ended. A file that cannot be read at start stops the start.
 */
public final class AclFile implements Supplier<TopicPolicy>, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AclFile.class);

    private final WatchedFile watched;
    private final List<Consumer<TopicPolicy>> listeners = new CopyOnWriteArrayList<>();
    private volatile TopicPolicy current;

    private AclFile(WatchedFile watched) {
        this.watched = watched;
        this.current = TopicPolicy.load(watched.path());
    }

    /**
     * Reads the file and starts watching it.
     *
     * @throws IllegalArgumentException with a sentence for the operator when the file is missing or malformed
     */
    public static AclFile open(Path path, Duration pollInterval) {
        AclFile file = new AclFile(new WatchedFile(path));
        file.watched.watch(pollInterval, "nexus-acl-file", file::reload);
        return file;
    }

    /** The rules in force now. */
    @Override
    public TopicPolicy get() {
        return current;
    }

    /** Calls {@code listener}, on this file's watcher thread, with each policy a reload puts in force. */
    public void onChange(Consumer<TopicPolicy> listener) {
        listeners.add(listener);
    }

    private void reload() {
        TopicPolicy loaded;
        try {
            loaded = TopicPolicy.load(watched.path());
        } catch (IllegalArgumentException e) {
            LOG.warn("{}; the previous topic ACLs stay in force", e.getMessage());
            return;
        }
        current = loaded;
        LOG.info("topic ACLs reloaded from {}", watched.path().toAbsolutePath().normalize());
        for (Consumer<TopicPolicy> listener : listeners) {
            try {
                listener.accept(loaded);
            } catch (RuntimeException e) {
                LOG.error("applying the reloaded topic ACLs to open connections failed", e);
            }
        }
    }

    @Override
    public void close() {
        watched.close();
    }
}
