package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.nexus.server.auth.AuthSettings;
import dev.nexus.server.ssot.MutableClock;
import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --auth jwt} over real sockets: RFC 8725's refusals, the session is {@code sub}, expiry and refresh. */
class SecurityJwtAuthTest {
    static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

    @TempDir
    Path dir;
    final MutableClock clock = new MutableClock(START);

    private TestServer hs256Server() throws IOException {
        Path secret = dir.resolve("jwt.secret");
        Files.writeString(secret, Jwts.SECRET + "\n");
        return TestServer.start(b -> b.clock(clock).pingInterval(Duration.ofMillis(200))
                .auth(AuthSettings.none().withJwt(secret, null, "https://issuer.example", "nexus", Duration.ZERO)));
    }

    private static JWTClaimsSet claims(String sub, Instant exp) {
        return Jwts.claims(sub, exp, b -> b.issuer("https://issuer.example").audience("nexus"));
    }

    @Test
    void aValidTokenActsAsItsSubjectOnly() throws IOException {
        try (TestServer nexus = hs256Server()) {
            Http alice = nexus.http.as(Jwts.hs256(claims("alice", START.plusSeconds(300))));
            assertThat(alice.post("/events", body("alice")).status()).isEqualTo(200);
            Http.Response spoofed = alice.post("/events", body("bob"));
            assertThat(spoofed.status()).isEqualTo(403);
            assertThat(spoofed.json().path("error").asText()).isEqualTo("forbidden");
        }
    }

    @Test
    void expiredWrongAudienceWrongIssuerNoExpiryAndUnsignedTokensAreRefused() throws IOException {
        try (TestServer nexus = hs256Server()) {
            assertRefused(nexus, Jwts.hs256(claims("alice", START.minusSeconds(1))), "token_expired");
            assertRefused(nexus, Jwts.hs256(Jwts.claims("alice", START.plusSeconds(300),
                    b -> b.issuer("https://issuer.example").audience("someone-else"))), "invalid_token");
            assertRefused(nexus, Jwts.hs256(Jwts.claims("alice", START.plusSeconds(300),
                    b -> b.issuer("https://evil.example").audience("nexus"))), "invalid_token");
            assertRefused(nexus, Jwts.hs256(claims("alice", null)), "invalid_token");
            assertRefused(nexus, Jwts.unsigned(claims("alice", START.plusSeconds(300))), "invalid_token");
            assertRefused(nexus, Jwts.hs256(claims("../etc", START.plusSeconds(300))), "invalid_token");
            String valid = Jwts.hs256(claims("alice", START.plusSeconds(300)));
            String tampered = valid.substring(0, valid.lastIndexOf('.') + 1) + "AAAA" + valid.substring(valid.lastIndexOf('.') + 5);
            assertRefused(nexus, tampered, "invalid_token");
            assertThat(nexus.http.as(valid).get("/events/history?event_type=jwt.note").json().path("count").asInt()).isZero();
        }
    }

