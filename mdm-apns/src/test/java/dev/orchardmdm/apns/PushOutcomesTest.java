package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Instant;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Apple's documented status codes and reasons, each mapped to the caller's decision. */
class PushOutcomesTest {
    private static PushOutcome classify(int status, String reason) {
        return PushOutcomes.classify(status, "{\"reason\":\"" + reason + "\"}", 1);
    }

    @Test
    void deadTokens() {
        assertThat(classify(400, "BadDeviceToken")).isEqualTo(new PushOutcome.TokenDead(400, "BadDeviceToken", null));
        assertThat(classify(400, "DeviceTokenNotForTopic")).isInstanceOf(PushOutcome.TokenDead.class);
        assertThat(PushOutcomes.classify(410, "{\"reason\":\"Unregistered\",\"timestamp\":1700000000123}", 1))
                .isEqualTo(new PushOutcome.TokenDead(410, "Unregistered", Instant.ofEpochMilli(1700000000123L)));
        assertThat(classify(410, "ExpiredToken")).isEqualTo(new PushOutcome.TokenDead(410, "ExpiredToken", null));
    }

    @Test
    void certificateRejections() {
        for (String reason : new String[] {"BadCertificate", "BadCertificateEnvironment", "Forbidden",
                "MissingProviderToken"}) {
            assertThat(classify(403, reason)).isEqualTo(new PushOutcome.CertificateRejected(403, reason));
        }
        for (String reason : new String[] {"TopicDisallowed", "BadTopic", "MissingTopic"}) {
            assertThat(classify(400, reason)).isEqualTo(new PushOutcome.CertificateRejected(400, reason));
        }
        assertThat(PushOutcomes.classify(new IOException(new SSLHandshakeException(
                "Received fatal alert: certificate_expired")), 1))
                .isEqualTo(new PushOutcome.CertificateRejected(0, "TLS alert certificate_expired"));
    }

    @Test
    void transientFailures() {
        assertThat(classify(429, "TooManyRequests")).isEqualTo(new PushOutcome.Retryable(429, "TooManyRequests", 1));
        assertThat(classify(500, "InternalServerError")).isInstanceOf(PushOutcome.Retryable.class);
        assertThat(classify(503, "Shutdown")).isInstanceOf(PushOutcome.Retryable.class);
        assertThat(PushOutcomes.classify(502, "<html>bad gateway</html>", 2))
                .isEqualTo(new PushOutcome.Retryable(502, "HTTP 502", 2));
        assertThat(PushOutcomes.classify(new SocketTimeoutException("timeout"), 3))
                .isEqualTo(new PushOutcome.Retryable(0, "SocketTimeoutException: timeout", 3));
    }

    @Test
    void malformedRequests() {
        assertThat(classify(413, "PayloadTooLarge")).isEqualTo(new PushOutcome.Rejected(413, "PayloadTooLarge"));
        assertThat(classify(400, "BadExpirationDate")).isInstanceOf(PushOutcome.Rejected.class);
        assertThat(classify(405, "MethodNotAllowed")).isInstanceOf(PushOutcome.Rejected.class);
        assertThat(PushOutcomes.classify(400, "{\"reason\":\"<script>\"}", 1))
                .isEqualTo(new PushOutcome.Rejected(400, "HTTP 400"));
    }
}
