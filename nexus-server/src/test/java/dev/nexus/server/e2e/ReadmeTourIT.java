package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's five-minute tour, run as written with real clients (curl, Python with the websockets library)
 * against a real server, so the tour cannot drift from what the server does. Only the port differs.
 */
class ReadmeTourIT {
    private static final Path ROOT = Path.of(System.getProperty("user.dir")).getParent();
    private static final Pattern BLOCK = Pattern.compile("```(sh|python)\\n(.*?)```", Pattern.DOTALL);

    @TempDir
    Path dir;

    private TestServer nexus;

    @BeforeEach
    void start() {
        nexus = TestServer.start(b -> b.rateLimitPerMinute(100));
    }

    @AfterEach
    void stop() {
        nexus.close();
    }

    @Test
    void curlCommandsOfTheTourRunAsWritten() throws Exception {
        String script = String.join("\n", blocks("sh").subList(2, blocks("sh").size()));
        Result result = run(List.of("bash", "-euo", "pipefail", "-c", withPort(script)), Duration.ofSeconds(30));
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output)
                .contains("\"status\":\"active\"")
                .contains("\"status\":\"published\"")
                .contains("\"status\":\"claimed\"")
                .contains("\"error\":\"claim_conflict\"")
                .contains("\"claimed_by\":\"session-3\"")
                .contains("\"events_total\"");
    }

    @Test
    void pythonListenerOfTheTourReceivesWhatCurlPublishes() throws Exception {
        String python = python();
        Path script = Files.writeString(dir.resolve("listener.py"), withPort(blocks("python").get(0)));
        Path output = dir.resolve("listener.out");
        Process listener = new ProcessBuilder(python, "-u", script.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> Files.readString(output).contains("'action': 'publish'"));
            String curl = blocks("sh").get(2).lines().filter(l -> l.contains("POST localhost:8450/events") || l.startsWith("  -d '{\"event_type\""))
                    .reduce("", (a, b) -> a + b + "\n");
            assertThat(run(List.of("bash", "-c", withPort(curl)), Duration.ofSeconds(10)).exit).isZero();
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Files.readString(output))
                    .contains("subscriptions")
                    .contains("help.needed from session-3 {'task': 'Review PR 42'}")
                    .contains("help.needed from session-5 {'task': 'Debug WebSocket'"));
        } finally {
            listener.destroy();
            listener.waitFor(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void tourScriptRunsTheWholeStory() throws Exception {
        Result result = run(List.of(python(), ROOT.resolve("examples/tour.py").toString(),
                nexus.server.webSocketUri().toString()), Duration.ofSeconds(30));
        assertThat(result.exit).as(result.output).isZero();
        assertThat(result.output)
                .contains("session-3 received: Debug WebSocket reconnects from session-5")
                .contains("broadcast: work.claimed debug-reconnects by session-3")
                .contains("broadcast: work.completed debug-reconnects result {'fixed': True}")
                .contains("ping -> pong");
    }

    private String withPort(String text) {
        return text.replace("localhost:8450", "localhost:" + nexus.server.port())
                .replace("127.0.0.1:8450", "127.0.0.1:" + nexus.server.port());
    }

    private static List<String> blocks(String language) throws IOException {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String tour = readme.substring(readme.indexOf("## A five-minute tour"), readme.indexOf("## API reference"));
        String head = readme.substring(0, readme.indexOf("## A five-minute tour"));
        List<String> found = new ArrayList<>();
        for (String part : List.of(head, tour)) {
            Matcher m = BLOCK.matcher(part);
            while (m.find()) {
                if (m.group(1).equals(language)) {
                    found.add(m.group(2));
                }
            }
        }
        return found;
    }

    /** A Python 3 with the websockets library: required under CI, where .ci/run installs it. */
    private static String python() throws Exception {
        String found = null;
        for (String candidate : List.of("/usr/bin/python3", "python3")) {
            try {
                if (run(List.of(candidate, "-c", "import websockets"), Duration.ofSeconds(20)).exit == 0) {
                    found = candidate;
                    break;
                }
            } catch (IOException notInstalled) {
                // try the next one
            }
        }
        if (found == null && "true".equalsIgnoreCase(System.getenv("CI"))) {
            throw new AssertionError("CI needs python3 with the websockets library (apt install python3-websockets)");
        }
        assumeTrue(found != null, "python3 with the websockets library is not installed here");
        return found;
    }

    private record Result(int exit, String output) {
    }

    private static Result run(List<String> command, Duration timeout) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] bytes = process.getInputStream().readAllBytes();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(command + " did not finish within " + timeout);
        }
        return new Result(process.exitValue(), new String(bytes, StandardCharsets.UTF_8));
    }
}
