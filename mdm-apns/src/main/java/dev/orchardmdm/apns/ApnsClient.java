package dev.orchardmdm.apns;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.ConnectionPool;
import okhttp3.Dispatcher;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends MDM notifications to APNs for ONE push certificate, over HTTP/2 with TLS client-certificate
 * authentication. The client owns its connection pool (one multiplexed HTTP/2 connection in practice),
 * dispatcher threads and retry timer; build one per push certificate, share it between threads, and
 * {@link #close()} it when the certificate is retired.
 *
 * <pre>{@code
 * try (ApnsClient apns = ApnsClient.builder(PushCredentials.of(cert, key)).build()) {
 *     PushOutcome outcome = apns.notify(token, pushMagic);
 *     List<PushResult> results = apns.notifyBulk(pushes);
 * }
 * }</pre>
 *
 * Each notification is {@code POST /3/device/<token>} with {@code apns-push-type: mdm}, {@code apns-topic} = the
 * certificate's topic, {@code apns-priority: 10}, {@code apns-expiration} and the body
 * {@code {"mdm":"<PushMagic>"}}. Transient failures are retried with jittered, bounded backoff
 * ({@link RetryPolicy}); once APNs refuses the certificate, the client sends nothing more and answers every
 * later push with the same {@link PushOutcome.CertificateRejected}.
 */
public final class ApnsClient implements AutoCloseable {

    /** APNs' limit on an MDM notification's payload, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = 4096;

    private static final Logger log = LoggerFactory.getLogger(ApnsClient.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Pattern HEX_TOKEN = Pattern.compile("(?:[0-9a-fA-F]{2}){16,200}");
    private static final int MAX_ERROR_BODY_BYTES = 8192;

    private final PushCredentials credentials;
    private final HttpUrl deviceUrl;
    private final OkHttpClient http;
    private final ExecutorService callThreads;
    private final ScheduledExecutorService retryTimer;
    private final RetryPolicy retryPolicy;
    private final Duration expiration;
    private final Clock clock;
    private final Random jitter;
    private final int maxInFlight;
    private final AtomicReference<PushOutcome.CertificateRejected> certificateRejection = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ApnsClient(Builder b, SSLContext tls, X509TrustManager trust) {
        this.credentials = b.credentials;
        this.deviceUrl = b.baseUrl.newBuilder().addPathSegments("3/device").build();
        this.retryPolicy = b.retryPolicy;
        this.expiration = b.expiration;
        this.clock = b.clock;
        this.jitter = b.jitter;
        this.maxInFlight = b.maxInFlight;
        String threadPrefix = "apns-" + Integer.toHexString(credentials.topic().hashCode());
        this.callThreads = new ThreadPoolExecutor(0, Integer.MAX_VALUE, 60, TimeUnit.SECONDS,
                new SynchronousQueue<>(), daemonThreads(threadPrefix + "-call-"));
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, daemonThreads(threadPrefix + "-retry-"));
        timer.setRemoveOnCancelPolicy(true);
        this.retryTimer = timer;
        Dispatcher dispatcher = new Dispatcher(callThreads);
        dispatcher.setMaxRequests(maxInFlight);
        dispatcher.setMaxRequestsPerHost(maxInFlight);
        this.http = new OkHttpClient.Builder()
                .sslSocketFactory(tls.getSocketFactory(), trust)
                .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1))
                .connectionPool(new ConnectionPool(4, 5, TimeUnit.MINUTES))
                .dispatcher(dispatcher)
                .connectTimeout(b.connectTimeout)
                // One deadline per exchange: the call time-out. Stream read/write time-outs would add two more
                // okio AsyncTimeouts per exchange (a shared, sorted watchdog queue) for no extra protection.
                .readTimeout(Duration.ZERO)
                .writeTimeout(Duration.ZERO)
                .callTimeout(b.requestTimeout)
                .pingInterval(Duration.ofMinutes(1))
                .followRedirects(false)
                .followSslRedirects(false)
                .build();
    }

    /**
     * Starts building a client for one push certificate.
     *
     * @param credentials the push certificate and key
     * @return a builder with production defaults
     */
    public static Builder builder(PushCredentials credentials) {
        return new Builder(credentials);
    }

    /** The push certificate's topic, sent as {@code apns-topic}. */
    public String topic() {
        return credentials.topic();
    }

    /** The APNs base URL this client sends to, e.g. {@code https://api.push.apple.com/}. */
    public String baseUrl() {
        return deviceUrl.newBuilder().encodedPath("/").build().toString();
    }

    /** The credentials this client authenticates with. */
    public PushCredentials credentials() {
        return credentials;
    }

    /** The refusal that disabled this client, if APNs refused its certificate. */
    public java.util.Optional<PushOutcome.CertificateRejected> certificateRejection() {
        return java.util.Optional.ofNullable(certificateRejection.get());
    }

    /**
     * Sends one MDM notification and waits for its final outcome (after retries).
     *
     * @param deviceToken the hex push token
     * @param pushMagic   the device's PushMagic
     * @return the outcome
     * @throws InterruptedException if interrupted while waiting; the notification may still be sent
     */
    public PushOutcome notify(String deviceToken, String pushMagic) throws InterruptedException {
        return notify(new MdmPush(deviceToken, pushMagic));
    }

    /**
     * Sends one MDM notification and waits for its final outcome (after retries).
     *
     * @param push token and PushMagic
     * @return the outcome
     * @throws InterruptedException if interrupted while waiting; the notification may still be sent
     */
    public PushOutcome notify(MdmPush push) throws InterruptedException {
        try {
            return notifyAsync(push).get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("push future failed", e.getCause());
        }
    }

    /**
     * Sends one MDM notification without blocking. The future completes (never exceptionally) with the final
     * outcome, on a client thread. Beyond {@code maxInFlight} outstanding pushes, further ones wait in OkHttp's
     * queue; use {@link #notifyBulk} to keep the caller itself within the window.
     *
     * @param push token and PushMagic
     * @return the outcome, when known
     * @throws IllegalStateException if the client is closed
     */
    public CompletableFuture<PushOutcome> notifyAsync(MdmPush push) {
        Objects.requireNonNull(push, "push");
        if (closed.get()) {
            throw new IllegalStateException("the APNs client is closed");
        }
        CompletableFuture<PushOutcome> result = new CompletableFuture<>();
        PushOutcome refused = precheck(push);
        if (refused != null) {
            result.complete(refused);
            return result;
        }
        Request request = request(push);
        attempt(push, request, 1, result);
        return result;
    }

    /**
     * Sends many notifications over multiplexed HTTP/2 streams, with at most {@code maxInFlight} of them
     * outstanding, and waits for all of them. No thread is started per notification.
     *
     * @param pushes the notifications
     * @return one result per push, in the order given
     * @throws InterruptedException if interrupted while waiting; pushes already sent complete in the background
     */
    public List<PushResult> notifyBulk(List<MdmPush> pushes) throws InterruptedException {
        PushResult[] results = new PushResult[pushes.size()];
        List<Integer> order = new ArrayList<>(pushes.size());
        for (int i = 0; i < pushes.size(); i++) {
            order.add(i);
        }
        bulk(order, pushes::get, (i, result) -> results[i] = result);
        return Collections.unmodifiableList(Arrays.asList(results));
    }

    /**
     * Streams notifications: sends each with at most {@code maxInFlight} outstanding and hands every final
     * result to {@code sink} as soon as it is known (on a client thread; the sink must be thread-safe and quick).
     * Returns when every result has been handed over. Suits very large batches: nothing is retained.
     *
     * @param pushes the notifications, iterated once on the calling thread
     * @param sink   receives each result exactly once
     * @throws InterruptedException if interrupted while waiting
     */
    public void notifyBulk(Iterable<MdmPush> pushes, Consumer<PushResult> sink) throws InterruptedException {
        Objects.requireNonNull(sink, "sink");
        bulk(pushes, push -> push, (push, result) -> sink.accept(result));
    }

    private <T> void bulk(Iterable<T> items, java.util.function.Function<T, MdmPush> toPush,
                          java.util.function.BiConsumer<T, PushResult> sink) throws InterruptedException {
        Semaphore window = new Semaphore(maxInFlight);
        // With no open connection, every call of a burst would dial (and TLS-handshake) its own connection
        // before OkHttp coalesces them onto one: send the first push alone, then multiplex the rest.
        boolean connectFirst = http.connectionPool().connectionCount() == 0;
        for (T item : items) {
            MdmPush push = toPush.apply(item);
            window.acquire();
            CompletableFuture<PushOutcome> outcome;
            try {
                outcome = notifyAsync(push);
            } catch (RuntimeException e) {
                window.release();
                throw e;
            }
            outcome.whenComplete((o, failure) -> {
                try {
                    sink.accept(item, new PushResult(push, o != null ? o
                            : new PushOutcome.Retryable(0, String.valueOf(failure), 0)));
                } catch (RuntimeException e) {
                    log.error("bulk push result sink failed", e);
                } finally {
                    window.release();
                }
            });
            if (connectFirst) {
                connectFirst = false;
                window.acquire(maxInFlight); // the first push has completed: the connection is open
                window.release(maxInFlight);
            }
        }
        window.acquire(maxInFlight); // every outstanding push has completed
        window.release(maxInFlight);
    }

    private PushOutcome precheck(MdmPush push) {
        PushOutcome.CertificateRejected rejection = certificateRejection.get();
        if (rejection != null) {
            return rejection;
        }
        if (!HEX_TOKEN.matcher(push.deviceToken()).matches()) {
            return new PushOutcome.TokenDead(0, "BadDeviceToken", null);
        }
        if (push.pushMagic().isEmpty()) {
            return new PushOutcome.Rejected(0, "PayloadEmpty");
        }
        if (push.pushMagic().length() > MAX_PAYLOAD_BYTES || payload(push.pushMagic()).length > MAX_PAYLOAD_BYTES) {
            return new PushOutcome.Rejected(0, "PayloadTooLarge");
        }
        return null;
    }

    private Request request(MdmPush push) {
        long expiresAt = expiration.isZero() ? 0 : clock.instant().plus(expiration).getEpochSecond();
        return new Request.Builder()
                .url(deviceUrl.newBuilder().addPathSegment(push.deviceToken()).build())
                .header("apns-push-type", "mdm")
                .header("apns-topic", credentials.topic())
                .header("apns-priority", "10")
                .header("apns-expiration", Long.toString(expiresAt))
                .header("apns-id", messageId().toString())
                .post(RequestBody.create(payload(push.pushMagic()), JSON))
                .build();
    }

    /** A random (version 4) UUID for {@code apns-id}: an identifier, not a secret, so no SecureRandom. */
    private static UUID messageId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & ~(0xC000L << 48)) | (0x8000L << 48);
        return new UUID(high, low);
    }

    private void attempt(MdmPush push, Request request, int attempt, CompletableFuture<PushOutcome> result) {
        http.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                settle(push, request, attempt, PushOutcomes.classify(e, attempt), result);
            }

            @Override
            public void onResponse(Call call, Response response) {
                PushOutcome outcome;
                try (response) {
                    if (response.code() == 200) {
                        String apnsId = response.header("apns-id", request.header("apns-id"));
                        outcome = new PushOutcome.Accepted(apnsId);
                    } else {
                        outcome = PushOutcomes.classify(response.code(), errorBody(response), attempt);
                    }
                } catch (IOException e) {
                    outcome = PushOutcomes.classify(e, attempt);
                }
                settle(push, request, attempt, outcome, result);
            }
        });
    }

    private void settle(MdmPush push, Request request, int attempt, PushOutcome outcome,
                        CompletableFuture<PushOutcome> result) {
        if (outcome instanceof PushOutcome.Retryable transient_ && attempt < retryPolicy.maxAttempts()
                && !closed.get() && certificateRejection.get() == null) {
            Duration wait = retryPolicy.backoff(attempt, jitter);
            log.debug("APNs push to {} failed transiently ({} {}), retry {} in {} ms",
                    PushOutcomes.abbreviate(push.deviceToken()), transient_.status(), transient_.reason(),
                    attempt + 1, wait.toMillis());
            try {
                retryTimer.schedule(() -> {
                    if (closed.get()) {
                        result.complete(new PushOutcome.Retryable(0, "client closed", attempt));
                    } else {
                        PushOutcome rejected = certificateRejection.get();
                        if (rejected != null) {
                            result.complete(rejected);
                        } else {
                            attempt(push, request, attempt + 1, result);
                        }
                    }
                }, wait.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException e) {
                result.complete(new PushOutcome.Retryable(0, "client closed", attempt));
            }
            return;
        }
        if (outcome instanceof PushOutcome.CertificateRejected rejected
                && certificateRejection.compareAndSet(null, rejected)) {
            log.error("APNs refused the push certificate for topic {} ({} {}); this client sends nothing more",
                    credentials.topic(), rejected.status(), rejected.reason());
        } else if (!(outcome instanceof PushOutcome.Accepted)) {
            log.debug("APNs push to {}: {}", PushOutcomes.abbreviate(push.deviceToken()), outcome);
        }
        result.complete(outcome);
    }

    private static String errorBody(Response response) throws IOException {
        ResponseBody body = response.body();
        if (body == null) {
            return "";
        }
        var source = body.source();
        source.request(MAX_ERROR_BODY_BYTES);
        long size = Math.min(source.getBuffer().size(), MAX_ERROR_BODY_BYTES);
        return source.getBuffer().readString(size, StandardCharsets.UTF_8);
    }

    /** The MDM payload {@code {"mdm":"<PushMagic>"}}, with the PushMagic escaped as a JSON string. */
    static byte[] payload(String pushMagic) {
        StringBuilder json = new StringBuilder(pushMagic.length() + 12).append("{\"mdm\":\"");
        for (int i = 0; i < pushMagic.length(); i++) {
            char c = pushMagic.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                default -> {
                    if (c < 0x20) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        return json.append("\"}").toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Stops the client: cancels outstanding requests (their futures complete with {@link PushOutcome.Retryable}),
     * closes connections and stops the client's threads. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        http.dispatcher().cancelAll();
        retryTimer.shutdown();
        callThreads.shutdown();
        http.connectionPool().evictAll();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** Configures an {@link ApnsClient}. Not thread-safe; build once. */
    public static final class Builder {
        private final PushCredentials credentials;
        private HttpUrl baseUrl = HttpUrl.get(ApnsEnvironment.PRODUCTION.baseUrl());
        private X509TrustManager trustManager;
        private RetryPolicy retryPolicy = RetryPolicy.DEFAULT;
        private Duration expiration = Duration.ofDays(1);
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration connectTimeout = Duration.ofSeconds(10);
        private int maxInFlight = 100;
        private Clock clock = Clock.systemUTC();
        private Random jitter = new Random();

        private Builder(PushCredentials credentials) {
            this.credentials = Objects.requireNonNull(credentials, "credentials");
        }

        /** Selects production (the default) or sandbox. */
        public Builder environment(ApnsEnvironment environment) {
            this.baseUrl = HttpUrl.get(environment.baseUrl());
            return this;
        }

        /**
         * Overrides the base URL (a local test server, a relay). Must be {@code https}.
         *
         * @param baseUrl e.g. {@code https://127.0.0.1:8443}
         */
        public Builder baseUrl(String baseUrl) {
            HttpUrl url = HttpUrl.get(baseUrl);
            if (!url.isHttps()) {
                throw new IllegalArgumentException("APNs requires https: " + baseUrl);
            }
            this.baseUrl = url;
            return this;
        }

        /** Trusts these roots for the server's certificate instead of the JDK's default trust store. */
        public Builder trustManager(X509TrustManager trustManager) {
            this.trustManager = Objects.requireNonNull(trustManager, "trustManager");
            return this;
        }

        /** Retries of transient failures; {@link RetryPolicy#DEFAULT} by default. */
        public Builder retryPolicy(RetryPolicy retryPolicy) {
            this.retryPolicy = Objects.requireNonNull(retryPolicy, "retryPolicy");
            return this;
        }

        /**
         * How long APNs keeps trying to deliver (sent as {@code apns-expiration} = now + this); zero means "deliver
         * once or drop". One day by default.
         */
        public Builder expiration(Duration expiration) {
            if (expiration.isNegative()) {
                throw new IllegalArgumentException("negative expiration");
            }
            this.expiration = expiration;
            return this;
        }

        /** Time-out of one attempt (the whole exchange). 10 s by default. */
        public Builder requestTimeout(Duration requestTimeout) {
            this.requestTimeout = positive(requestTimeout);
            return this;
        }

        /** Time-out of connecting (TCP and TLS). 10 s by default. */
        public Builder connectTimeout(Duration connectTimeout) {
            this.connectTimeout = positive(connectTimeout);
            return this;
        }

        /**
         * The most notifications outstanding at once (HTTP/2 streams, and OkHttp dispatcher threads, since OkHttp
         * runs each exchange on one). 100 by default: on a 2-core machine OkHttp sent more per second with 100
         * than with 500. APNs allows up to 1000 streams per connection.
         */
        public Builder maxInFlight(int maxInFlight) {
            if (maxInFlight < 1 || maxInFlight > 10_000) {
                throw new IllegalArgumentException("maxInFlight must be within 1..10000");
            }
            this.maxInFlight = maxInFlight;
            return this;
        }

        /** The clock {@code apns-expiration} is computed from. */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** The source of backoff jitter (thread-safe). */
        public Builder jitter(Random jitter) {
            this.jitter = Objects.requireNonNull(jitter, "jitter");
            return this;
        }

        /**
         * Builds the client: a TLS context presenting the push certificate, and an HTTP/2 client of its own.
         *
         * @return the client
         * @throws ApnsException if the TLS context cannot be built from the credentials
         */
        public ApnsClient build() throws ApnsException {
            if (credentials.notAfter().isBefore(clock.instant())) {
                log.warn("the push certificate for topic {} expired at {}; APNs will refuse it",
                        credentials.topic(), credentials.notAfter());
            }
            try {
                X509TrustManager trust = trustManager != null ? trustManager : defaultTrustManager();
                char[] password = UUID.randomUUID().toString().toCharArray();
                KeyStore keyStore = KeyStore.getInstance("PKCS12");
                keyStore.load(null, null);
                keyStore.setKeyEntry("push", credentials.privateKey(), password,
                        credentials.chain().toArray(new Certificate[0]));
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(keyStore, password);
                SSLContext tls = SSLContext.getInstance("TLS");
                tls.init(kmf.getKeyManagers(), new TrustManager[] {trust}, null);
                return new ApnsClient(this, tls, trust);
            } catch (GeneralSecurityException | IOException e) {
                throw new ApnsException("cannot build the TLS context for topic " + credentials.topic(), e);
            }
        }

        private static X509TrustManager defaultTrustManager() throws GeneralSecurityException {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x509) {
                    return x509;
                }
            }
            throw new GeneralSecurityException("no default X509TrustManager");
        }

        private static Duration positive(Duration d) {
            if (d.isZero() || d.isNegative()) {
                throw new IllegalArgumentException("duration must be positive: " + d);
            }
            return d;
        }
    }
}
