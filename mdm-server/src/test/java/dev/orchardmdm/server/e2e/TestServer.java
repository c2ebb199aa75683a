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

    /** Stands in for Apple Root CA. */
    public static final TestPki APPLE_ROOT = TestPki.create("Test Apple Root CA");
    /** Stands in for Apple's iPhone Device CA (under the root): OTA and ADE requests signed by its devices are accepted. */
    public static final TestPki APPLE = APPLE_ROOT.intermediate("Test iPhone Device CA");
    /** Stands in for Apple's developer CA (WWDR), a sibling under the same root: never a device attestation. */
    public static final TestPki APPLE_DEVELOPER = APPLE_ROOT.intermediate("Test Apple Worldwide Developer Relations CA");

    public final ServerContext context;
    public final OrchardServer server;
    public final HttpClient http;
    public final PushCertificate pushCertificate;
    public final Enrollment enrollment;
    private String viewerToken;

    private TestServer(ServerContext context, OrchardServer server, PushCertificate pushCertificate,
                       Enrollment enrollment) {
        this.context = context;
        this.server = server;
        this.pushCertificate = pushCertificate;
        this.enrollment = enrollment;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The servers of one test class: one per database kind, started on first use, closed together. */
    public static final class PerKind {
        private final java.util.Map<DatabaseKind, TestServer> servers = new java.util.EnumMap<>(DatabaseKind.class);
        private final String extraConfig;

        /** @param extraConfig spliced into each server's config, as in {@link TestServer#start} */
        public PerKind(String extraConfig) {
            this.extraConfig = extraConfig;
        }

        /** The server of {@code kind}, started in {@code dir/<kind>} on first use. */
        public synchronized TestServer get(TestDatabases dbs, DatabaseKind kind, Path dir) throws Exception {
            TestServer s = servers.get(kind);
            if (s == null) {
                Path d = dir.resolve(kind.name());
                Files.createDirectories(d);
                s = TestServer.start(dbs, kind, d, extraConfig);
                servers.put(kind, s);
            }
            return s;
        }

        /** Closes every started server. */
        public synchronized void close() {
            servers.values().forEach(TestServer::close);
            servers.clear();
        }
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

    /**
     * The MDM profile of the OTA enrollment as an admin downloads it (admin API
     * {@code ota_enrollments/<id>/mdm_profile/}, with a view-only token): a fresh session not pinned
     * to a device.
     */
    public synchronized byte[] adminMdmProfile() throws Exception {
        if (viewerToken == null) {
            viewerToken = context.store().apiTokens().create("viewer-" + java.util.UUID.randomUUID(),
                    java.util.Set.of("mdm.view_otaenrollment"), null).secret();
        }
        java.net.http.HttpResponse<byte[]> r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                        baseUrl() + "/api/mdm/ota_enrollments/" + enrollment.id() + "/mdm_profile/"))
                        .header("Authorization", "Token " + viewerToken).timeout(Duration.ofSeconds(30)).GET().build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("admin mdm_profile download: HTTP " + r.statusCode());
        }
        return r.body();
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