    @Test
    void keysFromTheIdentityProvidersJwksUrlAuthenticate() throws Exception {
        KeyPair rsa = Jwts.rsaKeyPair();
        String jwks = new com.nimbusds.jose.jwk.JWKSet(new com.nimbusds.jose.jwk.RSAKey.Builder(
                (java.security.interfaces.RSAPublicKey) rsa.getPublic()).build()).toString();
        com.sun.net.httpserver.HttpServer provider = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/jwks.json", exchange -> {
            byte[] body = jwks.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            try (java.io.OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
        java.net.URI url = java.net.URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/jwks.json");
        try (TestServer nexus = TestServer.start(b -> b.clock(clock)
                .auth(AuthSettings.none().withJwksUrl(url, null, null, Duration.ofSeconds(30))))) {
            JWTClaimsSet claims = claims("alice", START.plusSeconds(300));
            assertThat(nexus.http.as(Jwts.rs256(rsa, claims)).post("/events", body("alice")).status()).isEqualTo(200);
            assertRefused(nexus, Jwts.rs256(Jwts.rsaKeyPair(), claims), "invalid_token");
        } finally {
            provider.stop(0);
        }
    }

    @Test
    void hs256SignedWithTheRsaPublicKeyIsRefused() throws IOException {
        KeyPair rsa = Jwts.rsaKeyPair();
        Path key = dir.resolve("jwt.pem");
        Files.writeString(key, Jwts.pem(rsa.getPublic()));
        try (TestServer nexus = TestServer.start(b -> b.clock(clock)
                .auth(AuthSettings.none().withJwt(null, key, null, null, Duration.ofSeconds(30))))) {
            JWTClaimsSet claims = claims("alice", START.plusSeconds(300));
            assertThat(nexus.http.as(Jwts.rs256(rsa, claims)).post("/events", body("alice")).status()).isEqualTo(200);
            assertRefused(nexus, Jwts.hs256WithKey(rsa.getPublic().getEncoded(), claims), "invalid_token");
            assertRefused(nexus, Jwts.hs256WithKey(Jwts.pem(rsa.getPublic()).getBytes(), claims), "invalid_token");
            assertRefused(nexus, Jwts.hs256(claims), "invalid_token");
        }
    }

    @Test
    void aWebSocketIsClosedWhenItsTokenExpiresUnlessRefreshed() throws IOException {
        try (TestServer nexus = hs256Server();
                WsClient expiring = connect(nexus, "alice", Jwts.hs256(claims("alice", START.plusSeconds(60))));
                WsClient refreshed = connect(nexus, "bob", Jwts.hs256(claims("bob", START.plusSeconds(60))))) {
            assertThat(expiring.ping("before").path("type").asText()).isEqualTo("pong");

            refreshed.send("{\"action\":\"auth\",\"id\":\"r\",\"token\":\""
                    + Jwts.hs256(claims("bob", START.plusSeconds(3600))) + "\"}");
            JsonNode ack = refreshed.awaitReply("r");
            assertThat(ack.path("type").asText()).isEqualTo("ack");
            assertThat(ack.path("expires_at").asText()).isEqualTo("2030-01-01T01:00:00.000Z");
            refreshed.send("{\"action\":\"auth\",\"id\":\"other\",\"token\":\""
                    + Jwts.hs256(claims("alice", START.plusSeconds(7200))) + "\"}");
            assertThat(refreshed.awaitReply("other").path("error").asText()).isEqualTo("forbidden");

            clock.advance(Duration.ofSeconds(61));
            assertThat(expiring.closeCode().join()).isEqualTo(4004);
            assertThat(expiring.drain()).anySatisfy(m -> assertThat(m.path("error").asText()).isEqualTo("token_expired"));
            assertThat(refreshed.ping("after").path("type").asText()).isEqualTo("pong");
        }
    }

    @Test
    void aWebSocketWhoseSigningKeyIsWithdrawnIsClosedAtOnceAndOthersStayOpen() throws IOException {
        KeyPair kept = Jwts.rsaKeyPair();
        KeyPair withdrawn = Jwts.rsaKeyPair();
        Path keys = dir.resolve("jwks.json");
        Files.writeString(keys, jwks(kept, withdrawn));
        // no ping for an hour: only the check made when the keys are read again can close alice
        try (TestServer nexus = TestServer.start(b -> b.clock(clock).pingInterval(Duration.ofHours(1))
                        .pingTimeout(Duration.ofHours(2))
                        .auth(AuthSettings.none().withJwt(null, keys, null, null, Duration.ZERO)));
                WsClient alice = connect(nexus, "alice", Jwts.rs256(withdrawn, claims("alice", START.plusSeconds(300))));
                WsClient bob = connect(nexus, "bob", Jwts.rs256(kept, claims("bob", START.plusSeconds(300))))) {
            assertThat(alice.ping("before").path("type").asText()).isEqualTo("pong");
            assertThat(bob.ping("before").path("type").asText()).isEqualTo("pong");

            Files.writeString(keys, jwks(kept));

            assertThat(alice.closeCode().orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join()).isEqualTo(4005);
            assertThat(alice.drain()).anySatisfy(m -> assertThat(m.path("error").asText()).isEqualTo("token_revoked"));
            assertThat(bob.ping("after").path("type").asText()).as("bob's key is still in force").isEqualTo("pong");
            assertRefused(nexus, Jwts.rs256(withdrawn, claims("alice", START.plusSeconds(300))), "invalid_token");
        }
    }

    private static String jwks(KeyPair... keys) {
        return new com.nimbusds.jose.jwk.JWKSet(java.util.Arrays.stream(keys)
                .map(key -> (com.nimbusds.jose.jwk.JWK) new com.nimbusds.jose.jwk.RSAKey.Builder(
                        (java.security.interfaces.RSAPublicKey) key.getPublic()).build())
                .toList()).toString();
    }

    private static WsClient connect(TestServer nexus, String sessionId, String token) {
        return WsClient.connect(HttpClient.newHttpClient(),
                nexus.server.webSocketUri().resolve("/ws/session/" + sessionId), Map.of("Authorization", "Bearer " + token));
    }

    private static void assertRefused(TestServer nexus, String token, String code) {
        Http.Response refused = nexus.http.as(token).post("/events", body("alice"));
        assertThat(refused.status()).as("status for %s", code).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo(code);
        assertThat(WsClient.refusedUpgradeStatus(nexus.server.webSocketUri().resolve("/ws/session/alice"),
                Map.of("Authorization", "Bearer " + token))).isEqualTo(401);
    }

    private static String body(String sessionId) {
        return "{\"event_type\":\"jwt.note\",\"session_id\":\"" + sessionId + "\",\"payload\":{}}";
    }
}
