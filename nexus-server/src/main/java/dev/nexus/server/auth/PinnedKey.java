package dev.nexus.server.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;

/**
 * A verification key and the one algorithm it may be used with (RFC 8725 §3.1): a token whose header names
 * another algorithm is never checked against this key, so an RSA public key can never serve as an HMAC secret.
 *
 * @param algorithm the algorithm pinned to the key
 * @param keyId the key's {@code kid}, or null; when both the key and the token name one, they must match
 * @param verifier checks signatures with the key
 */
record PinnedKey(JWSAlgorithm algorithm, String keyId, JWSVerifier verifier) {
}
