package dev.orchardmdm.dep.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmRateLimitException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AbmTransportException;
import dev.orchardmdm.dep.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpExchangeTest {

    private static final Instant NOW = Instant.parse("2026-11-26T06:00:00Z");
    private MockWebServer server;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new MockWebServer();
        server.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.shutdown();
    }

    private HttpExchange exchange(long maxBody) {
        return new HttpExchange(new OkHttpClient(), new ObjectMapper(),
                new RetryPolicy(2, Duration.ofSeconds(30), Duration.ofSeconds(1), sleeps::add),
                Clock.fixed(NOW, ZoneOffset.UTC), maxBody, "test");
    }

    private HttpExchange.Reply get(HttpExchange http) throws Exception {
        return http.send(() -> new Request.Builder().url(server.url("/x")).build());
    }

    @Test
    void retryAfterAsAnHttpDateIsHonoured() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(503).setHeader("Retry-After", "Thu, 26 Nov 2026 06:00:05 GMT"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "Thu, 26 Nov 2026 05:00:00 GMT"));
        server.enqueue(new MockResponse().setBody("{}"));
        assertThat(get(exchange(4096)).status()).isEqualTo(200);
        assertThat(sleeps).containsExactly(Duration.ofSeconds(5), Duration.ZERO);
    }

    @Test
    void anUnreadableRetryAfterFallsBackToTheBackOff() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "soon"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "soon"));
        server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "soon"));
        assertThatThrownBy(() -> get(exchange(4096))).isInstanceOf(AbmRateLimitException.class)
                .satisfies(e -> assertThat(((AbmRateLimitException) e).retryAfter()).isEqualTo(Duration.ofSeconds(4)));
        assertThat(sleeps).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void otherStatusesAreReturnedAsIs() throws Exception {
        server.enqueue(new MockResponse().setResponseCode(500).setBody("boom"));
        HttpExchange.Reply reply = get(exchange(4096));
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.text()).isEqualTo("boom");
        assertThat(sleeps).isEmpty();
    }

    @Test
    void bodiesAreBoundedAndParsedStrictly() throws Exception {
        HttpExchange http = exchange(1024);
        server.enqueue(new MockResponse().setBody("x".repeat(5000)));
        assertThatThrownBy(() -> get(http)).isInstanceOf(AbmResponseException.class).hasMessageContaining("limit");
        server.enqueue(new MockResponse().setChunkedBody("y".repeat(5000), 100));
        assertThatThrownBy(() -> get(http)).isInstanceOf(AbmResponseException.class).hasMessageContaining("limit");
        server.enqueue(new MockResponse().setBody("\"just a string\""));
        HttpExchange.Reply reply = get(http);
        assertThatThrownBy(() -> http.jsonObject(reply, "thing")).isInstanceOf(AbmResponseException.class)
                .hasMessageContaining("no JSON object");
    }

    @Test
    void anUnreachableServiceIsATransportError() throws Exception {
        HttpExchange http = exchange(4096);
        String url = server.url("/x").toString();
        server.shutdown();
        assertThatThrownBy(() -> http.send(() -> new Request.Builder().url(url).build()))
                .isInstanceOf(AbmTransportException.class);
    }
}
