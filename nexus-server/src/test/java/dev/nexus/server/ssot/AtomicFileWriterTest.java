package dev.nexus.server.ssot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFileWriterTest {
    @TempDir
    Path dir;

    private final AtomicFileWriter writer = new AtomicFileWriter();

    @Test
    void writesANewFileAndReplacesAnExistingOneLeavingNoTemporaryFiles() throws IOException {
        Path target = dir.resolve("SSOT.json");

        writer.write(target, bytes("{\"v\":1}"));
        assertThat(target).hasContent("{\"v\":1}");
        writer.write(target, bytes("{\"v\":2}"));

        assertThat(target).hasContent("{\"v\":2}");
        assertThat(entries()).containsExactly("SSOT.json");
    }

    @Test
    void theFileIsReadableByOthersAsTheUmaskAllows() throws IOException {
        Path target = dir.resolve("claude_sessions.json");
        Path reference = Files.createFile(dir.resolve("made-the-usual-way"));

        writer.write(target, bytes("{}"));

        assertThat(Files.getPosixFilePermissions(target)).isEqualTo(Files.getPosixFilePermissions(reference));
    }

    @Test
    void aFailedWriteLeavesTheTargetAsItWasAndNoTemporaryFile() throws IOException {
        Path target = dir.resolve("SSOT.json");
        writer.write(target, bytes("old"));
        Path directoryInTheWay = Files.createDirectory(dir.resolve("heartbeats"));
        Files.createFile(directoryInTheWay.resolve("child"));

        assertThatThrownBy(() -> writer.write(directoryInTheWay, bytes("new"))).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> writer.write(dir.resolve("missing/SSOT.json"), bytes("new")))
                .isInstanceOf(IOException.class);

        assertThat(target).hasContent("old");
        assertThat(entries()).containsExactlyInAnyOrder("SSOT.json", "heartbeats");
    }

    private List<String> entries() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
