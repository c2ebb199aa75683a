package dev.orchardmdm.apns;

import com.eatthepath.pushy.apns.server.MockApnsServer;
import com.eatthepath.pushy.apns.server.MockApnsServerBuilder;
import com.eatthepath.pushy.apns.server.ValidatingPushNotificationHandlerFactory;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Map;
import java.util.Set;

/**
 * Pushy's {@link MockApnsServer} on 127.0.0.1, validating as APNs does: the client certificate must come from the
 * test CA, its UID is the allowed topic, tokens must be 64 hex digits and registered for the topic, expired
 * tokens answer 410 Unregistered with their timestamp, payloads are limited to 4 KB.
 */
final class PushyMockServer implements AutoCloseable {
    private final MockApnsServer server;
    private final int port;

    PushyMockServer(TestPki pki, Map<String, Set<String>> tokensByTopic, Map<String, Instant> expiredTokens)
            throws Exception {
        server = new MockApnsServerBuilder()
                .setServerCredentials(new X509Certificate[] {pki.server, pki.ca}, pki.serverKey(), null)
                .setTrustedClientCertificateChain(pki.caPem())
                .setUseAlpn(true)
                .setHandlerFactory(new ValidatingPushNotificationHandlerFactory(tokensByTopic, expiredTokens,
                        null, null))
                .build();
        port = server.start(0).get();
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "https://127.0.0.1:" + port;
    }

    @Override
    public void close() throws Exception {
        server.shutdown().get();
    }
}
