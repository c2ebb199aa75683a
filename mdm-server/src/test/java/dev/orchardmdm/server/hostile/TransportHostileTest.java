package dev.orchardmdm.server.hostile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile transport: oversized, chunked and compressed bodies, nested and truncated BER, binary
 * plists with wild offsets, secrets in the log. Each gets a clear 4xx without a stack trace, the
 * server stays healthy, and no row of the database changes.
 */
class TransportHostileTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    static TestServer s;
    static Enrollment dep;
    /** What the server logs (slf4j-simple writes to System.err). */
    static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
    static PrintStream originalErr;

    /** The public endpoints that take a body. */
    static final List<String> BODY_ENDPOINTS = List.of("PUT /public/mdm/checkin/", "PUT /public/mdm/connect/",
            "POST /public/mdm/scep?operation=PKIOperation", "POST /public/mdm/ota_enroll/", "POST /public/mdm/dep_enroll/{dep}/");

    @BeforeAll
    static void start() throws Exception {
        originalErr = System.err;
        System.setErr(new PrintStream(new TeeStream(originalErr, LOG), true, StandardCharsets.UTF_8));
        s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "");
        dep = s.context.store().enrollments().create(new EnrollmentSpec(EnrollmentType.DEP, "ade", "ADE",
                s.pushCertificate.id(), null, null, null, List.of(), List.of(), false, null, null, null));
    }

    @AfterAll
    static void stop() {
        System.setErr(originalErr);
        s.close();
    }

    record Answer(int status, String body) {
    }

    static String path(String endpoint) {
        return endpoint.substring(endpoint.indexOf(' ') + 1).replace("{dep}", dep.secret());
    }

    static Answer send(String endpoint, byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path(endpoint)))
                .timeout(Duration.ofSeconds(30))
                .method(endpoint.substring(0, endpoint.indexOf(' ')), HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach(b::header);
        HttpResponse<String> r = s.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body());
    }

    /** Row counts of the tables a device request could change. */
    static Map<String, Long> rows() throws Exception {
        Map<String, Long> out = new LinkedHashMap<>();
        try (Connection c = s.context.database().dataSource().getConnection(); Statement st = c.createStatement()) {
            for (String table : List.of("enrolled_devices", "enrollment_sessions", "command_queue", "command_history", "push_outbox", "audit_events")) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    out.put(table, rs.getLong(1));
                }
            }
        }
        return out;
    }

    static void assertClear4xx(Answer a, int status, String what) {
        assertThat(a.status()).as(what + ": " + a.body()).isEqualTo(status);
        assertThat(a.body()).as(what).doesNotContain("Exception").doesNotContain("\tat ").doesNotContain("at dev.");
    }

    /** Deeply nested indefinite-length BER SEQUENCEs. */
    static byte[] nestedBer(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        out.writeBytes(new byte[depth * 2]);
        return out.toByteArray();
    }

    static void assertHealthy() throws Exception {
        HttpResponse<byte[]> caps = s.http.send(HttpRequest.newBuilder(
                URI.create(s.baseUrl() + "/public/mdm/scep?operation=GetCACaps")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(caps.statusCode()).isEqualTo(200);
        assertThat(new String(caps.body(), StandardCharsets.US_ASCII)).contains("POSTPKIOperation");
    }

    // ---------------------------------------------------------------- body size

    @Test
    void oversizedContentLengthIsRefusedOnEveryPublicEndpoint() throws Exception {
        Map<String, Long> before = rows();
        byte[] big = new byte[2 * 1024 * 1024 + 1];
        for (String endpoint : BODY_ENDPOINTS) {
            assertClear4xx(send(endpoint, big, Map.of()), 413, endpoint);
        }
        assertThat(rows()).isEqualTo(before);
        assertHealthy();
    }

    @Test
    void chunkedOversizedBodyIsCutOffWhileReading() throws Exception {
        Map<String, Long> before = rows();
        for (String endpoint : List.of("PUT /public/mdm/checkin/", "POST /public/mdm/scep?operation=PKIOperation",
                "POST /public/mdm/dep_enroll/{dep}/")) {
            long started = System.nanoTime();
            ChunkedResult r = streamChunked(endpoint, 64L << 20, Map.of());
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(r.statusLine()).as(endpoint).startsWith("HTTP/1.1 413");
            // refused while the body was still coming (before today's fix: the whole 64 MiB was buffered,
            // then a 403 for the missing identity); the server closes the connection rather than drain it
            assertThat(r.sentWhenAnswered()).as(endpoint).isLessThanOrEqualTo(64L << 20);
            assertThat(millis).as(endpoint).isLessThan(15_000);
        }
        assertThat(rows()).isEqualTo(before);
        assertHealthy();
    }

    @Test
    void compressedBodiesAreRefused() throws Exception {
        Map<String, Long> before = rows();
        // a gzip bomb: 64 MiB of zeros in about 64 KiB
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                gz.write(zeros);
            }
        }
        assertThat(zipped.size()).isLessThan(2 << 20);
        for (String endpoint : BODY_ENDPOINTS) {
            for (String encoding : List.of("gzip", "deflate", "br")) {
                assertClear4xx(send(endpoint, zipped.toByteArray(), Map.of("Content-Encoding", encoding)), 415,
                        endpoint + " " + encoding);
            }
        }
        // "identity" is no encoding at all
        assertThat(send("POST /public/mdm/scep?operation=PKIOperation", new byte[] {1},
                Map.of("Content-Encoding", "identity")).status()).isEqualTo(400);
        assertThat(rows()).isEqualTo(before);
        assertHealthy();
    }

    // ---------------------------------------------------------------- BER

    @Test
    void nestedBerIsA400() throws Exception {
        Map<String, Long> before = rows();
        byte[] hostile = nestedBer(60_000);
        for (String endpoint : List.of("POST /public/mdm/scep?operation=PKIOperation", "POST /public/mdm/ota_enroll/",
                "POST /public/mdm/dep_enroll/{dep}/")) {
            assertClear4xx(send(endpoint, hostile, Map.of()), 400, endpoint);
        }
        // in a GET PKIOperation message, and in the Mdm-Signature header
        String small = java.util.Base64.getEncoder().encodeToString(nestedBer(1_000));
        HttpResponse<String> get = s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl()
                + "/public/mdm/scep?operation=PKIOperation&message=" + java.net.URLEncoder.encode(small,
                StandardCharsets.US_ASCII))).build(), HttpResponse.BodyHandlers.ofString());
        assertClear4xx(new Answer(get.statusCode(), get.body()), 400, "GET PKIOperation");
        assertClear4xx(send("PUT /public/mdm/checkin/", PlistDict.of("MessageType", "Authenticate").toXml(),
                Map.of("Mdm-Signature", small)), 400, "Mdm-Signature");
        assertThat(rows()).isEqualTo(before);
        assertHealthy();
    }

    @Test
    void truncatedCmsIsA400() throws Exception {
        Map<String, Long> before = rows();
        DeviceSimulator d = DeviceSimulator.random(s.http, s.baseUrl());
        KeyAndChain deviceKey = TestServer.APPLE.issueDevice("iPhone " + d.udid(), "Apple Inc.", null);
        byte[] signed = DeviceSimulator.signAttached(d.otaAttributes("x").toXml(), deviceKey);
        for (int cut : new int[] {1, 2, 10, signed.length / 2, signed.length - 1}) {
            byte[] truncated = Arrays.copyOf(signed, cut);
            for (String endpoint : List.of("POST /public/mdm/scep?operation=PKIOperation",
                    "POST /public/mdm/ota_enroll/", "POST /public/mdm/dep_enroll/{dep}/")) {
                assertClear4xx(send(endpoint, truncated, Map.of()), 400, endpoint + " cut at " + cut);
            }
        }
        assertThat(rows()).isEqualTo(before);
    }

    // ---------------------------------------------------------------- plist

    @Test
    void binaryPlistWithHighBitTopOffsetIsA400() throws Exception {
        DeviceSimulator device = DeviceSimulator.random(s.http, s.baseUrl());
        device.installProfile(s.adminMdmProfile(), s.profileSigner());
        Map<String, Long> before = rows();
        byte[] plist = PlistDict.of("MessageType", "Authenticate", "UDID", device.udid()).toBinary();
        byte[] hostile = plist.clone();
        int trailer = hostile.length - 32;
        hostile[trailer + 16] = (byte) 0x80; // top object index: 0x80000000_00000000
        Answer checkin = send("PUT /public/mdm/checkin/", hostile,
                Map.of("Mdm-Signature", TestPki.mdmSignature(hostile, device.identity(), TestPki.SignatureStyle.DEVICE)));
        assertClear4xx(checkin, 400, "checkin");
        Arrays.fill(hostile, trailer + 16, trailer + 24, (byte) 0xFF);
        Answer connect = send("PUT /public/mdm/connect/", hostile,
                Map.of("Mdm-Signature", TestPki.mdmSignature(hostile, device.identity(), TestPki.SignatureStyle.DEVICE)));
        assertClear4xx(connect, 400, "connect");
        assertThat(rows()).isEqualTo(before);
        // the well-formed binary Authenticate from the same device is accepted
        byte[] good = PlistDict.builder().put("MessageType", "Authenticate").put("Topic", TestServer.TOPIC)
                .put("UDID", device.udid()).put("SerialNumber", device.serial()).put("DeviceName", "Mac")
                .put("Model", "VirtualMac2,1").put("ModelName", "Virtual Machine").put("ProductName", "VirtualMac2,1")
                .put("OSVersion", "14.4").put("BuildVersion", "23E214").build().toBinary();
        assertThat(send("PUT /public/mdm/checkin/", good, Map.of("Mdm-Signature",
                TestPki.mdmSignature(good, device.identity(), TestPki.SignatureStyle.DEVICE))).status()).isEqualTo(200);
    }

    // ---------------------------------------------------------------- secrets in logs

    @Test
    void enrollmentSecretsNeverReachTheLog() throws Exception {
        DeviceSimulator device = DeviceSimulator.random(s.http, s.baseUrl());
        // an admin's profile download, then the device's requests with its session secret in the certificate CN
        device.installProfile(s.adminMdmProfile(), s.profileSigner());
        String cn = device.identity().certificate().getSubjectX500Principal().getName();
        String sessionSecret = cn.substring(cn.lastIndexOf('$') + 1).replaceAll(",.*", "");
        assertThat(sessionSecret).hasSizeGreaterThan(16);
        // refused requests on every secret-bearing path: unknown secrets, wrong methods, bad bodies
        String[] secrets = {s.enrollment.secret(), dep.secret(), "guessed-secret-" + System.nanoTime()};
        for (String secret : secrets) {
            for (String path : List.of("/public/mdm/enrollments/" + secret + "/mdm_profile/",
                    "/public/mdm/ota_enrollments/" + secret + "/profile/", "/public/mdm/dep_enroll/" + secret + "/",
                    "/public/mdm/enrollments/" + secret + "/nowhere/")) {
                s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[] {0x30, 0x03, 1})).build(),
                        HttpResponse.BodyHandlers.discarding());
                s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                                .method("PUT", HttpRequest.BodyPublishers.ofByteArray(new byte[3 << 20])).build(),
                        HttpResponse.BodyHandlers.discarding());
                s.http.send(HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).GET().build(),
                        HttpResponse.BodyHandlers.discarding());
            }
        }
        streamChunked("POST /public/mdm/dep_enroll/{dep}/", 8L << 20, Map.of());
        // a device request whose certificate is refused (a message for another UDID before Authenticate)
        assertThat(device.idle().status()).isEqualTo(403);
        // the same identity presented as an expired certificate of a foreign CA
        KeyAndChain foreign = TestPki.create("Foreign").issueDevice(cn.substring(cn.indexOf("CN=") + 3), null, null);
        DeviceSimulator forger = DeviceSimulator.random(s.http, s.baseUrl()).identity(foreign);
        assertThat(forger.authenticate(TestServer.TOPIC).status()).isEqualTo(403);
        System.err.flush();
        String log = LOG.toString(StandardCharsets.UTF_8);
        assertThat(log).contains("/public/mdm/");
        for (String secret : secrets) {
            assertThat(log).doesNotContain(secret);
        }
        assertThat(log).doesNotContain(sessionSecret);
    }

    // ---------------------------------------------------------------- mTLS proxy headers

    @Test
    void proxyHeadersAreBelievedOnlyFromTrustedProxies() throws Exception {
        Path d = dir.resolve("proxied");
        java.nio.file.Files.createDirectories(d);
        // the proxy is elsewhere (TEST-NET-1): a client connecting from 127.0.0.1 is not the proxy
        // (a second server, on its own database: PostgreSQL, while the main one runs on SQLite)
        try (TestServer proxied = TestServer.start(DBS, DatabaseKind.POSTGRESQL, d,
                "\"mdm\": {\"mtls_proxy\": true, \"trusted_proxies\": [\"192.0.2.0/24\"]}")) {
            DeviceSimulator device = DeviceSimulator.random(proxied.http, proxied.baseUrl())
                    .mode(DeviceSimulator.Mode.MTLS_PROXY);
            device.installProfile(proxied.adminMdmProfile(), proxied.profileSigner());
            DeviceSimulator.Reply refused = device.authenticate(TestServer.TOPIC);
            assertThat(refused.status()).isEqualTo(403);
            assertThat(refused.text()).contains("trusted_proxies");
            assertThat(proxied.context.store().devices().findByUdid(device.udid())).isEmpty();
            // the same device signing its messages is not affected
            device.mode(DeviceSimulator.Mode.SIGNED);
            assertThat(device.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- helpers

    record ChunkedResult(String statusLine, long sentWhenAnswered) {
    }

    /** Streams {@code total} bytes as a chunked body over a raw socket, reading the answer meanwhile. */
    static ChunkedResult streamChunked(String endpoint, long total, Map<String, String> headers) throws Exception {
        String method = endpoint.substring(0, endpoint.indexOf(' '));
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            long[] sent = {0};
            long[] sentAtAnswer = {-1};
            CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
                try {
                    ByteArrayOutputStream line = new ByteArrayOutputStream();
                    int c;
                    while ((c = in.read()) != -1 && c != '\n') {
                        line.write(c);
                    }
                    synchronized (sent) {
                        sentAtAnswer[0] = sent[0];
                    }
                    return line.toString(StandardCharsets.US_ASCII).trim();
                } catch (IOException e) {
                    return "no answer: " + e;
                }
            });
            StringBuilder head = new StringBuilder(method + " " + path(endpoint) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            out.write(head.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[64 * 1024];
            Arrays.fill(chunk, (byte) 'A');
            byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
            try {
                while (sent[0] < total && !answer.isDone()) {
                    out.write(size);
                    out.write(chunk);
                    out.write(new byte[] {'\r', '\n'});
                    synchronized (sent) {
                        sent[0] += chunk.length;
                    }
                }
                if (!answer.isDone()) {
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                }
            } catch (IOException closedByServer) {
                // the server stopped reading and closed the connection: expected once the limit is passed
            }
            String status = answer.get(20, TimeUnit.SECONDS);
            return new ChunkedResult(status, sentAtAnswer[0] < 0 ? sent[0] : sentAtAnswer[0]);
        }
    }

    /** Copies everything written to two streams. */
    static final class TeeStream extends OutputStream {
        private final OutputStream a;
        private final OutputStream b;

        TeeStream(OutputStream a, OutputStream b) {
            this.a = a;
            this.b = b;
        }

        @Override
        public synchronized void write(int c) throws IOException {
            a.write(c);
            b.write(c);
        }

        @Override
        public synchronized void write(byte[] buf, int off, int len) throws IOException {
            a.write(buf, off, len);
            b.write(buf, off, len);
        }

        @Override
        public void flush() throws IOException {
            a.flush();
            b.flush();
        }
    }
}
