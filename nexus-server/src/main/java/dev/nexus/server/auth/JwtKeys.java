package dev.nexus.server.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads the verification keys of {@code --auth jwt}, each pinned to one algorithm: an HS256 secret of at least
 * 256 bits, or public keys — a PEM {@code PUBLIC KEY} or {@code CERTIFICATE} (RSA of at least 2048 bits → RS256,
 * EC on P-256 → ES256), or a JWKS document whose keys are pinned the same way (a key whose {@code alg} says
 * otherwise, or meant for encryption, is refused). Errors are sentences for the operator that never quote key
 * material.
 */
final class JwtKeys {
    /** Shortest HS256 secret: 256 bits. */
    static final int MIN_SECRET_BYTES = 32;
    static final int MIN_RSA_BITS = 2048;

    private JwtKeys() {
    }

    /** The HS256 key in {@code secretFile}; a trailing line break is not part of the secret. */
    static List<PinnedKey> secret(Path secretFile) {
        String text = read(secretFile, "--jwt-secret-file");
        byte[] secret = text.strip().getBytes(StandardCharsets.UTF_8);
        return List.of(hmac(secret, null, "--jwt-secret-file " + secretFile));
    }

    static PinnedKey hmac(byte[] secret, String keyId, String source) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException(source + " must hold a secret of at least " + MIN_SECRET_BYTES
                    + " bytes (256 bits) for HS256, it holds " + secret.length);
        }
        try {
            return new PinnedKey(JWSAlgorithm.HS256, keyId, new MACVerifier(secret),
                    PinnedKey.fingerprint(JWSAlgorithm.HS256, secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
    }

    /** The public keys in {@code keyFile}: PEM or JWKS. */
    static List<PinnedKey> publicKeys(Path keyFile) {
        String source = "--jwt-key-file " + keyFile;
        String text = read(keyFile, "--jwt-key-file").strip();
        if (text.startsWith("{")) {
            return jwks(text, source);
        }
        if (text.startsWith("-----BEGIN CERTIFICATE-----")) {
            try {
                PublicKey key = CertificateFactory.getInstance("X.509")
                        .generateCertificate(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)))
                        .getPublicKey();
                return List.of(pin(key, null, source));
            } catch (CertificateException e) {
                throw new IllegalArgumentException(source + " holds a certificate that cannot be read");
            }
        }
        if (text.startsWith("-----BEGIN PUBLIC KEY-----")) {
            return List.of(pin(spki(text, source), null, source));
        }
        throw new IllegalArgumentException(source + " must be a PEM public key (-----BEGIN PUBLIC KEY-----), a PEM "
                + "certificate or a JWKS document ({\"keys\": [...]})");
    }

    private static PublicKey spki(String pem, String source) {
        String base64 = pem.replace("-----BEGIN PUBLIC KEY-----", "").replace("-----END PUBLIC KEY-----", "")
                .replaceAll("\\s", "");
        byte[] der;
        try {
            der = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(source + " holds a PEM block that is not valid base64");
        }
        for (String type : List.of("RSA", "EC")) {
            try {
                return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
            } catch (InvalidKeySpecException | java.security.NoSuchAlgorithmException e) {
                // try the next type
            }
        }
        throw new IllegalArgumentException(source + " holds a public key that is neither RSA nor EC");
    }

    /** The keys of a JWKS document; {@code source} names where it came from in messages. */
    static List<PinnedKey> jwks(String text, String source) {
        JWKSet set;
        try {
            set = JWKSet.parse(text);
        } catch (ParseException e) {
            throw new IllegalArgumentException(source + " is not a valid JWKS document");
        }
        List<PinnedKey> keys = new ArrayList<>();
        for (JWK jwk : set.getKeys()) {
            String name = "key " + (jwk.getKeyID() == null ? "#" + keys.size() : "'" + jwk.getKeyID() + "'");
            if (jwk.getKeyUse() != null && !KeyUse.SIGNATURE.equals(jwk.getKeyUse())) {
                throw new IllegalArgumentException(source + ": " + name + " is not a signature key (use "
                        + jwk.getKeyUse().identifier() + ")");
            }
            try {
                PublicKey key = switch (jwk) {
                    case RSAKey rsa -> rsa.toRSAPublicKey();
                    case ECKey ec -> ec.toECPublicKey();
                    default -> throw new IllegalArgumentException(source + ": " + name + " has key type "
                            + jwk.getKeyType() + "; only RSA and EC public keys are accepted");
                };
                PinnedKey pinned = pin(key, jwk.getKeyID(), source + " " + name);
                if (jwk.getAlgorithm() != null && !jwk.getAlgorithm().getName().equals(pinned.algorithm().getName())) {
                    throw new IllegalArgumentException(source + ": " + name + " declares alg "
                            + jwk.getAlgorithm().getName() + "; only " + pinned.algorithm() + " is accepted for it");
                }
                keys.add(pinned);
            } catch (JOSEException e) {
                throw new IllegalArgumentException(source + ": " + name + " cannot be used: " + e.getMessage());
            }
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException(source + " holds no keys");
        }
        return List.copyOf(keys);
    }

    private static PinnedKey pin(PublicKey key, String keyId, String source) {
        try {
            if (key instanceof RSAPublicKey rsa) {
                if (rsa.getModulus().bitLength() < MIN_RSA_BITS) {
                    throw new IllegalArgumentException(source + ": RSA keys must have at least " + MIN_RSA_BITS + " bits");
                }
                return new PinnedKey(JWSAlgorithm.RS256, keyId, new RSASSAVerifier(rsa),
                        PinnedKey.fingerprint(JWSAlgorithm.RS256, rsa.getEncoded()));
            }
            if (key instanceof ECPublicKey ec) {
                if (!Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
                    throw new IllegalArgumentException(source + ": EC keys must be on P-256 (ES256)");
                }
                return new PinnedKey(JWSAlgorithm.ES256, keyId, new ECDSAVerifier(ec),
                        PinnedKey.fingerprint(JWSAlgorithm.ES256, ec.getEncoded()));
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException(source + ": " + e.getMessage());
        }
        throw new IllegalArgumentException(source + ": unsupported key type " + key.getAlgorithm());
    }

    private static String read(Path file, String option) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + " cannot be read ("
                    + e.getClass().getSimpleName() + ")");
        }
    }
}
