package dev.nexus.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.nexus.protocol.ErrorCode;
import dev.nexus.protocol.NexusException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JwtAuthenticatorTest {
    static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    Path dir;

    private JwtAuthenticator hmac(Duration leeway) {
        return new JwtAuthenticator(List.of(JwtKeys.hmac(SECRET, null, "test")), null, null, leeway, clock);
    }

    private static String sign(JWSHeader header, JWTClaimsSet claims, JWSSigner signer) throws JOSEException {
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    private static JWTClaimsSet claims(String sub, Instant exp) {
        return new JWTClaimsSet.Builder().subject(sub).expirationTime(Date.from(exp)).build();
    }

    @Test
    void theSubjectIsTheSessionAndTheExpiryIncludesTheLeeway() throws JOSEException {
        Principal principal = hmac(Duration.ofSeconds(30))
                .authenticate(sign(new JWSHeader(JWSAlgorithm.HS256), claims("alice", NOW.plusSeconds(60)), new MACSigner(SECRET)));
        assertThat(principal.sessionId()).isEqualTo("alice");
        assertThat(principal.expiresAt()).isEqualTo(NOW.plusSeconds(90));
        assertThat(principal.signingKey()).as("the fingerprint of the key that verified it").hasSize(64);
    }

    @Test
    void leewayToleratesARecentExpiryAndANearNotBeforeOnly() throws JOSEException {
        String justExpired = sign(new JWSHeader(JWSAlgorithm.HS256), claims("alice", NOW.minusSeconds(20)), new MACSigner(SECRET));
        assertThat(hmac(Duration.ofSeconds(30)).authenticate(justExpired).sessionId()).isEqualTo("alice");
        assertThatThrownBy(() -> hmac(Duration.ZERO).authenticate(justExpired))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.TOKEN_EXPIRED));
        String notYet = sign(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("alice")
                .expirationTime(Date.from(NOW.plusSeconds(600))).notBeforeTime(Date.from(NOW.plusSeconds(120))).build(),
                new MACSigner(SECRET));
        assertThatThrownBy(() -> hmac(Duration.ofSeconds(60)).authenticate(notYet))
                .isInstanceOfSatisfying(NexusException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_TOKEN));
    }

    @Test
    void es256KeysFromAJwksVerifyAndTheKidMustMatch() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(key.toPublicJWK()).toString());
        JwtAuthenticator jwt = JwtAuthenticator.create(AuthSettings.none().withJwt(null, jwks, null, null, Duration.ZERO), clock);
        String token = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(), claims("bob", NOW.plusSeconds(60)),
                new ECDSASigner(key));
        assertThat(jwt.authenticate(token).sessionId()).isEqualTo("bob");
        String otherKid = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k2").build(), claims("bob", NOW.plusSeconds(60)),
                new ECDSASigner(key));
        assertThatThrownBy(() -> jwt.authenticate(otherKid)).isInstanceOf(NexusException.class);
    }

    @Test
    void aRotatedJwksIsReadWithoutARestartAndABrokenOneLeavesTheKeysInForce() throws Exception {
        ECKey first = new ECKeyGenerator(Curve.P_256).keyID("k1").generate();
        ECKey second = new ECKeyGenerator(Curve.P_256).keyID("k2").generate();
        Path jwks = dir.resolve("jwks.json");
        Files.writeString(jwks, new JWKSet(first.toPublicJWK()).toString());
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory
                .getLogger(JwtAuthenticator.class);
        ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> captured =
                new ch.qos.logback.core.read.ListAppender<>();
        captured.start();
        log.addAppender(captured);
        try (JwtAuthenticator jwt = JwtAuthenticator.create(AuthSettings.none().withJwt(null, jwks, null, null,
                Duration.ZERO), clock, Duration.ofMillis(20))) {
            AtomicInteger withdrawals = new AtomicInteger();
            jwt.onKeysWithdrawn(withdrawals::incrementAndGet);
            String byFirst = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").build(),
                    claims("bob", NOW.plusSeconds(60)), new ECDSASigner(first));
            String bySecond = sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k2").build(),
                    claims("bob", NOW.plusSeconds(60)), new ECDSASigner(second));
            assertThat(jwt.authenticate(byFirst).sessionId()).isEqualTo("bob");
            assertThatThrownBy(() -> jwt.authenticate(bySecond)).isInstanceOf(NexusException.class);

            Files.writeString(jwks, new JWKSet(List.of(first.toPublicJWK(), second.toPublicJWK())).toString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> accepts(jwt, bySecond));
            Principal signedByFirst = jwt.authenticate(byFirst);
            Principal signedBySecond = jwt.authenticate(bySecond);
            assertThat(signedByFirst.sessionId()).as("both keys during the rotation").isEqualTo("bob");
            assertThat(signedByFirst.signingKey()).isNotEqualTo(signedBySecond.signingKey());
            assertThat(jwt.stillAccepts(signedByFirst)).isTrue();
            assertThat(withdrawals).as("a key added withdraws none").hasValue(0);

            Files.writeString(jwks, new JWKSet(second.toPublicJWK()).toString());
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> !accepts(jwt, byFirst));
            assertThat(jwt.stillAccepts(signedByFirst)).as("its key was withdrawn").isFalse();
            assertThat(jwt.stillAccepts(signedBySecond)).as("its key stays").isTrue();
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> withdrawals.get() == 1);

            Files.writeString(jwks, "{\"keys\": \"not a list\"}");
            org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(() -> captured.list.stream()
                    .anyMatch(e -> e.getFormattedMessage().contains("the previous JWT keys stay in force")));
            assertThat(jwt.authenticate(bySecond).sessionId()).isEqualTo("bob");
            assertThat(withdrawals).as("a broken file withdraws nothing").hasValue(1);
        } finally {
            log.detachAppender(captured);
        }
    }

    private static boolean accepts(JwtAuthenticator jwt, String token) {
        try {
            jwt.authenticate(token);
            return true;
        } catch (NexusException e) {
            return false;
        }
    }

    @Test
    void weakOrMismatchedKeysAreRefusedAtStart() throws Exception {
        assertThatThrownBy(() -> JwtKeys.hmac("too-short".getBytes(StandardCharsets.UTF_8), null, "--jwt-secret-file x"))
                .hasMessageContaining("at least 32 bytes");
        KeyPairGenerator small = KeyPairGenerator.getInstance("RSA");
        small.initialize(1024);
        Path weak = dir.resolve("weak.pem");
        Files.writeString(weak, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(small.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> JwtKeys.publicKeys(weak)).hasMessageContaining("2048");
        ECKey key = new ECKeyGenerator(Curve.P_256).algorithm(JWSAlgorithm.ES384).generate();
        Path lying = dir.resolve("lying.json");
        Files.writeString(lying, new JWKSet(key.toPublicJWK()).toString());
        assertThatThrownBy(() -> JwtKeys.publicKeys(lying)).hasMessageContaining("declares alg ES384");
        Path garbage = dir.resolve("garbage");
        Files.writeString(garbage, "not a key");
        assertThatThrownBy(() -> JwtKeys.publicKeys(garbage)).hasMessageContaining("PEM public key");
    }

    @Test
    void settingsRefuseALeewayOverAMinuteAndJwtWithoutExactlyOneKeySource() {
        Path file = dir.resolve("k");
        assertThatThrownBy(() -> AuthSettings.none().withJwt(file, null, null, null, Duration.ofSeconds(61)))
                .hasMessageContaining("--jwt-leeway");
        assertThatThrownBy(() -> AuthSettings.none().withJwt(file, file, null, null, Duration.ZERO))
                .hasMessageContaining("exactly one");
        assertThatThrownBy(() -> AuthSettings.none().withJwt(null, null, null, null, Duration.ZERO))
                .hasMessageContaining("exactly one");
    }
}
