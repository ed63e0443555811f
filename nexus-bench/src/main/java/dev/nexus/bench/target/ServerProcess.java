package dev.nexus.bench.target;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Nexus server the bench starts as a child process: the JVM running the bench, the same JVM flags as
 * {@code bin/nexus serve} ({@code NEXUS_SERVER_JAVA_OPTS}, which {@code bin/nexus bench} sets from {@code NEXUS_JAVA_OPTS}), the same classes (the bench jar carries the server),
 * {@code serve} with the options given. The child's CPU and resident memory are read from the OS, so its figures
 * are its own and not the load generator's.
 *
 * <p>{@link #close()} stops it (SIGTERM, then SIGKILL after 10 s) and deletes its data directory; idempotent.
 */
public final class ServerProcess implements AutoCloseable {
    /** The launcher's defaults (bin/nexus), kept in step with it. */
    static final String DEFAULT_JAVA_OPTS = "-XX:+UseZGC -Xms64m -Xmx512m";
    private static final String MAIN_CLASS = "dev.nexus.server.cli.NexusCommand";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final long POLL_MILLIS = 10;

    private final Process process;
    private final URI url;
    private final Path dataDir;
    private final Path log;
    private long startMillis;

    private ServerProcess(Process process, URI url, Path dataDir, Path log) {
        this.process = process;
        this.url = url;
        this.dataDir = dataDir;
        this.log = log;
    }

    /**
     * Starts {@code serve} on a free loopback port with the rate limit off, connection and subscription limits
     * raised for load, and {@code serveOptions} (pairs of option and value, replacing a default of the same name);
     * waits until {@code /health} answers.
     */
    public static ServerProcess start(List<String> serveOptions) throws IOException, InterruptedException {
        if (serveOptions.size() % 2 != 0) {
            throw new IllegalArgumentException("serve options come in option/value pairs: " + serveOptions);
        }
        int port = freePort();
        Path dataDir = Files.createTempDirectory("nexus-bench-");
        Path log = dataDir.resolveSibling(dataDir.getFileName() + ".log");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("--enable-native-access=ALL-UNNAMED");
        String javaOpts = System.getenv("NEXUS_SERVER_JAVA_OPTS");
        command.addAll(Arrays.asList((javaOpts == null || javaOpts.isBlank() ? DEFAULT_JAVA_OPTS : javaOpts).trim().split("\\s+")));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), MAIN_CLASS, "serve"));
        Map<String, String> options = new LinkedHashMap<>();
        options.put("--host", "127.0.0.1");
        options.put("--port", Integer.toString(port));
        options.put("--data-dir", dataDir.toString());
        options.put("--rate-limit", "0");
        options.put("--max-connections", "100000");
        options.put("--max-connections-per-ip", "100000");
        options.put("--max-subscriptions", "100000");
        for (int i = 0; i < serveOptions.size(); i += 2) {
            options.put(serveOptions.get(i), serveOptions.get(i + 1));
        }
        options.forEach((name, value) -> {
            command.add(name);
            command.add(value);
        });
        URI url = URI.create("http://127.0.0.1:" + port);
        try (HealthProbe probe = new HealthProbe(url)) {
            long spawned = System.nanoTime();
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            ServerProcess server = new ServerProcess(process, url, dataDir, log);
            try {
                server.awaitHealthy(probe);
                server.startMillis = (System.nanoTime() - spawned) / 1_000_000;
            } catch (IOException | RuntimeException | InterruptedException e) {
                server.close();
                throw e;
            }
            return server;
        }
    }

    public URI url() {
        return url;
    }

    public long pid() {
        return process.pid();
    }

    /**
     * Milliseconds from starting the JVM to the first {@code 200} from {@code /health} (polled every
     * {@value #POLL_MILLIS} ms, so up to that much late).
     */
    public long startMillis() {
        return startMillis;
    }

    /** CPU time the server process has used so far (user + system), in nanoseconds. */
    public long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** The server's resident set size now, in bytes ({@code VmRSS}); 0 where /proc is not there. */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    private void awaitHealthy(HealthProbe probe) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the Nexus server exited with " + process.exitValue() + " before answering /health: "
                        + tail());
            }
            if (probe.healthy()) {
                return;
            }
            process.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS);
        }
        throw new IOException("the Nexus server did not answer /health within " + START_TIMEOUT.toSeconds() + " s: " + tail());
    }

    /**
     * Asks {@code /health} whether the server is up. Made, and tried once against the still-closed port, before the
     * server's JVM is spawned: the HTTP client's classes and selector thread then cost the bench nothing while the
     * server starts, so the start-up time is the server's own and not shared with the bench's first request
     * (docs/benchmarks.md, step 41).
     */
    private static final class HealthProbe implements AutoCloseable {
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        private final HttpRequest request;

        HealthProbe(URI url) throws InterruptedException {
            this.request = HttpRequest.newBuilder(url.resolve("/health")).timeout(Duration.ofSeconds(1)).build();
            healthy();
        }

        boolean healthy() throws InterruptedException {
            try {
                return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException e) {
                return false; // not listening yet
            }
        }

        @Override
        public void close() {
            http.close();
        }
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        deleteTree(dataDir);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a leftover log in the temp directory is harmless
        }
    }

    private static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a leftover temp directory is harmless
        }
    }
}
