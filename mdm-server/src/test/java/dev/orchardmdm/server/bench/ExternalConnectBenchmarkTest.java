package dev.orchardmdm.server.bench;

import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.engine.EnrollmentSessions;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.EnrollmentSpec;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The connect benchmark, measured from outside the server: the server runs as a separate process
 * ({@link ServerProcess}) on a fresh SQLite file or PostgreSQL schema; this JVM is the load
 * generator. {@value #DEFAULT_DEVICES} devices get identities from the server's CA (RSA 2048, as
 * SCEP issues them; sessions seeded through the store before the server starts) and enroll over
 * HTTP (Authenticate, TokenUpdate, inventory answered). Then signed Idle reports with empty queues,
 * and signed TokenUpdate check-ins, for random devices over 1, 8 and 32 keep-alive HTTP/1.1
 * connections. Each run prints requests per second, p50/p99 latency and the server's CPU time per
 * request ({@code utime + stime} of {@code /proc/<pid>/stat}, before and after the measured window),
 * with the load average, since other processes share the machine. Asserts only that every answer
 * is a 200 (and an Idle's is empty); timings are printed, not asserted.
 *
 * <p>Run: {@code bin/bench connect} (options: {@code bin/bench --help}).
 */
@Tag("benchmark")
class ExternalConnectBenchmarkTest {
    static final int DEFAULT_DEVICES = 1000;
    static final int DEVICES = Integer.getInteger("orchard.bench.devices", DEFAULT_DEVICES);
    static final double SECONDS = Double.parseDouble(System.getProperty("orchard.bench.seconds", "10"));
    static final double WARMUP_SECONDS = Double.parseDouble(System.getProperty("orchard.bench.warmup", "10"));
    static final List<Integer> CONNECTIONS = Arrays.stream(System.getProperty("orchard.bench.connections", "1,8,32")
            .split(",")).map(String::trim).map(Integer::valueOf).toList();
    static final String DATABASES = System.getProperty("orchard.bench.databases", "SQLITE,POSTGRESQL");
    static final String WORKLOADS = System.getProperty("orchard.bench.workloads", "idle,tokenupdate");

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    Path dir;

    /** A device's pre-built, signed requests. */
    record Device(byte[] idle, byte[] tokenUpdate) {
    }

    record Result(String workload, int connections, long requests, double seconds, long p50, long p99,
                  double serverCpuMillis) {
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void connect(DatabaseKind kind) throws Exception {
        Assumptions.assumeTrue(Arrays.asList(DATABASES.toUpperCase(Locale.ROOT).split(",")).contains(kind.name()),
                "orchard.bench.databases leaves out " + kind);
        Path d = dir.resolve(kind.name());
        Files.createDirectories(d);
        int port = ServerProcess.freePort();
        Path config = d.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:" + port + "\","
                + " \"public_url\": \"https://mdm.orchard.test\"}, \"database\": {\"url\": \""
                + TestServer.jdbcUrl(DBS, kind) + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}", StandardCharsets.UTF_8);

        long setupStart = System.nanoTime();
        List<KeyAndChain> identities = seed(config);
        try (ServerProcess server = ServerProcess.start(config, port, d.resolve("server.log"))) {
            double startSeconds = server.startNanos / 1e9;
            List<Device> devices = enroll(server.port, identities);
            double setupSeconds = (System.nanoTime() - setupStart) / 1e9;
            System.out.printf(Locale.ROOT, "BENCHMARK connect %s: server pid %d started (to first answer) in %.2f s;"
                            + " %d devices seeded and enrolled over HTTP in %.0f s; server RSS %.0f MiB%n", kind,
                    server.pid(), startSeconds, devices.size(), setupSeconds, server.rssMiB());
            List<Result> results = new ArrayList<>();
            for (String workload : WORKLOADS.toLowerCase(Locale.ROOT).split(",")) {
                boolean idle = workload.trim().equals("idle");
                run(server, devices, idle, 32, WARMUP_SECONDS);
                for (int connections : CONNECTIONS) {
                    run(server, devices, idle, connections, Math.min(3, WARMUP_SECONDS));
                    String load = ServerProcess.loadAverage();
                    Result r = run(server, devices, idle, connections, SECONDS);
                    results.add(r);
                    System.out.printf(Locale.ROOT, "BENCHMARK connect %s %-11s %2d connections: %6.0f req/s,"
                                    + " p50 %6.2f ms, p99 %6.2f ms, server CPU %.3f ms/req (%d requests in %.1f s;"
                                    + " load average %s)%n", kind, r.workload(), connections,
                            r.requests() / r.seconds(), r.p50() / 1e6, r.p99() / 1e6,
                            r.serverCpuMillis() / r.requests(), r.requests(), r.seconds(), load);
                }
            }
            System.out.printf(Locale.ROOT, "BENCHMARK connect %s: server RSS after the runs %.0f MiB%n", kind,
                    server.rssMiB());
        }
    }

    /**
     * Before the server starts: creates the data (schema, server identities, a push certificate,
     * an OTA enrollment), {@link #DEVICES} enrollment sessions ready for Authenticate, and an
     * identity per session issued by the server's SCEP CA, as SCEP would issue it.
     */
    private static List<KeyAndChain> seed(Path config) throws Exception {
        try (ServerContext context = ServerContext.open(new ConfigLoader(name -> null, config.getParent())
                .load(config))) {
            TestPki apple = TestPki.create("Apple push test CA");
            KeyAndChain push = apple.issueDevice("APSP:" + TestServer.TOPIC, null, null);
            PushCertificate pc = context.store().pushCertificates().create("bench", null,
                    new PushCertificateRepository.Material(TestServer.TOPIC, Pem.certificate(push.certificate()),
                            push.privateKey().getEncoded(), push.certificate().getNotBefore().toInstant(),
                            push.certificate().getNotAfter().toInstant()));
            Enrollment enrollment = context.store().enrollments()
                    .create(EnrollmentSpec.of(EnrollmentType.OTA, "ota", pc.id()));
            EnrollmentSessions sessions = new EnrollmentSessions(context.store());
            KeyAndChain ca = context.identities().scepCa();
            // RSA 2048 like SCEP-issued device identities; a few key pairs shared by many certificates
            // keep the set-up short (the server keys devices by certificate, never by public key)
            List<KeyPair> keys = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                keys.add(KeyPairs.rsa(2048));
            }
            List<KeyAndChain> identities = new ArrayList<>();
            for (int i = 0; i < DEVICES; i++) {
                EnrollmentSessionRepository.Started session = sessions.startForMdmProfile(enrollment, null, null);
                KeyPair kp = keys.get(i % keys.size());
                var cert = new CertificateBuilder("CN=" + SessionSecret.mdmCommonName("OTA", session.secret())
                        + ",O=Orchard", kp.getPublic()).validFor(Duration.ofDays(2))
                        .keyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)
                        .extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                        .issuedBy(ca.certificate(), ca.privateKey());
                identities.add(new KeyAndChain(kp.getPrivate(), List.of(cert, ca.certificate())));
            }
            return identities;
        }
    }

    /** Enrolls every identity over HTTP (8 at a time) and builds its signed Idle and TokenUpdate. */
    private static List<Device> enroll(int port, List<KeyAndChain> identities) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        String base = "http://127.0.0.1:" + port;
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Device>> futures = new ArrayList<>();
            for (KeyAndChain identity : identities) {
                futures.add(pool.submit(() -> {
                    DeviceSimulator sim = DeviceSimulator.random(http, base).identity(identity);
                    check(sim.authenticate(TestServer.TOPIC));
                    check(sim.tokenUpdate(TestServer.TOPIC));
                    DeviceSimulator.Reply last = sim.drain(10);
                    check(last);
                    if (last.body().length != 0) {
                        throw new IllegalStateException("queue not drained: " + last.text());
                    }
                    byte[] idle = PlistDict.of("UDID", sim.udid(), "Status", "Idle").toXml();
                    byte[] tokenUpdate = PlistDict.builder().put("MessageType", "TokenUpdate")
                            .put("Topic", TestServer.TOPIC).put("UDID", sim.udid())
                            .put("Token", HexFormat.of().parseHex(sim.pushTokenHex()))
                            .put("PushMagic", UUID.randomUUID().toString().toUpperCase(Locale.ROOT))
                            .put("AwaitingConfiguration", false).build().toXml();
                    return new Device(
                            KeepAliveClient.put(port, "/public/mdm/connect/", idle,
                                    TestPki.mdmSignature(idle, identity, TestPki.SignatureStyle.DEVICE)),
                            KeepAliveClient.put(port, "/public/mdm/checkin/", tokenUpdate,
                                    TestPki.mdmSignature(tokenUpdate, identity, TestPki.SignatureStyle.DEVICE)));
                }));
            }
            List<Device> devices = new ArrayList<>();
            for (Future<Device> f : futures) {
                devices.add(f.get());
            }
            return devices;
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(DeviceSimulator.Reply r) {
        if (r.status() != 200) {
            throw new IllegalStateException("HTTP " + r.status() + ": " + r.text());
        }
    }

    /**
     * {@code connections} clients, each on its own keep-alive connection, send requests for random
     * devices for {@code seconds}; the server's CPU time is read before and after.
     */
    private static Result run(ServerProcess server, List<Device> devices, boolean idle, int connections,
                              double seconds) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        try {
            List<KeepAliveClient> clients = new ArrayList<>();
            for (int i = 0; i < connections; i++) {
                clients.add(new KeepAliveClient(server.port));
            }
            double cpuBefore = server.cpuMillis();
            long start = System.nanoTime();
            long end = start + (long) (seconds * 1e9);
            List<Future<long[]>> futures = new ArrayList<>();
            for (KeepAliveClient client : clients) {
                futures.add(pool.submit(() -> {
                    long[] latencies = new long[1024];
                    int n = 0;
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    try (client) {
                        while (System.nanoTime() < end) {
                            Device device = devices.get(random.nextInt(devices.size()));
                            long t0 = System.nanoTime();
                            KeepAliveClient.Response r = client.exchange(idle ? device.idle() : device.tokenUpdate());
                            long latency = System.nanoTime() - t0;
                            if (r.status() != 200 || (idle && r.body().length != 0)) {
                                throw new IllegalStateException("HTTP " + r.status() + ": "
                                        + new String(r.body(), StandardCharsets.UTF_8));
                            }
                            if (n == latencies.length) {
                                latencies = Arrays.copyOf(latencies, n * 2);
                            }
                            latencies[n++] = latency;
                        }
                    }
                    return Arrays.copyOf(latencies, n);
                }));
            }
            List<long[]> all = new ArrayList<>();
            for (Future<long[]> f : futures) {
                all.add(f.get());
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            double cpu = server.cpuMillis() - cpuBefore;
            long[] latencies = all.stream().flatMapToLong(Arrays::stream).sorted().toArray();
            if (latencies.length == 0) {
                throw new IllegalStateException("no request completed");
            }
            return new Result(idle ? "Idle" : "TokenUpdate", connections, latencies.length, elapsed,
                    latencies[latencies.length / 2], latencies[(int) Math.min(latencies.length - 1,
                    latencies.length * 0.99)], cpu);
        } finally {
            pool.shutdownNow();
        }
    }
}
