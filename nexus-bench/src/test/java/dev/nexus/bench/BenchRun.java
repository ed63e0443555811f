package dev.nexus.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.nexus.protocol.WireJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs {@code nexus bench} with arguments as the command line would, and reads what it printed. */
record BenchRun(int exitCode, String output, JsonNode summary) {

    static BenchRun of(String... args) throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = BenchCommand.commandLine().setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
        String text = out.toString();
        assertThat(exit).as("exit of %s; stderr: %s; stdout: %s", Arrays.toString(args), err, text).isZero();
        List<String> lines = text.lines().filter(line -> !line.isBlank()).toList();
        assertThat(lines).as(text).isNotEmpty();
        String last = lines.getLast();
        assertThat(lines.stream().filter(line -> line.startsWith("{"))).as("one JSON line, the last: %s", text)
                .containsExactly(last);
        return new BenchRun(exit, text, WireJson.mapper().readTree(last));
    }
}
