package dev.orchardmdm.server.bench;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connect round trips per second and p50/p99 latency against a real server with {@value #DEVICES}
 * enrolled simulated devices, on SQLite and PostgreSQL. Each device has an identity from the
 * server's CA (EC P-256, issued directly to keep the set-up short), enrolled with Authenticate and
 * TokenUpdate over HTTP, inventory drained; then {@value #THREADS} clients send signed Idle
 * reports for random devices. Prints figures; asserts nothing on timing.
 *
 * <p>Run: {@code mvn -B -o -Pbench -pl mdm-server test -Dtest=ConnectBenchmarkTest}
 */
@Tag("benchmark")
class ConnectBenchmarkTest {
    static final int DEVICES = Integer.getInteger("orchard.bench.devices", 1000);
    static final int THREADS = Integer.getInteger("orchard.bench.threads", 8);
    static final int ROUND_TRIPS = Integer.getInteger("orchard.bench.roundTrips", 5_000);

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    Path dir;

    record Device(String udid, byte[] idleBody, String idleSignature) {
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void connectRoundTrips(DatabaseKind kind) throws Exception {
        Path d = dir.resolve(kind.name());
        Files.createDirectories(d);
        try (TestServer s = TestServer.start(DBS, kind, d, "")) {
            KeyAndChain ca = s.context.identities().scepCa();
            long setupStart = System.nanoTime();
            List<Device> devices = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                EnrollmentSessionRepository.Started session = s.server.services().enrollmentSessions()
                        .startForMdmProfile(s.enrollment, null, null);
                KeyPair keys = KeyPairs.ec("secp256r1");
                var cert = new CertificateBuilder("CN=" + SessionSecret.mdmCommonName("OTA", session.secret())
                        + ",O=Orchard", keys.getPublic()).validFor(Duration.ofDays(1))
                        .keyUsage(KeyUsage.digitalSignature).extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                        .issuedBy(ca.certificate(), ca.privateKey());
                KeyAndChain identity = new KeyAndChain(keys.getPrivate(), List.of(cert, ca.certificate()));
                DeviceSimulator sim = DeviceSimulator.random(s.http, s.baseUrl()).identity(identity);
                check(sim.authenticate(TestServer.TOPIC));
                check(sim.tokenUpdate(TestServer.TOPIC));
                check(sim.drain(5));
                byte[] idle = PlistDict.of("UDID", sim.udid(), "Status", "Idle").toXml();
                devices.add(new Device(sim.udid(), idle,
                        TestPki.mdmSignature(idle, identity, TestPki.SignatureStyle.MODERN)));
            }
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;

            // warm-up, then the measured run
            run(s, devices, Math.min(1000, ROUND_TRIPS / 5));
            long[] latencies = new long[ROUND_TRIPS];
            long start = System.nanoTime();
            run(s, devices, latencies);
            double seconds = (System.nanoTime() - start) / 1e9;
            Arrays.sort(latencies);
            System.out.printf("BENCHMARK connect %s: %d devices (set-up %.1f s), %d threads, %d round trips in %.2f s"
                            + " = %.0f round trips/s, p50 %.2f ms, p99 %.2f ms%n", kind, DEVICES, setupSeconds, THREADS,
                    ROUND_TRIPS, seconds, ROUND_TRIPS / seconds, latencies[ROUND_TRIPS / 2] / 1e6,
                    latencies[(int) (ROUND_TRIPS * 0.99)] / 1e6);
        }
    }

    private static void check(DeviceSimulator.Reply r) {
        if (r.status() != 200) {
            throw new IllegalStateException("HTTP " + r.status() + ": " + r.text());
        }
    }

    private static void run(TestServer s, List<Device> devices, int count) throws Exception {
        run(s, devices, new long[count]);
    }

    private static void run(TestServer s, List<Device> devices, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                futures.add(pool.submit(() -> {
                    java.util.Random random = new java.util.Random();
                    for (int i = next.getAndIncrement(); i < latencies.length; i = next.getAndIncrement()) {
                        Device dev = devices.get(random.nextInt(devices.size()));
                        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + "/public/mdm/connect/"))
                                .header("Mdm-Signature", dev.idleSignature())
                                .PUT(HttpRequest.BodyPublishers.ofByteArray(dev.idleBody())).build();
                        long t0 = System.nanoTime();
                        HttpResponse<byte[]> r = s.http.send(req, HttpResponse.BodyHandlers.ofByteArray());
                        latencies[i] = System.nanoTime() - t0;
                        if (r.statusCode() != 200) {
                            throw new IllegalStateException("HTTP " + r.statusCode());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
