package dev.nexus.bench.target;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The Nexus server under test: one the bench started ({@link ServerProcess}, whose CPU and memory it can read), or
 * one already running at a URL the user gave (then only the URL is known). {@link #close()} stops a started server
 * and leaves a given one alone.
 */
public final class NexusTarget implements AutoCloseable {
    private final URI url;
    private final ServerProcess process;

    private NexusTarget(URI url, ServerProcess process) {
        this.url = url;
        this.process = process;
    }

    /** {@code url} when given, otherwise a new child server with {@code serveOptions}. */
    public static NexusTarget of(URI url, List<String> serveOptions) throws IOException, InterruptedException {
        if (url != null) {
            return new NexusTarget(url, null);
        }
        ServerProcess started = ServerProcess.start(serveOptions);
        return new NexusTarget(started.url(), started);
    }

    public URI url() {
        return url;
    }

    /** The child server, when the bench started one. */
    public Optional<ServerProcess> process() {
        return Optional.ofNullable(process);
    }

    @Override
    public void close() {
        if (process != null) {
            process.close();
        }
    }
}
