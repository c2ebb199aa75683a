package dev.orchardmdm.server.e2e;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.server.OrchardServer;
import dev.orchardmdm.server.RouteModules;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.ServerServices;
import dev.orchardmdm.crypto.cms.AppleAttestationVerifier;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.store.Enrollment;
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
import java.time.Duration;

/**
 * A real Orchard server for end-to-end tests: started on a free port over a fresh SQLite file or
 * PostgreSQL schema (from mdm-store's {@link TestDatabases}), with a push certificate and an OTA
 * enrollment.
 */
public final class TestServer implements AutoCloseable {
    public static final String TOPIC = "com.apple.mgmt.External.0c7a0a2e-2fd1-4d3c-b3c3-test";

    /** Stands in for Apple's iPhone Device CA: OTA and ADE requests signed by it are accepted. */
    public static final TestPki APPLE = TestPki.create("Test iPhone Device CA");

    public final ServerContext context;
    public final OrchardServer server;
    public final HttpClient http;
    public final PushCertificate pushCertificate;
    public final Enrollment enrollment;

    private TestServer(ServerContext context, OrchardServer server, PushCertificate pushCertificate,
                       Enrollment enrollment) {
        this.context = context;
        this.server = server;
        this.pushCertificate = pushCertificate;
        this.enrollment = enrollment;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The JDBC URL of the test database of {@code kind} (created by {@code dbs}). */
    public static String jdbcUrl(TestDatabases dbs, DatabaseKind kind) {
        dbs.database(kind);
        if (kind == DatabaseKind.SQLITE) {
            return "jdbc:sqlite:" + dbs.sqliteFile();
        }
        String base = TestDatabases.postgresBaseUrl();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + dbs.postgresSchema();
    }

    /** Starts a server; {@code extraConfig} is spliced into the config JSON object (e.g. {@code "mdm": {...}}). */
    public static TestServer start(TestDatabases dbs, DatabaseKind kind, Path dir, String extraConfig)
            throws Exception {
        String json = "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:0\", \"max_body_bytes\": 2097152,"
                + " \"public_url\": \"https://mdm.orchard.test\"},"
                + " \"database\": {\"url\": \"" + jdbcUrl(dbs, kind) + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}"
                + (extraConfig == null || extraConfig.isBlank() ? "" : ", " + extraConfig) + "}";
        Files.writeString(dir.resolve("orchard.json"), json, StandardCharsets.UTF_8);
        ServerConfig config = new ConfigLoader(name -> null, dir).load(dir.resolve("orchard.json"));
        ServerContext context = ServerContext.open(config);
        OrchardServer server = OrchardServer.start(new ServerServices(context,
                new AppleAttestationVerifier(APPLE.chain())), RouteModules.all());
        TestPki apple = TestPki.create("Apple push test CA");
        KeyAndChain push = apple.issueDevice("APSP:" + TOPIC, null, null);
        PushCertificate pc = context.store().pushCertificates().list(null).stream().findFirst().orElse(null);
        if (pc == null) {
            pc = context.store().pushCertificates().create("test", null, new PushCertificateRepository.Material(
                    TOPIC, Pem.certificate(push.certificate()), push.privateKey().getEncoded(),
                    push.certificate().getNotBefore().toInstant(), push.certificate().getNotAfter().toInstant()));
        }
        Enrollment enrollment = context.store().enrollments().list(EnrollmentType.OTA, "ota").stream().findFirst()
                .orElse(null);
        if (enrollment == null) {
            enrollment = context.store().enrollments().create(EnrollmentSpec.of(EnrollmentType.OTA, "ota", pc.id()));
        }
        return new TestServer(context, server, pc, enrollment);
    }

    /** The certificate profiles are signed with. */
    public java.security.cert.X509Certificate profileSigner() throws Exception {
        return context.identities().profileSigning().certificate();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.port();
    }

    @Override
    public void close() {
        server.close();
        context.close();
    }
}
