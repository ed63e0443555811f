package dev.nexus.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A verification key and the one algorithm it may be used with (RFC 8725 §3.1): a token whose header names
 * another algorithm is never checked against this key, so an RSA public key can never serve as an HMAC secret.
 *
 * @param algorithm the algorithm pinned to the key
 * @param keyId the key's {@code kid}, or null; when both the key and the token name one, they must match
 * @param verifier checks signatures with the key
 * @param fingerprint the SHA-256 of the algorithm and the key material, in hex: the same key read again has the
 *     same fingerprint, so a reload can tell which keys were withdrawn. A one-way hash: it reveals no secret
 */
record PinnedKey(JWSAlgorithm algorithm, String keyId, JWSVerifier verifier, String fingerprint) {

    /** The fingerprint of {@code material} (a secret, or a public key's encoding) pinned to {@code algorithm}. */
    static String fingerprint(JWSAlgorithm algorithm, byte[] material) {
        try {
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            sha256.update(algorithm.getName().getBytes(StandardCharsets.US_ASCII));
            sha256.update((byte) 0);
            return HexFormat.of().formatHex(sha256.digest(material));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
