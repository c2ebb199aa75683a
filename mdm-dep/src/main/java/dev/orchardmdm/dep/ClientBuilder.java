package dev.orchardmdm.dep;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.http.HttpExchange;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * Settings shared by the builders of this module's clients: base URL, OkHttp client, retry policy, clock and the
 * bounds that keep hostile answers from running away.
 *
 * @param <B> the concrete builder
 */
public abstract class ClientBuilder<B extends ClientBuilder<B>> {

    private HttpUrl baseUrl;
    private OkHttpClient httpClient;
    private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
    private Clock clock = Clock.systemUTC();
    private int maxPages;
    private long maxBodyBytes = HttpExchange.DEFAULT_MAX_BODY_BYTES;

    protected ClientBuilder(HttpUrl defaultBaseUrl, int defaultMaxPages) {
        this.baseUrl = defaultBaseUrl;
        this.maxPages = defaultMaxPages;
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    /** The service's base URL (Apple's by default); a trailing slash is added when missing. */
    public B baseUrl(HttpUrl url) {
        String s = url.toString();
        this.baseUrl = HttpUrl.get(s.endsWith("/") ? s : s + "/");
        return self();
    }

    /**
     * The service's base URL as a plain {@link URI} ({@code http} or {@code https}, absolute); a trailing slash is
     * added when missing.
     *
     * @throws IllegalArgumentException for another scheme or a relative URI
     */
    public B baseUrl(URI uri) {
        Objects.requireNonNull(uri, "uri");
        HttpUrl url = HttpUrl.get(uri);
        if (url == null) {
            throw new IllegalArgumentException("not an absolute http(s) URI: " + uri);
        }
        return baseUrl(url);
    }

    /** The OkHttp client to use (its time-outs bound every call); a default one with bounded time-outs otherwise. */
    public B httpClient(OkHttpClient client) {
        this.httpClient = Objects.requireNonNull(client, "client");
        return self();
    }

    /** How 429 / 503 are retried (default {@link RetryPolicy#DEFAULT}). */
    public B retryPolicy(RetryPolicy policy) {
        this.retryPolicy = Objects.requireNonNull(policy, "policy");
        return self();
    }

    /** The clock for token expiry, OAuth timestamps and HTTP-date {@code Retry-After} values. */
    public B clock(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        return self();
    }

    /** The most pages one paged walk may fetch before it fails. */
    public B maxPages(int pages) {
        if (pages < 1) {
            throw new IllegalArgumentException("maxPages must be positive");
        }
        this.maxPages = pages;
        return self();
    }

    /** The largest response body accepted (default 32 MiB). */
    public B maxBodyBytes(long bytes) {
        this.maxBodyBytes = bytes;
        return self();
    }

    /** The configured base URL. */
    public HttpUrl baseUrl() {
        return baseUrl;
    }

    /** The configured base URL as a plain {@link URI}. */
    public URI baseUri() {
        return baseUrl.uri();
    }

    /** The configured clock. */
    public Clock clock() {
        return clock;
    }

    /** The configured retry policy (its sleeper also paces other bounded waits, such as activity polling). */
    public RetryPolicy retryPolicy() {
        return retryPolicy;
    }

    /** The configured page bound. */
    public int maxPages() {
        return maxPages;
    }

    /** The OkHttp client: the one given, or a default one from {@link #defaultHttpClient()}. */
    public OkHttpClient httpClient() {
        if (httpClient == null) {
            httpClient = defaultHttpClient();
        }
        return httpClient;
    }

    /** The client used when none was given: bounded connect, read and call time-outs. */
    protected OkHttpClient defaultHttpClient() {
        return new OkHttpClient.Builder().connectTimeout(Duration.ofSeconds(10)).readTimeout(Duration.ofSeconds(60))
                .callTimeout(Duration.ofSeconds(120)).build();
    }

    /** The exchange the client sends its requests through. */
    public HttpExchange exchange(String serviceName) {
        return new HttpExchange(httpClient(), new ObjectMapper(), retryPolicy, clock, maxBodyBytes, serviceName);
    }
}
