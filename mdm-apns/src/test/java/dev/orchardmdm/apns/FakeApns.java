package dev.orchardmdm.apns;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.Handshake;
import okhttp3.Headers;
import okhttp3.Protocol;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A strict local APNs for MDM pushes, over HTTP/2 and TLS on 127.0.0.1, covering what Pushy's mock server does
 * not: it REQUIRES a client certificate issued by the test CA (at the TLS level) and HTTP/2, takes the topic from
 * that certificate's UID, and checks every request as APNs does: method, path and token format ({@code 64} hex digits),
 * {@code apns-topic} equal to the certificate's topic, {@code apns-push-type: mdm}, {@code apns-priority} 10,
 * an integer {@code apns-expiration}, a UUID {@code apns-id}, a non-empty payload of at most 4096 bytes which must
 * be exactly {@code {"mdm":"<string>"}}. It answers with Apple's status codes and {@code {"reason": ...}} bodies,
 * {@code 410 Unregistered} with a millisecond {@code timestamp} for tokens marked dead, and scripted failures
 * (429, 5xx, certificate rejection, a stalled stream) for tests of the client's reactions.
 */
final class FakeApns implements AutoCloseable {

    private static final Pattern DEVICE_PATH = Pattern.compile("/3/device/(.*)");
    private static final Pattern TOKEN = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern MDM_PAYLOAD = Pattern.compile("\\{\"mdm\":\"((?:[^\"\\\\\\p{Cntrl}]|\\\\.)*)\"}");

    /** A notification the fake accepted. */
    record Received(String topic, String token, Headers headers, String payload, String apnsId) {
    }

    private final MockWebServer server = new MockWebServer();
    private final Map<String, Instant> unregistered = new ConcurrentHashMap<>();
    private final Map<String, Deque<MockResponse>> scripted = new ConcurrentHashMap<>();
    private final Queue<Received> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Map<String, AtomicInteger> requestsByToken = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile String certificateRejection;
    private volatile Duration handlingTime = Duration.ZERO;

