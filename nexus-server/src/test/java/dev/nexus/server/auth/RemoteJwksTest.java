package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.nexus.protocol.NexusException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code --jwt-jwks-url} against a real HTTP server on loopback: the keys at start, rotations, refusals. */
class RemoteJwksTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final AtomicReference<String> served = new AtomicReference<>();
    final AtomicInteger status = new AtomicInteger(200);
    final AtomicInteger fetches = new AtomicInteger();
    HttpServer provider;
    ECKey first;
    ECKey second;

    @BeforeEach
    void startProvider() throws Exception {
        first = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        second = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        served.set(new JWKSet(first.toPublicJWK()).toString());
        provider = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        provider.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        provider.start();
    }

    @AfterEach
    void stopProvider() {
        provider.stop(0);
    }

    private URI url() {
        return URI.create("http://127.0.0.1:" + provider.getAddress().getPort() + "/.well-known/jwks.json");
    }

    private JwtAuthenticator open(Duration refresh, Duration minInterval) {
        return JwtAuthenticator.create(AuthSettings.none().withJwksUrl(url(), null, null, Duration.ZERO), clock,
                refresh, minInterval);
    }

    private static String token(ECKey key) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                new JWTClaimsSet.Builder().subject("bob").expirationTime(Date.from(NOW.plusSeconds(60))).build());
        jwt.sign(new ECDSASigner(key));
        return jwt.serialize();
    }

    private static boolean accepts(JwtAuthenticator jwt, String token) {
        try {
            return jwt.authenticate(token).sessionId().equals("bob");
        } catch (NexusException e) {
            return false;
        }
    }

    @Test
    void aKeyIdNoKeyHasMakesItFetchAgainSoThatARotationIsPickedUp() throws Exception {
        try (JwtAuthenticator jwt = open(Duration.ofHours(1), Duration.ZERO)) {
            assertThat(accepts(jwt, token(first))).isTrue();
            assertThat(fetches.get()).isEqualTo(1);

            served.set(new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString());
            String bySecond = token(second);
            assertThat(accepts(jwt, bySecond)).as("not before the fetch it set off").isFalse();

            await().atMost(Duration.ofSeconds(10)).until(() -> accepts(jwt, bySecond));
            assertThat(accepts(jwt, token(first))).isTrue();
        }
    }

    @Test
    void unknownKeyIdsDoNotFetchMoreOftenThanTheMinimumInterval() throws Exception {
        try (JwtAuthenticator jwt = open(Duration.ofHours(1), Duration.ofHours(1))) {
            String bySecond = token(second);
            for (int i = 0; i < 20; i++) {
                assertThat(accepts(jwt, bySecond)).isFalse();
            }
            assertThat(fetches.get()).as("only the fetch at start").isEqualTo(1);
        }
    }

    @Test
    void theKeysAreFetchedAgainEveryRefreshAndAFailedFetchKeepsThem() throws Exception {
        try (JwtAuthenticator jwt = open(Duration.ofMillis(50), Duration.ofHours(1))) {
            String byFirst = token(first);
            status.set(500);
            int before = fetches.get();
            await().atMost(Duration.ofSeconds(10)).until(() -> fetches.get() > before + 1);
            assertThat(accepts(jwt, byFirst)).as("a failed fetch keeps the keys").isTrue();

            status.set(200);
            served.set(new JWKSet(second.toPublicJWK()).toString());
            await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(jwt, byFirst));
            assertThat(accepts(jwt, token(second))).isTrue();
        }
    }

    @Test
    void aStartWhoseKeysCannotBeFetchedFailsNamingTheUrl() throws IOException {
        status.set(404);
        assertThatThrownBy(() -> open(Duration.ofHours(1), Duration.ZERO)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(url().toString()).hasMessageContaining("HTTP 404");
        status.set(200);
        served.set("{\"keys\": 42}");
        assertThatThrownBy(() -> open(Duration.ofHours(1), Duration.ZERO))
                .hasMessageContaining("not a valid JWKS document");
        URI nobody = URI.create("http://127.0.0.1:1/jwks.json");
        assertThatThrownBy(() -> JwtAuthenticator.create(AuthSettings.none().withJwksUrl(nobody, null, null,
                Duration.ZERO), clock, Duration.ofHours(1), Duration.ZERO)).hasMessageContaining("cannot be fetched");
    }

    @Test
    void onlyHttpsOrLoopbackHttpUrlsAreAccepted() {
        assertThatThrownBy(() -> AuthSettings.none().withJwksUrl(URI.create("http://idp.example.com/jwks"), null, null,
                Duration.ZERO)).hasMessageContaining("must use https");
        assertThatThrownBy(() -> AuthSettings.none().withJwksUrl(URI.create("ftp://idp.example.com/jwks"), null, null,
                Duration.ZERO)).hasMessageContaining("https://");
        assertThat(AuthSettings.none().withJwksUrl(URI.create("https://idp.example.com/jwks"), null, null,
                Duration.ZERO).jwtJwksUrl()).hasHost("idp.example.com");
        assertThat(AuthSettings.none().withJwksUrl(URI.create("http://localhost:8080/jwks"), null, null,
                Duration.ZERO).jwtJwksUrl()).hasPort(8080);
    }
}
