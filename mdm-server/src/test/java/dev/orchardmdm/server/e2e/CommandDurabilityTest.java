package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.Command;
import dev.orchardmdm.store.CommandQueue;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Commands survive crashes and replicas, on PostgreSQL, with real server processes ({@code Main}
 * in separate JVMs): admin clients queue commands through the API while simulated devices run
 * their command loops.
 *
 * <ul>
 *   <li>{@link #killDashNineLosesNoCommandAndDeliversNoneTwice}: the server is killed with SIGKILL
 *   in the middle of the storm and restarted. Every command the API acknowledged (201) is in the
 *   queue with its wake-up in the push outbox, and no command is delivered again after the server
 *   confirmed its result.</li>
 *   <li>{@link #twoServersOnOneDatabaseDeliverEachCommandOnce}: two servers on one database, each
 *   device reaching both at once. Every acknowledged command is delivered exactly once.</li>
 * </ul>
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CommandDurabilityTest {
    private static final String PROFILE_LIST = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\">"
            + "<dict><key>RequestType</key><string>ProfileList</string></dict></plist>";
    private static final int DEVICES = 12;
    private static final ObjectMapper JSON = new ObjectMapper();

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    Path dir;
    /** The data directory (its secret key seals the server identities in the shared schema): one for the class. */
    @TempDir
    static Path sharedData;

    /** Each test its own push topic (the tests share one database schema). */
    private final String topic = "com.apple.mgmt.External." + UUID.randomUUID();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** An enrolled simulated device: its identity, its database id. */
    private record Device(String udid, String serial, KeyAndChain identity, long id) {
        DeviceSimulator at(HttpClient http, String baseUrl) {
            return new DeviceSimulator(http, baseUrl, udid, serial).identity(identity);
        }
    }

    /** What the clients saw. */
    private static final class Ledger {
        /** Commands the API answered 201 for. */
        final Set<UUID> queued = ConcurrentHashMap.newKeySet();
        /** Every delivery of a command to a device (a connect answered with it). */
        final Map<UUID, Integer> deliveries = new ConcurrentHashMap<>();
        /** Commands whose result the server confirmed (200 to the report). */
        final Set<UUID> confirmed = ConcurrentHashMap.newKeySet();
        /** Deliveries of a command after its result had been confirmed: must stay empty. */
        final Set<UUID> deliveredAfterConfirmation = ConcurrentHashMap.newKeySet();
    }

    private String jdbcUrl() {
        Assumptions.assumeFalse(TestDatabases.postgresSkipped(), "PostgreSQL skipped (ORCHARD_TEST_POSTGRES=skip)");
        return TestServer.jdbcUrl(DBS, DatabaseKind.POSTGRESQL);
    }

    @Test
    void killDashNineLosesNoCommandAndDeliversNoneTwice() throws Exception {
        String url = jdbcUrl();
        Path data = sharedData.resolve("data");
        int port = ServerProcess.freePort();
        Path config = ServerProcess.writeConfig(dir, "crash", port, url, data);
        try (ServerContext context = ServerContext.open(new ConfigLoader(name -> null, dir).load(config))) {
            String token = prepare(context);
            Ledger ledger = new Ledger();
            List<Device> devices;
            AtomicReference<String> base = new AtomicReference<>();
            ServerProcess first = ServerProcess.start(config, port, http);
            try {
                base.set(first.baseUrl());
                devices = enroll(context, first.baseUrl());
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                List<Future<?>> clients = storm(pool, devices, token, ledger, stop, () -> base.get());
                Thread.sleep(2_500);
                first.kill();
                int queuedAtKill = ledger.queued.size();
                try (ServerProcess second = ServerProcess.start(config, port, http)) {
                    Thread.sleep(2_000);
                    stop.set(true);
                    for (Future<?> f : clients) {
                        f.get(30, TimeUnit.SECONDS);
                    }
                    pool.shutdown();
                    // the devices finish their queues on the restarted server
                    for (Device d : devices) {
                        loop(d.at(http, second.baseUrl()), ledger);
                    }
                    assertThat(queuedAtKill).as("commands acknowledged before the kill").isPositive();
                    assertThat(ledger.queued.size()).as("commands acknowledged after the restart")
                            .isGreaterThan(queuedAtKill);
                    assertNothingLost(context.store(), devices, ledger);
                    assertThat(ledger.deliveredAfterConfirmation).as("delivered again after a confirmed result")
                            .isEmpty();
                    // what was delivered and confirmed is answered; a delivery whose report the kill
                    // cut off stays in flight, to be sent again after the redelivery delay
                    for (UUID uuid : ledger.confirmed) {
                        assertThat(context.store().commands().findByUuid(uuid).orElseThrow().answered()).isTrue();
                    }
                    for (UUID uuid : ledger.queued) {
                        Command c = context.store().commands().findByUuid(uuid).orElseThrow();
                        assertThat(c.answered() || c.sentAt() != null).as("command %s neither sent nor answered",
                                uuid).isTrue();
                    }
                }
            } finally {
                first.kill();
            }
        }
    }

    @Test
    void twoServersOnOneDatabaseDeliverEachCommandOnce() throws Exception {
        String url = jdbcUrl();
        Path data = sharedData.resolve("data");
        int portA = ServerProcess.freePort();
        int portB = ServerProcess.freePort();
        Path configA = ServerProcess.writeConfig(dir, "a", portA, url, data);
        Path configB = ServerProcess.writeConfig(dir, "b", portB, url, data);
        try (ServerContext context = ServerContext.open(new ConfigLoader(name -> null, dir).load(configA))) {
            String token = prepare(context);
            Ledger ledger = new Ledger();
            try (ServerProcess a = ServerProcess.start(configA, portA, http);
                 ServerProcess b = ServerProcess.start(configB, portB, http)) {
                List<Device> devices = enroll(context, a.baseUrl());
                AtomicBoolean stop = new AtomicBoolean();
                ExecutorService pool = Executors.newFixedThreadPool(8);
                // every client picks one of the two servers at random for each request
                List<Future<?>> clients = storm(pool, devices, token, ledger, stop,
                        () -> ThreadLocalRandom.current().nextBoolean() ? a.baseUrl() : b.baseUrl());
                Thread.sleep(4_000);
                stop.set(true);
                for (Future<?> f : clients) {
                    f.get(30, TimeUnit.SECONDS);
                }
                pool.shutdown();
                for (Device d : devices) {
                    loop(d.at(http, b.baseUrl()), ledger);
                }
                assertThat(ledger.queued).hasSizeGreaterThan(5);
                assertNothingLost(context.store(), devices, ledger);
                Map<UUID, Integer> twice = new HashMap<>(ledger.deliveries);
                twice.values().removeIf(n -> n == 1);
                assertThat(twice).as("commands delivered more than once").isEmpty();
                for (UUID uuid : ledger.queued) {
                    assertThat(ledger.deliveries).as("delivered: " + uuid).containsKey(uuid);
                    assertThat(context.store().commands().findByUuid(uuid).orElseThrow().answered()).isTrue();
                }
                assertThat(context.store().commands().list(new CommandQueue.Query(null, null, null,
                        CommandQueue.State.SENT, null, null, null, null, 10, 0))).as("left in flight").isEmpty();
            }
        }
    }

    /** The push certificate and an API token that may queue commands. */
    private String prepare(ServerContext context) throws Exception {
        TestPki apple = TestPki.create("Apple push test CA");
        KeyAndChain push = apple.issueDevice("APSP:" + topic, null, null);
        context.store().pushCertificates().create("durability-" + topic, null, new PushCertificateRepository.Material(
                topic, Pem.certificate(push.certificate()), push.privateKey().getEncoded(),
                push.certificate().getNotBefore().toInstant(), push.certificate().getNotAfter().toInstant()));
        return context.store().apiTokens().create("storm", Set.of("mdm.add_devicecommand"), null).secret();
    }

    /** Enrolls {@link #DEVICES} devices (ADE sessions, identities from the server's SCEP CA) and drains their inventory. */
    private List<Device> enroll(ServerContext context, String baseUrl) throws Exception {
        KeyAndChain ca = context.identities().scepCa();
        List<Device> devices = new ArrayList<>();
        for (int i = 0; i < DEVICES; i++) {
            EnrollmentSessionRepository.Started session = context.store().enrollmentSessions().start(SessionKind.DEP,
                    null, SessionStatus.STARTED, null, null);
            KeyPair keys = KeyPairs.ec("secp256r1");
            var cert = new CertificateBuilder("CN=" + SessionSecret.mdmCommonName("DEP", session.secret())
                    + ",O=Orchard", keys.getPublic()).validFor(Duration.ofDays(1))
                    .keyUsage(KeyUsage.digitalSignature).extendedKeyUsage(KeyPurposeId.id_kp_clientAuth)
                    .issuedBy(ca.certificate(), ca.privateKey());
            KeyAndChain identity = new KeyAndChain(keys.getPrivate(), List.of(cert, ca.certificate()));
            DeviceSimulator sim = DeviceSimulator.random(http, baseUrl).identity(identity);
            assertThat(sim.authenticate(topic).status()).isEqualTo(200);
            assertThat(sim.tokenUpdate(topic).status()).isEqualTo(200);
            assertThat(sim.drain(10).status()).isEqualTo(200);
            EnrolledDevice d = context.store().devices().findByUdid(sim.udid()).orElseThrow();
            devices.add(new Device(sim.udid(), sim.serial(), identity, d.id()));
        }
        return devices;
    }

    /** Four admin clients queueing commands and four device clients running command loops, until {@code stop}. */
    private List<Future<?>> storm(ExecutorService pool, List<Device> devices, String token, Ledger ledger,
                                  AtomicBoolean stop, java.util.function.Supplier<String> server) {
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            futures.add(pool.submit(() -> {
                while (!stop.get()) {
                    Device d = devices.get(ThreadLocalRandom.current().nextInt(devices.size()));
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(server.get()
                                        + "/api/mdm/devices/" + d.id() + "/send_custom_command/"))
                                .header("Authorization", "Token " + token).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(
                                        Map.of("command", PROFILE_LIST)), StandardCharsets.UTF_8)).build(),
                                HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            JsonNode body = JSON.readTree(r.body());
                            ledger.queued.add(UUID.fromString(body.get("uuid").asText()));
                        } else {
                            throw new AssertionError("enqueue answered " + r.statusCode() + ": " + r.body());
                        }
                    } catch (java.io.IOException serverDown) {
                        Thread.sleep(50); // not acknowledged: not counted
                    }
                }
                return null;
            }));
        }
        for (int t = 0; t < 4; t++) {
            int slice = t;
            futures.add(pool.submit(() -> {
                while (!stop.get()) {
                    for (int i = slice; i < devices.size() && !stop.get(); i += 4) {
                        try {
                            loop(devices.get(i).at(http, server.get()), ledger);
                        } catch (java.io.IOException serverDown) {
                            Thread.sleep(50);
                        }
                    }
                }
                return null;
            }));
        }
        // in the two-server test the same devices are also polled by a second set of clients at once
        for (int t = 0; t < 2; t++) {
            futures.add(pool.submit(() -> {
                while (!stop.get()) {
                    Device d = devices.get(ThreadLocalRandom.current().nextInt(devices.size()));
                    try {
                        loop(d.at(http, server.get()), ledger);
                    } catch (java.io.IOException serverDown) {
                        Thread.sleep(50);
                    }
                }
                return null;
            }));
        }
        return futures;
    }

    /** One device's command loop from Idle: every command delivered is acknowledged. */
    private static void loop(DeviceSimulator sim, Ledger ledger) throws Exception {
        DeviceSimulator.Reply reply = sim.idle();
        for (int i = 0; i < 200 && reply.status() == 200 && reply.body().length > 0; i++) {
            PlistDict command = reply.plist();
            UUID uuid = UUID.fromString(command.requireString("CommandUUID"));
            if (ledger.confirmed.contains(uuid)) {
                ledger.deliveredAfterConfirmation.add(uuid);
            }
            ledger.deliveries.merge(uuid, 1, Integer::sum);
            reply = sim.connect(PlistDict.of("UDID", sim.udid(), "Status", "Acknowledged",
                    "CommandUUID", uuid.toString()));
            if (reply.status() == 200) {
                ledger.confirmed.add(uuid);
            }
        }
        assertThat(reply.status()).as("connect: " + reply.text()).isEqualTo(200);
    }

    /** Every command the API acknowledged is stored, and its device has a wake-up in the outbox. */
    private static void assertNothingLost(Store store, List<Device> devices, Ledger ledger) {
        Set<Long> woken = new HashSet<>();
        store.pushOutbox().list(100_000).forEach(p -> woken.add(p.enrolledDeviceId()));
        for (UUID uuid : ledger.queued) {
            Command c = store.commands().findByUuid(uuid).orElse(null);
            assertThat(c).as("acknowledged command %s lost", uuid).isNotNull();
            assertThat(woken).as("wake-up of the device of %s", uuid).contains(c.enrolledDeviceId());
        }
        assertThat(devices).isNotEmpty();
    }
}
