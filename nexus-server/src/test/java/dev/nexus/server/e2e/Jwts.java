package dev.nexus.server.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.function.UnaryOperator;

/** Mints JSON Web Tokens for tests, well-formed or deliberately wrong. */
final class Jwts {
    static final String SECRET = "0123456789abcdef0123456789abcdef-test-secret";

    private Jwts() {
    }

    /** Claims for {@code sub} expiring at {@code exp}, adjusted by {@code claims}. */
    static JWTClaimsSet claims(String sub, Instant exp, UnaryOperator<JWTClaimsSet.Builder> claims) {
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().subject(sub);
        if (exp != null) {
            builder.issueTime(Date.from(exp.minusSeconds(600))).expirationTime(Date.from(exp));
        }
        return claims.apply(builder).build();
    }

    static String hs256(String sub, Instant exp) {
        return hs256(claims(sub, exp, b -> b));
    }

    static String hs256(JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, claims, macSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
    }

    static String rs256(KeyPair rsa, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.RS256, claims, new RSASSASigner(rsa.getPrivate()));
    }

    /** HS256 "signed" with these bytes as the HMAC secret: the key-confusion attack with a public key. */
    static String hs256WithKey(byte[] key, JWTClaimsSet claims) {
        return sign(JWSAlgorithm.HS256, claims, macSigner(key));
    }

    /** An unsigned token, {@code alg: none}. */
    static String unsigned(JWTClaimsSet claims) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8)) + ".";
    }

    static KeyPair rsaKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The PEM text of a public key. */
    static String pem(java.security.PublicKey key) {
        return "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PUBLIC KEY-----\n";
    }

    private static MACSigner macSigner(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm algorithm, JWTClaimsSet claims, JWSSigner signer) {
        SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
