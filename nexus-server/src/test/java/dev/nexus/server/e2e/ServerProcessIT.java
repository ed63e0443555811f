package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged server as an operator runs it: a separate process, real signals, real exit codes. */
class ServerProcessIT {
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    @Test
    void sigtermClosesSessionsWithGoingAwayFlushesSsotAndExits() throws Exception {
        Path ssot = dir.resolve("ssot");
        Process process = start("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--ssot-dir", ssot.toString());
        List<String> log = new CopyOnWriteArrayList<>();
        CompletableFuture<Void> logEnded = new CompletableFuture<>();
        int port = awaitPort(process, log, logEnded);
        try (WsClient client = WsClient.connect(URI.create("ws://127.0.0.1:" + port + "/ws/session/agent-1"))) {
            client.subscribe("work.*");
            // Process.destroy() would also close our end of the server's output pipe; send the signal instead
            new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).start().waitFor();
            JsonNode notice = client.await(m -> "error".equals(m.path("type").asText()));
            assertThat(notice.path("error").asText()).isEqualTo("shutting_down");
            assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
        }
        assertThat(process.waitFor(15, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
        logEnded.get(5, TimeUnit.SECONDS);
        assertThat(process.exitValue()).as("exit status after SIGTERM").isEqualTo(143);
        assertThat(String.join("\n", log)).as("server log").contains("Nexus stopped").doesNotContain("Exception")
                .doesNotContain("SLF4J");
        assertThat(log).as("one line per event: UTC time, level, logger, message")
                .anySatisfy(line -> assertThat(line).matches(
                        "\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z INFO  NexusServer - Nexus .* listening on http://.*"));
        JsonNode sessions = dev.nexus.protocol.WireJson.mapper().readTree(ssot.resolve("claude_sessions.json").toFile());
        assertThat(sessions.path("sessions").get(0).path("session_id").asText()).isEqualTo("agent-1");
        assertThat(sessions.path("sessions").get(0).path("online").asBoolean())
                .as("the final SSOT flush saw the session go offline").isFalse();
    }

    @Test
    void badOptionIsOneLineAndExitCodeTwo() throws Exception {
        Process process = start("serve", "--port", "abc");
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> err = lines(process);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(err).containsExactly(
                "nexus: Invalid value for option '--port': 'abc' is not an int (see 'nexus serve --help')");
        assertThat(String.join("\n", err)).doesNotContain("Exception", "\tat ");
    }

    @Test
    void portInUseIsOneLineAndExitCodeOne() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Process process = start("serve", "--port", Integer.toString(taken.getLocalPort()),
                    "--data-dir", dir.resolve("data").toString());
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
            List<String> err = lines(process);
            assertThat(process.exitValue()).isEqualTo(1);
            assertThat(err).anySatisfy(line -> assertThat(line).startsWith("nexus: cannot listen on 127.0.0.1:"));
            assertThat(String.join("\n", err)).doesNotContain("\tat ");
        }
    }

    @Test
    void aCorruptDatabaseStopsTheStartWithOneLineNamingIt() throws Exception {
        Path data = java.nio.file.Files.createDirectories(dir.resolve("corrupt"));
        java.nio.file.Files.write(data.resolve("nexus.db"), "this is not an SQLite database, just bytes".repeat(200).getBytes());
        Process process = start("serve", "--port", "0", "--data-dir", data.toString());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> output = lines(process);
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("nexus: cannot open the event log in ")
                .contains("nexus.db"));
        assertThat(String.join("\n", output)).doesNotContain("\tat ");
    }

    @Test
    void anUnreadableAclFileStopsTheStartWithOneLineAndTheProcessExits() throws Exception {
        Process process = start("serve", "--port", "0", "--data-dir", dir.resolve("data").toString(),
                "--acl-file", dir.resolve("missing-acl.yaml").toString());
        // Vert.x is built beside the rest of the start: its threads must not keep a failed start's JVM alive
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).as("exits").isTrue();
        List<String> output = lines(process);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(output).anySatisfy(line -> assertThat(line).startsWith("nexus: --acl-file ")
                .contains("missing-acl.yaml"));
        assertThat(String.join("\n", output)).doesNotContain("\tat ");
    }

    @Test
    void refusesNonLoopbackBindWithoutTheInsecureFlag() throws Exception {
        Process process = start("serve", "--host", "0.0.0.0", "--port", "0", "--data-dir", dir.resolve("data").toString());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).isEqualTo(1);
        assertThat(String.join("\n", lines(process))).contains("nexus: refusing to bind 0.0.0.0");
    }

    private static Process start(String... args) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-jar", System.getProperty("nexus.server.jar")));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        return builder.start();
    }

    private static int awaitPort(Process process, List<String> log, CompletableFuture<Void> logEnded) throws Exception {
        CompletableFuture<Integer> port = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try (BufferedReader reader = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = reader.readLine()) != null) {
                    log.add(line);
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        port.complete(Integer.parseInt(m.group(1)));
                    }
                }
                port.completeExceptionally(new AssertionError("server exited before listening: " + log));
            } catch (IOException e) {
                port.completeExceptionally(e);
            }
            logEnded.complete(null);
        });
        return port.get(30, TimeUnit.SECONDS);
    }

    private static List<String> lines(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    }
}
