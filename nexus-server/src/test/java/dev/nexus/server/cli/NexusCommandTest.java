package dev.nexus.server.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.server.ServerConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command line as an operator meets it: precedence of flags, environment and config file; one-line errors. */
class NexusCommandTest {
    @TempDir
    Path dir;

    @Test
    void defaultsAreTheDocumentedOnes() {
        ServerConfig config = configFor(Map.of(), "serve");
        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.port()).isEqualTo(8450);
        assertThat(config.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(config.ssotDir()).isNull();
        assertThat(config.registryUrl()).isNull();
        assertThat(config.rateLimitPerMinute()).isEqualTo(100);
        assertThat(config.historySize()).isEqualTo(1000);
        assertThat(config.historyRetention()).isEqualTo(Duration.ofHours(1));
        assertThat(config.claimGrace()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.maxEventBytes()).isEqualTo(1024 * 1024);
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.maxHandshakes()).isEqualTo(1000);
        assertThat(config.aclFile()).isNull();
    }

    @Test
    void slowClientLimitsAndTheAclFileAreOptions() {
        ServerConfig config = configFor(Map.of(), "serve", "--header-timeout", "3s", "--max-handshakes", "5",
                "--acl-file", "acl.json");
        assertThat(config.headerTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.maxHandshakes()).isEqualTo(5);
        assertThat(config.aclFile()).isEqualTo(Path.of("acl.json"));
        assertOneLineError(Map.of(), List.of("serve", "--max-handshakes", "0"), "--max-handshakes must be positive", 2);
        assertOneLineError(Map.of(), List.of("serve", "--header-timeout", "0s"), "--header-timeout must be positive", 2);
    }

    @Test
    void aJwksUrlIsAKeySourceOfItsOwn() {
        ServerConfig config = configFor(Map.of(), "serve", "--auth", "jwt", "--jwt-jwks-url",
                "https://idp.example.com/.well-known/jwks.json");
        assertThat(config.auth().jwtJwksUrl()).hasToString("https://idp.example.com/.well-known/jwks.json");
        assertOneLineError(Map.of(), List.of("serve", "--auth", "jwt", "--jwt-jwks-url", "http://idp.example.com/jwks"),
                "must use https", 2);
        assertOneLineError(Map.of(), List.of("serve", "--auth", "jwt", "--jwt-jwks-url", "https://idp.example.com/jwks",
                "--jwt-key-file", "key.pem"), "exactly one of", 2);
    }

    @Test
    void flagBeatsEnvironmentWhichBeatsConfigFile() throws Exception {
        Path yaml = dir.resolve("nexus.yaml");
        Files.writeString(yaml, """
                port: 9001
                rate-limit: 7
                history_retention: 30m
                ssot-dir: /tmp/ssot
                allowed-origins: [http://a.example, http://b.example]
                """);
        ServerConfig config = configFor(Map.of("NEXUS_PORT", "9002", "NEXUS_HISTORY_SIZE", "50"),
                "serve", "--config", yaml.toString(), "--rate-limit", "8");
        assertThat(config.port()).as("environment over file").isEqualTo(9002);
        assertThat(config.rateLimitPerMinute()).as("flag over file").isEqualTo(8);
        assertThat(config.historyRetention()).as("file over default").isEqualTo(Duration.ofMinutes(30));
        assertThat(config.historySize()).as("environment over default").isEqualTo(50);
        assertThat(config.ssotDir()).isEqualTo(Path.of("/tmp/ssot"));
        assertThat(config.allowedOrigins()).containsExactly("http://a.example", "http://b.example");
        assertThat(config.host()).as("default").isEqualTo("127.0.0.1");
    }

    @Test
    void configFileFromTheEnvironment() throws Exception {
        Path yaml = dir.resolve("nexus.yaml");
        Files.writeString(yaml, "registry-url: http://localhost:8000\n");
        ServerConfig config = configFor(Map.of("NEXUS_CONFIG", yaml.toString()), "serve");
        assertThat(config.registryUrl()).hasToString("http://localhost:8000");
    }

    @Test
    void durationsAndSizesInTheirUsualForms() {
        ServerConfig config = configFor(Map.of(), "serve", "--claim-grace", "1500ms", "--ping-interval", "2s",
                "--ping-timeout", "PT1M", "--max-event-size", "512KiB", "--outbound-queue-size", "4MiB");
        assertThat(config.claimGrace()).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.pingTimeout()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.maxEventBytes()).isEqualTo(512 * 1024);
        assertThat(config.outboundQueueBytes()).isEqualTo(4 * 1024 * 1024);
    }

    @Test
    void badValuesGiveOneLineAndExitTwo() {
        assertOneLineError(Map.of(), List.of("serve", "--port", "abc"), "'--port'", 2);
        assertOneLineError(Map.of(), List.of("serve", "--bogus"), "Unknown option", 2);
        assertOneLineError(Map.of(), List.of("serve", "--history-retention", "soon"), "not a duration", 2);
        assertOneLineError(Map.of(), List.of("serve", "--port", "70000"), "--port must be between 0 and 65535", 2);
        assertOneLineError(Map.of(), List.of("serve", "--rate-limit", "-1"), "--rate-limit", 2);
        assertOneLineError(Map.of("NEXUS_PORT", "x"), List.of("serve"), "'--port'", 2);
        assertOneLineError(Map.of(), List.of("serve", "--registry-url", "ftp://x"), "--registry-url must be an http(s) URL", 2);
    }

    @Test
    void configFileProblemsAreOneLine() throws Exception {
        Path yaml = dir.resolve("bad.yaml");
        Files.writeString(yaml, "prot: 1\n");
        assertThatThrownBy(() -> NexusCommand.commandLine(new String[] {"serve", "--config", yaml.toString()}, Map.of()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown key 'prot'");
        assertThatThrownBy(() -> NexusCommand.commandLine(new String[] {"serve", "--config", dir.resolve("none.yaml").toString()}, Map.of()))
                .hasMessageContaining("does not exist");
        assertThat(NexusCommand.execute(new String[] {"serve", "--config", yaml.toString()}, Map.of())).isEqualTo(2);
    }

    @Test
    void helpShowsEveryOptionWithItsDefault() {
        StringWriter out = new StringWriter();
        CommandLine commandLine = NexusCommand.commandLine(new String[] {"serve", "--help"}, Map.of());
        commandLine.setOut(new PrintWriter(out, true));
        assertThat(commandLine.execute("serve", "--help")).isZero();
        String help = out.toString();
        for (String option : ServeCommand.optionNames()) {
            assertThat(help).contains("--" + option);
        }
        assertThat(help).contains("Default: 8450", "Default: ./data", "Default: 100", "Default: 1h", "NEXUS_");
    }

    private static ServerConfig configFor(Map<String, String> env, String... args) {
        CommandLine commandLine = NexusCommand.commandLine(args, env);
        CommandLine.ParseResult result = commandLine.parseArgs(args);
        ServeCommand serve = (ServeCommand) result.subcommand().commandSpec().userObject();
        return serve.toConfig();
    }

    private static void assertOneLineError(Map<String, String> env, List<String> args, String expected, int exit) {
        StringWriter err = new StringWriter();
        String[] argv = args.toArray(String[]::new);
        CommandLine commandLine = NexusCommand.commandLine(argv, env);
        commandLine.setErr(new PrintWriter(err, true));
        int code = commandLine.execute(argv);
        assertThat(code).isEqualTo(exit);
        List<String> lines = err.toString().lines().toList();
        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).startsWith("nexus: ").contains(expected);
        assertThat(err.toString()).doesNotContain("Exception", "\tat ");
    }
}
