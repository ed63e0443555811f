package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.charset.StandardCharsets;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
    @TempDir
    Path dir;

    private static List<TokenFile.Entry> parse(String json) {
        return TokenFile.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnObjectOfSessionsAndTokens() {
        assertThat(parse("{\"alice\":\"alice-token-16chars\",\"bob\":\"bob-token-16-chars\"}"))
                .extracting(TokenFile.Entry::sessionId).containsExactly("alice", "bob");
    }

    @Test
    void readsClaudeSessionsEntriesThatCarryAToken() {
        assertThat(parse("{\"updated_at\":\"x\",\"sessions\":[{\"session_id\":\"carol\",\"token\":\"carol-token-16chars\"},"
                + "{\"session_id\":\"dave\",\"role\":\"worker\"}]}"))
                .extracting(TokenFile.Entry::sessionId).containsExactly("carol");
    }

    @Test
    void refusesShortSharedOrMisplacedTokensWithoutQuotingThem() {
        assertThatThrownBy(() -> parse("{\"alice\":\"short-secret\"}"))
                .hasMessageContaining("alice").hasMessageContaining("16").hasMessageNotContaining("short-secret");
        assertThatThrownBy(() -> parse("{\"alice\":\"the-same-token-twice\",\"bob\":\"the-same-token-twice\"}"))
                .hasMessageContaining("bob").hasMessageNotContaining("the-same-token-twice");
        assertThatThrownBy(() -> parse("{\"../etc\":\"a-token-of-16-chars\"}")).hasMessageContaining("invalid session id");
        assertThatThrownBy(() -> parse("[\"x\"]")).hasMessageContaining("JSON object");
        assertThatThrownBy(() -> parse("{")).hasMessageContaining("not valid JSON");
    }

    @Test
    void theAuthenticatorMatchesEveryTokenToItsSessionOnly() throws IOException {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"alice\":\"alice-token-16chars\",\"bob\":\"bob-token-16-chars\"}");
        try (TokenAuthenticator tokens = new TokenAuthenticator(TokenFile.open(file, Duration.ofHours(1)))) {
            assertThat(tokens.authenticate("bob-token-16-chars")).isEqualTo(Principal.session("bob", null));
        assertThat(tokens.authenticate("alice-token-16chars").sessionId()).isEqualTo("alice");
        assertThatThrownBy(() -> tokens.authenticate("alice-token-16charz"))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
        }
    }

    @Test
    void aMissingOrBrokenFileStopsTheStartWithASentence() throws IOException {
        assertThatThrownBy(() -> TokenFile.open(dir.resolve("absent.json"), Duration.ofHours(1)))
                .hasMessageStartingWith("--tokens-file").hasMessageContaining("cannot be read");
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"alice\":");
        assertThatThrownBy(() -> TokenFile.open(broken, Duration.ofHours(1))).hasMessageContaining("not valid JSON");
    }

    @Test
    void aSessionWhoseTokenWasRemovedOrReplacedIsWithdrawnAndNoOtherIs() {
        List<TokenFile.Entry> before = parse("{\"alice\":\"alice-token-16chars\",\"bob\":\"bob-token-16-chars\","
                + "\"carol\":\"carol-token-16chars\"}");
        List<TokenFile.Entry> after = parse("{\"bob\":\"bob-token-16-chars\",\"carol\":\"carol-token-NEW-16\","
                + "\"dave\":\"dave-token-16-chars\"}");

        assertThat(TokenFile.withdrawn(before, after)).containsExactly("alice", "carol");
        assertThat(TokenFile.withdrawn(before, before)).isEmpty();
    }

    @Test
    void aReloadTellsTheListenersWhichSessionsLostTheirToken() throws Exception {
        Path file = dir.resolve("tokens.json");
        Files.writeString(file, "{\"alice\":\"alice-token-16chars\",\"bob\":\"bob-token-16-chars\"}");
        java.util.concurrent.BlockingQueue<java.util.Set<String>> heard = new java.util.concurrent.LinkedBlockingQueue<>();
        try (TokenAuthenticator tokens = new TokenAuthenticator(TokenFile.open(file, Duration.ofMillis(20)))) {
            tokens.onWithdrawn(heard::add);
            // a different size, so the change is seen even within the file system's timestamp granularity
            Files.writeString(file, "{\"bob\":\"bob-token-16-chars\",\"carol\":\"carol-token-16-chars-x\"}");

            assertThat(heard.poll(10, java.util.concurrent.TimeUnit.SECONDS)).containsExactly("alice");
            assertThat(tokens.authenticate("carol-token-16-chars-x").sessionId()).isEqualTo("carol");
            assertThat(heard).isEmpty();
        }
    }
}
