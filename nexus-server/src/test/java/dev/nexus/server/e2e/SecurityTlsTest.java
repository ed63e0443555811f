package dev.nexus.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --tls-cert}/{@code --tls-key}: HTTPS and WSS with a certificate made at test time, checked by a real TLS client. */
class SecurityTlsTest {
    @TempDir
    static Path dir;
    static Path cert;
    static Path key;

    @BeforeAll
    static void makeCertificate() throws Exception {
        cert = dir.resolve("cert.pem");
        key = dir.resolve("key.pem");
        Process openssl = new ProcessBuilder(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
                "-keyout", key.toString(), "-out", cert.toString(), "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"))
                .redirectErrorStream(true).start();
        byte[] output = openssl.getInputStream().readAllBytes();
        assertThat(openssl.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(openssl.exitValue()).as(new String(output)).isZero();
    }

    @Test
    void httpsAndWssServeAClientThatTrustsTheCertificate() throws Exception {
        try (TestServer nexus = TestServer.start(b -> b.tls(cert, key))) {
            assertThat(nexus.server.httpUri().getScheme()).isEqualTo("https");
            assertThat(nexus.server.webSocketUri().getScheme()).isEqualTo("wss");
            Http https = new Http(nexus.server.httpUri(), trustingClient(), null);
            assertThat(https.get("/health").json().path("status").asText()).isEqualTo("active");

            try (WsClient listener = WsClient.connect(trustingClient(),
                    nexus.server.webSocketUri().resolve("/ws/session/tls-listener"), Map.of())) {
                listener.subscribe("tls.*");
                assertThat(https.post("/events", "{\"event_type\":\"tls.hello\",\"session_id\":\"tls-pub\",\"payload\":{}}")
                        .status()).isEqualTo(200);
                assertThat(listener.awaitEvent("tls.hello").path("session_id").asText()).isEqualTo("tls-pub");
            }
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateOrSpeaksPlainHttpGetsNothing() {
        try (TestServer nexus = TestServer.start(b -> b.tls(cert, key))) {
            HttpClient defaults = HttpClient.newHttpClient();
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(nexus.server.httpUri().resolve("/health"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()))
                    .isInstanceOf(javax.net.ssl.SSLHandshakeException.class);
            URI plain = URI.create("http://127.0.0.1:" + nexus.server.port() + "/health");
            assertThatThrownBy(() -> defaults.send(HttpRequest.newBuilder(plain).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(IOException.class);
        }
    }

    private static HttpClient trustingClient() throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("nexus", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