    FakeApns(TestPki pki) throws Exception {
        server.useHttps(pki.serverSocketFactory(), false);
        server.requireClientAuth();
        server.setProtocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1));
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return handle(request);
            }
        });
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    String baseUrl() {
        return "https://127.0.0.1:" + server.getPort();
    }

    /** From now on this token is dead: 410 Unregistered with {@code at}. */
    void unregister(String token, Instant at) {
        unregistered.put(token, at);
    }

    /** The next answers for this token, before normal validation (e.g. 429, 500, a stalled stream). */
    void script(String token, MockResponse... responses) {
        scripted.computeIfAbsent(token, t -> new ArrayDeque<>()).addAll(List.of(responses));
    }

    /** From now on every request is refused with 403 and this reason (e.g. BadCertificateEnvironment). */
    void rejectCertificate(String reason) {
        this.certificateRejection = reason;
    }

    List<Received> accepted() {
        return List.copyOf(accepted);
    }

    /** Requests that reached the fake for this token. */
    int requestCount(String token) {
        AtomicInteger count = requestsByToken.get(token);
        return count == null ? 0 : count.get();
    }

    int requestCount() {
        return requests.get();
    }

    static MockResponse error(int status, String reason) {
        return new MockResponse().setResponseCode(status).setHeader("apns-id", UUID.randomUUID().toString())
                .setHeader("content-type", "application/json").setBody("{\"reason\":\"" + reason + "\"}");
    }

    /** A stream that gets no answer for {@code delay}: the client's time-out fires first. */
    static MockResponse stall(Duration delay) {
        return new MockResponse().setHeadersDelay(delay.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Each request is held this long before it is answered, so that concurrent streams overlap. */
    void handlingTime(Duration time) {
        this.handlingTime = time;
    }

    /** The most requests the fake was handling at the same time. */
    int maxConcurrentRequests() {
        return maxInFlight.get();
    }

    private MockResponse handle(RecordedRequest request) {
        requests.incrementAndGet();
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            Duration hold = handlingTime;
            if (!hold.isZero()) {
                Thread.sleep(hold.toMillis());
            }
            return answer(request);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(503, "Shutdown");
        } finally {
            inFlight.decrementAndGet();
        }
    }

    private MockResponse answer(RecordedRequest request) {
        Handshake handshake = request.getHandshake();
        List<Certificate> peer = handshake == null ? List.of() : handshake.peerCertificates();
        if (peer.isEmpty()) {
            return error(403, "MissingProviderToken");
        }
        String certificateTopic;
        try {
            certificateTopic = PushCredentials.topicOf((X509Certificate) peer.get(0));
        } catch (ApnsException e) {
            return error(403, "BadCertificate");
        }
        if (certificateRejection != null) {
            return error(403, certificateRejection);
        }
        if (request.getHeaders().get(":scheme") == null) {
            // MockWebServer exposes HTTP/2 pseudo-headers other than :method and :path; an HTTP/1.1 request has
            // none. APNs speaks HTTP/2 only (it would not even negotiate HTTP/1.1); the fake refuses the request.
            return error(505, "HttpVersionNotSupported");
        }
        if (!"POST".equals(request.getMethod())) {
            return error(405, "MethodNotAllowed");
        }
        Matcher path = DEVICE_PATH.matcher(request.getPath() == null ? "" : request.getPath());
        if (!path.matches()) {
            return error(404, "BadPath");
        }
        String token = path.group(1);
        requestsByToken.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
        Deque<MockResponse> script = scripted.get(token);
        if (script != null) {
            synchronized (script) {
                MockResponse next = script.poll();
                if (next != null) {
                    return next;
                }
            }
        }
        Headers headers = request.getHeaders();
        String apnsId = headers.get("apns-id");
        MockResponse invalid = validate(token, headers, certificateTopic, request.getBody().size());
        if (invalid != null) {
            return invalid;
        }
        String payload = request.getBody().readString(StandardCharsets.UTF_8);
        if (!MDM_PAYLOAD.matcher(payload).matches()) {
            return error(400, "BadPayload"); // not an Apple reason: the MDM payload is malformed
        }
        Instant deadSince = unregistered.get(token);
        if (deadSince != null) {
            return new MockResponse().setResponseCode(410).setHeader("content-type", "application/json")
                    .setBody("{\"reason\":\"Unregistered\",\"timestamp\":" + deadSince.toEpochMilli() + "}");
        }
        String answeredId = apnsId != null ? apnsId : UUID.randomUUID().toString();
        accepted.add(new Received(certificateTopic, token, headers, payload, answeredId));
        return new MockResponse().setResponseCode(200).setHeader("apns-id", answeredId);
    }

    private static MockResponse validate(String token, Headers headers, String certificateTopic, long bodySize) {
        if (token.isEmpty()) {
            return error(400, "MissingDeviceToken");
        }
        if (!TOKEN.matcher(token).matches()) {
            return error(400, "BadDeviceToken");
        }
        for (String name : List.of("apns-topic", "apns-push-type", "apns-priority", "apns-expiration", "apns-id")) {
            if (headers.values(name).size() > 1) {
                return error(400, "DuplicateHeaders");
            }
        }
        String apnsId = headers.get("apns-id");
        if (apnsId != null && !UUID_PATTERN.matcher(apnsId).matches()) {
            return error(400, "BadMessageId");
        }
        String topic = headers.get("apns-topic");
        if (topic == null) {
            return error(400, "MissingTopic");
        }
        if (!topic.equals(certificateTopic)) {
            return error(400, "TopicDisallowed");
        }
        if (!"mdm".equals(headers.get("apns-push-type"))) {
            return error(400, "InvalidPushType");
        }
        if (!"10".equals(headers.get("apns-priority"))) {
            return error(400, "BadPriority");
        }
        String expiration = headers.get("apns-expiration");
        if (expiration == null || !expiration.matches("\\d{1,12}")) {
            return error(400, "BadExpirationDate");
        }
        if (bodySize == 0) {
            return error(400, "PayloadEmpty");
        }
        if (bodySize > ApnsClient.MAX_PAYLOAD_BYTES) {
            return error(413, "PayloadTooLarge");
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        server.shutdown();
    }
}
