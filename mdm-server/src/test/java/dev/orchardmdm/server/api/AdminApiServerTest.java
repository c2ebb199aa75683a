package dev.orchardmdm.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.server.api.mdm.SoftwareUpdateRoutes;
import dev.orchardmdm.server.api.mdm.AppsBooksSync;
import dev.orchardmdm.server.api.mdm.DepRoutes;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.server.api.audit.AuditRoutes;
import dev.orchardmdm.server.OrchardServer;
import dev.orchardmdm.server.RouteModules;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.server.http.RouteModule;
import dev.orchardmdm.store.Asset;
import dev.orchardmdm.store.DepToken;
import dev.orchardmdm.store.DepVirtualServer;
import dev.orchardmdm.store.EnrollmentType;
import dev.orchardmdm.store.DepDevice;
import dev.orchardmdm.store.Location;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.PushCertificateRepository;
import dev.orchardmdm.store.LocationAsset;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The admin API in the real server (started through the server's route-module seam) over SQLite
 * and PostgreSQL, with Apple's services played by a local fake: 401/403 on every endpoint of the
 * OpenAPI document, the spec's task, location and location asset responses, ADE sync and disown.
 */
class AdminApiServerTest {

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    static final MockWebServer APPLE = new MockWebServer();
    static final List<String> APPLE_PATHS = new CopyOnWriteArrayList<>();
    static final List<String> DEFINED_PROFILES = new CopyOnWriteArrayList<>();
    static final UUID ONBOARDED_UUID = UUID.randomUUID();
    static final String TAKEN = "taken";
    static final Map<DatabaseKind, Running> SERVERS = new EnumMap<>(DatabaseKind.class);

    record Running(ServerContext context, OrchardServer server, ApiTestClient client, String admin, String nobody) {
        Store store() {
            return context.store();
        }
    }

    @BeforeAll
    static void apple() throws IOException {
        String clientConfig = Files.readString(Path.of(System.getProperty("orchard.shared.dir", "/work/shared"),
                "fixtures", "zentral", "server_token_client_config_response.json"));
        String unclaimed = clientConfig.replaceAll("(?s)\"mdmInfo\": \\{.*?\\},", "");
        byte[] catalog = Files.readAllBytes(Path.of(System.getProperty("orchard.shared.dir", "/work/shared"),
                "fixtures", "zentral", "software_lookup_service_response.json"));
        APPLE.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                String path = request.getRequestUrl().encodedPath();
                APPLE_PATHS.add(request.getMethod() + " " + path);
                return switch (path) {
                    case "/mdm/v2/client/config" -> json(request.getMethod().equals("GET")
                            && String.valueOf(request.getHeader("Authorization")).contains(vppToken(TAKEN)) ? clientConfig
                            : unclaimed);
                    case "/v2/pmv" -> json(new String(catalog, StandardCharsets.UTF_8));
                    case "/session" -> json("{\"auth_session_token\": \"session-1\"}");
                    case "/server/devices" -> json("{\"devices\": [" + adeDevice("C02ORCHARD01", "Mac")
                            + ", " + adeDevice("DMPORCHARD02", "iPad") + "], \"cursor\": \"cursor-1\","
                            + " \"more_to_follow\": false, \"fetched_until\": \"2026-11-26T06:00:00Z\"}");
                    case "/account" -> json("{\"server_name\": \"Orchard onboarded\", \"server_uuid\":"
                            + " \"" + ONBOARDED_UUID + "\", \"org_name\": \"Orchard Org\", \"org_email\":"
                            + " \"it@example.com\", \"org_type\": \"org\", \"org_version\": \"v2\"}");
                    case "/devices/disown" -> json("{\"devices\": {\"C02ORCHARD01\": \"SUCCESS\"}}");
                    case "/profile" -> {
                        String body = request.getBody().readUtf8();
                        DEFINED_PROFILES.add(body);
                        yield body.contains("Refused") ? new MockResponse().setResponseCode(400).setBody("INVALID_PROFILE")
                                : json("{\"profile_uuid\": \"PROFILE" + DEFINED_PROFILES.size() + "\", \"devices\": {}}");
                    }
                    case "/mdm/v2/assets" -> json("{\"assets\": [{\"adamId\": \"900000001\", \"pricingParam\": \"STDQ\","
                            + " \"productType\": \"App\", \"deviceAssignable\": true, \"revocable\": true,"
                            + " \"supportedPlatforms\": [\"iOS\", \"macOS\"], \"assignedCount\": 2, \"availableCount\": 8,"
                            + " \"retiredCount\": 0, \"totalCount\": 10}, {\"adamId\": \"900000002\", \"pricingParam\":"
                            + " \"PLUS\", \"productType\": \"Book\", \"deviceAssignable\": false, \"revocable\": false,"
                            + " \"supportedPlatforms\": [\"iOS\"], \"assignedCount\": 0, \"availableCount\": 5,"
                            + " \"retiredCount\": 1, \"totalCount\": 6}], \"versionId\": \"v1\", \"currentPageIndex\": 0,"
                            + " \"totalPages\": 1, \"size\": 2, \"uId\": \"x\"}");
                    case "/mdm/v2/assignments" -> json("{\"assignments\": [{\"adamId\": \"900000001\", \"pricingParam\":"
                            + " \"STDQ\", \"serialNumber\": \"C02SYNC01\"}, {\"adamId\": \"900000001\", \"pricingParam\":"
                            + " \"STDQ\", \"serialNumber\": \"C02SYNC02\"}, {\"adamId\": \"900000002\", \"pricingParam\":"
                            + " \"PLUS\", \"clientUserId\": \"user-1\"}], \"versionId\": \"v7\", \"currentPageIndex\": 0,"
                            + " \"totalPages\": 1, \"size\": 3}");
                    case "/profile/devices" -> json("{\"profile_uuid\": \"x\", \"devices\": {\"C02DEPENR01\":"
                            + " \"SUCCESS\", \"C02DEPENR02\": \"NOT_ACCESSIBLE\"}}");
                    default -> new MockResponse().setResponseCode(404);
                };
            }
        });
        APPLE.start();
    }

    static String adeDevice(String serial, String family) {
        return "{\"serial_number\": \"" + serial + "\", \"model\": \"" + family + " model\", \"description\": \"desc\","
                + " \"color\": \"SILVER\", \"asset_tag\": \"\", \"os\": \"OSX\", \"device_family\": \"" + family + "\","
                + " \"profile_status\": \"empty\", \"device_assigned_by\": \"admin@example.com\","
                + " \"device_assigned_date\": \"2024-01-02T03:04:05Z\"}";
    }

    static MockResponse json(String body) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
    }

    @AfterAll
    static void stop() throws IOException {
        SERVERS.values().forEach(r -> {
            r.server().close();
            r.context().close();
        });
        APPLE.shutdown();
    }

    static Running server(DatabaseKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> {
            try {
                Path home = Files.createDirectories(dir.resolve(k.name()));
                String config = "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:0\","
                        + " \"public_url\": \"https://mdm.orchard.test\"},"
                        + " \"database\": {\"url\": \"" + TestServer.jdbcUrl(DBS, k) + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}";
                Files.writeString(home.resolve("orchard.json"), config);
                ServerConfig cfg = new ConfigLoader(name -> null, home).load(home.resolve("orchard.json"));
                ServerContext context = ServerContext.open(cfg);
                AdminRouteModule admin = new AdminRouteModule(new AdminRouteModule.Settings(APPLE.url("/"),
                        APPLE.url("/v2/pmv"), APPLE.url("/mdm/v2/"), 1, Duration.ofMinutes(1), Duration.ofMillis(200)));
                List<RouteModule> modules = new ArrayList<>(RouteModules.deviceModules());
                modules.add(admin);
                OrchardServer server = OrchardServer.start(context, modules);
                ApiTestClient client = new ApiTestClient("http://127.0.0.1:" + server.port());
                JsonNode doc = client.get(AdminApi.OPENAPI_PATH, null).json();
                Set<String> all = new HashSet<>();
                doc.get("paths").forEach(p -> p.forEach(op -> op.get("x-required-permissions")
                        .forEach(x -> all.add(x.asText()))));
                String adminToken = context.store().apiTokens().create("admin", all, null).secret();
                String nobody = context.store().apiTokens().create("nobody", Set.of(), null).secret();
                return new Running(context, server, client, adminToken, nobody);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void everyEndpointAnswers401WithoutTokenAnd403WithoutItsPermissions(DatabaseKind kind) {
        Running r = server(kind);
        JsonNode paths = r.client().get(AdminApi.OPENAPI_PATH, null).json().get("paths");
        int checked = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            String url = path.getKey().replace("{id}", "1").replace("{uuid}", UUID.randomUUID().toString())
                    .replace("{task_id}", UUID.randomUUID().toString());
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                String method = op.getKey().toUpperCase();
                String body = method.equals("GET") || method.equals("DELETE") ? null : "{}";
                var anonymous = r.client().send(method, url, null, body, body == null ? null : "application/json");
                assertThat(anonymous.status()).as(method + " " + url).isEqualTo(401);
                assertThat(anonymous.json().get("detail").asText()).isNotBlank();
                var bad = r.client().send(method, url, "orchard_not-a-real-token", body,
                        body == null ? null : "application/json");
                assertThat(bad.status()).as(method + " " + url).isEqualTo(401);
                var forbidden = r.client().send(method, url, r.nobody(), body, body == null ? null : "application/json");
                List<String> required = new ArrayList<>();
                op.getValue().get("x-required-permissions").forEach(p -> required.add(p.asText()));
                if (required.isEmpty()) {
                    assertThat(forbidden.status()).as(method + " " + url).isNotIn(401, 403);
                } else {
                    assertThat(forbidden.status()).as(method + " " + url).isEqualTo(403);
                    assertThat(required).contains(forbidden.json().get("missing_permission").asText());
                }
                checked++;
            }
        }
        assertThat(checked).isGreaterThanOrEqualTo(25);
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void everyPermissionTheApiChecksIsInTheListTheCliGrants(DatabaseKind kind) {
        JsonNode paths = server(kind).client().get(AdminApi.OPENAPI_PATH, null).json().get("paths");
        Set<String> checked = new HashSet<>();
        paths.forEach(p -> p.forEach(op -> op.get("x-required-permissions").forEach(x -> checked.add(x.asText()))));
        assertThat(checked).contains(AuditRoutes.VIEW, "mdm.view_enrolleddevice", "mdm.disown_depdevice");
        assertThat(Permissions.all()).containsAll(checked);
        assertThat(Permissions.isKnown("audit.view_auditevent")).isTrue();
        assertThat(Permissions.isKnown("mdm.view_nothing")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = DatabaseKind.class, names = "SQLITE")
    void docsApiMdDocumentsEveryOperation(DatabaseKind kind) throws IOException {
        Path docs = Path.of(System.getProperty("user.dir")).resolveSibling("docs").resolve("api.md");
        String text = Files.readString(docs);
        JsonNode paths = server(kind).client().get(AdminApi.OPENAPI_PATH, null).json().get("paths");
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            for (Iterator<String> ops = path.getValue().fieldNames(); ops.hasNext(); ) {
                String heading = "### `" + ops.next().toUpperCase() + " " + path.getKey() + "`";
                assertThat(text).as("docs/api.md documents " + heading).contains(heading);
            }
        }
    }

    static JsonNode awaitTask(Running r, String taskId) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        JsonNode result;
        do {
            result = r.client().get("/api/task_result/" + taskId + "/", r.admin()).json();
            if (!result.get("unready").asBoolean()) {
                return result;
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("task " + taskId + " not done: " + result);
    }

    /** An ADE virtual server with a token whose OAuth credentials the fake ADE server accepts. */
    static DepVirtualServer virtualServer(Store store, String name) throws Exception {
        DepToken token = store.dep().createToken("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
                new byte[] {1, 2, 3});
        store.dep().setTokenCredentials(token.id(), new DepToken.Credentials("CK_1", "consumer-secret", "AT_1",
                "access-secret", Instant.now().plus(Duration.ofDays(300))));
        return store.dep().upsertVirtualServer(new DepVirtualServer.Spec(name,
                UUID.randomUUID(), token.id(), "Org", "org@example.com", "+1", "street", "org", "v2"));
    }

    /** The task of {@code name} with exactly {@code arguments}, once it has finished: its status and result. */
    static String awaitFinished(Store store, DatabaseKind kind, String name, String arguments) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        do {
            java.util.Optional<String> done = DBS.database(kind).jdbi().withHandle(h -> h.createQuery(
                            "SELECT status || ' ' || COALESCE(result, error, '') FROM tasks WHERE name = :n AND arguments = :a"
                                    + " AND status IN ('SUCCEEDED', 'FAILED') ORDER BY id DESC")
                    .bind("n", name).bind("a", arguments).mapTo(String.class).findFirst());
            if (done.isPresent()) {
                return done.get();
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("no finished task " + name + " " + arguments);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aSecondReplicaRunsTheScheduledSyncsAgainstApple(DatabaseKind kind) throws Exception {
        Running first = server(kind); // schedule disabled: only the second replica schedules
        Store store = first.store();
        DepVirtualServer vs = virtualServer(store, "Scheduled ADE " + kind);
        DepToken token = store.dep().findToken(vs.tokenId()).orElseThrow();
        Location location = store.appsBooks().createLocation(new Location.Spec("Scheduled location " + kind, "Org",
                "DE", UUID.randomUUID().toString(), "enterprisestore", "", UUID.randomUUID(),
                Instant.parse("2050-01-01T00:00:00Z")), "s-token-sched-" + kind, "ztl_mdm_nat_sched_" + kind);

        Path home = dir.resolve(kind.name());
        Files.writeString(home.resolve("replica.json"), "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:0\","
                + " \"public_url\": \"https://mdm.orchard.test\"}, \"database\": {\"url\": \"" + TestServer.jdbcUrl(DBS, kind)
                + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"initial_delay_seconds\": 0, \"tick_seconds\": 1}}");
        ServerContext context = ServerContext.open(new ConfigLoader(name -> null, home).load(home.resolve("replica.json")));
        List<RouteModule> modules = new ArrayList<>(RouteModules.deviceModules());
        modules.add(new AdminRouteModule(new AdminRouteModule.Settings(APPLE.url("/"), APPLE.url("/v2/pmv"),
                APPLE.url("/mdm/v2/"), 1, Duration.ofMinutes(1), Duration.ofMillis(200))));
        OrchardServer replica = OrchardServer.start(context, modules);
        try {
            assertThat(awaitFinished(store, kind, DepRoutes.SYNC_TASK,
                    "{\"full_sync\":false,\"virtual_server_id\":" + vs.id() + "}"))
                    .startsWith("SUCCEEDED").contains("\"devices\":2");
            assertThat(awaitFinished(store, kind, AppsBooksSync.SYNC_TASK, "{\"location_id\":" + location.id() + "}"))
                    .startsWith("SUCCEEDED");
            assertThat(awaitFinished(store, kind, SoftwareUpdateRoutes.SYNC_TASK, "{}")).startsWith("SUCCEEDED");
            assertThat(store.dep().findToken(token.id()).orElseThrow().syncCursor()).isEqualTo("cursor-1");
        } finally {
            replica.close();
            context.close();
        }
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void softwareUpdatesSyncRunsAsATask(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        var started = r.client().post("/api/mdm/software_updates/sync/", r.admin(), null);
        assertThat(started.status()).isEqualTo(201);
        String taskId = started.json().get("task_id").asText();
        SpecAssert.matches(started.json(), "task", Map.of("task_id", taskId,
                "task_result_url", "/api/task_result/" + taskId + "/"));
        JsonNode done = awaitTask(r, taskId);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        assertThat(done.get("name").asText()).isEqualTo("mdm.sync_software_updates");
        assertThat(done.get("progress").asInt()).isEqualTo(100);
        assertThat(done.get("result").get("present").asInt()).isGreaterThan(0);
        assertThat(APPLE_PATHS).contains("GET /v2/pmv");
        JsonNode macos = r.client().get("/api/mdm/software_updates/?platform=macOS", r.admin()).json();
        assertThat(macos).isNotEmpty();
        assertThat(macos).allMatch(u -> u.get("platform").asText().equals("macOS"));
        assertThat(macos).anyMatch(u -> u.get("build").asText().equals("22C65") && !u.get("public").asBoolean());
        assertThat(r.client().get("/api/task_result/" + UUID.randomUUID() + "/", r.admin()).status()).isEqualTo(404);
        assertThat(r.client().get("/api/task_result/nope/", r.admin()).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void adeVirtualServerSyncAndDisown(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        Store store = r.store();
        DepVirtualServer vs = virtualServer(store, "Orchard ADE " + kind);
        DepToken token = store.dep().findToken(vs.tokenId()).orElseThrow();
        JsonNode servers = r.client().get("/api/mdm/dep/virtual_servers/?name=Orchard ADE " .replace(" ", "%20")
                + kind, r.admin()).json();
        assertThat(servers).hasSize(1);
        assertThat(servers.get(0).fieldNames()).toIterable()
                .containsExactly("id", "name", "uuid", "created_at", "updated_at");
        var started = r.client().post("/api/mdm/dep/virtual_servers/" + vs.id() + "/sync_devices/", r.admin(), null);
        assertThat(started.status()).isEqualTo(201);
        JsonNode done = awaitTask(r, started.json().get("task_id").asText());
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        assertThat(done.get("result").get("devices").asInt()).isEqualTo(2);
        assertThat(store.dep().findToken(token.id()).orElseThrow().syncCursor()).isEqualTo("cursor-1");
        JsonNode devices = r.client().get("/api/mdm/dep/devices/?virtual_server=" + vs.id(), r.admin()).json();
        assertThat(devices).extracting(d -> d.get("serial_number").asText())
                .containsExactlyInAnyOrder("C02ORCHARD01", "DMPORCHARD02");
        JsonNode mac = r.client().get("/api/mdm/dep/devices/?serial_number=C02ORCHARD01&virtual_server=" + vs.id(),
                r.admin()).json().get(0);
        assertThat(mac.get("device_family").asText()).isEqualTo("Mac");
        assertThat(mac.get("profile_status").asText()).isEqualTo("empty");
        assertThat(mac.get("device_assigned_date").asText()).isEqualTo("2024-01-02T03:04:05");
        var disowned = r.client().post("/api/mdm/dep/devices/" + mac.get("id").asLong() + "/disown/", r.admin(), null);
        assertThat(disowned.status()).isEqualTo(200);
        assertThat(disowned.json().get("result").asText()).isEqualTo("SUCCESS");
        assertThat(r.client().get("/api/mdm/dep/devices/" + mac.get("id").asLong() + "/", r.admin()).json()
                .get("disowned_at").isNull()).isFalse();
        assertThat(r.client().post("/api/mdm/dep/virtual_servers/999999/sync_devices/", r.admin(), null).status())
                .isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void adeEnrollmentsDefineTheirProfileAtAppleAndAssignIt(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        Store store = r.store();
        DepToken token = store.dep().createToken("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
                new byte[] {1, 2, 3});
        store.dep().setTokenCredentials(token.id(), new DepToken.Credentials("CK_2", "consumer-secret", "AT_2",
                "access-secret", Instant.now().plus(Duration.ofDays(300))));
        DepVirtualServer vs = store.dep().upsertVirtualServer(new DepVirtualServer.Spec("Profiles " + kind,
                UUID.randomUUID(), token.id(), "Org", "org@example.com", "+1", "street", "org", "v2"));
        DepToken otherToken = store.dep().createToken("-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----\n",
                new byte[] {4, 5, 6});
        DepVirtualServer other = store.dep().upsertVirtualServer(new DepVirtualServer.Spec("Other " + kind,
                UUID.randomUUID(), otherToken.id(), "Org", "org@example.com", "+1", "street", "org", "v2"));
        for (String serial : List.of("C02DEPENR01", "C02DEPENR02")) {
            store.dep().upsertDevice(vs.id(), new DepDevice.Sync(serial, null, null, null, "Mac", "Mac", "OSX", null,
                    null, "added", null, "empty", null, null, null));
        }
        store.dep().upsertDevice(other.id(), new DepDevice.Sync("C02DEPENR09", null, null, null, "Mac", "Mac", "OSX",
                null, null, "added", null, "empty", null, null, null));
        TestPki apple = TestPki.create("Apple push test CA ADE " + kind);
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        KeyAndChain push = apple.issueDevice("APSP:" + topic, null, null);
        PushCertificate pc = store.pushCertificates().create("ade-push-" + kind, null,
                new PushCertificateRepository.Material(topic, Pem.certificate(push.certificate()),
                        push.privateKey().getEncoded(), push.certificate().getNotBefore().toInstant(),
                        push.certificate().getNotAfter().toInstant()));
        String base = "/api/mdm/dep_enrollments/";
        var noServer = r.client().post(base, r.admin(), "{\"name\": \"x\", \"push_certificate\": " + pc.id() + "}");
        assertThat(noServer.status()).isEqualTo(400);
        assertThat(noServer.json().has("virtual_server")).isTrue();
        assertThat(r.client().post(base, r.admin(), "{\"name\": \"x\", \"push_certificate\": " + pc.id()
                + ", \"virtual_server\": 999999}").json().has("virtual_server")).isTrue();
        assertThat(r.client().post(base, r.admin(), "{\"name\": \"x\", \"push_certificate\": " + pc.id()
                + ", \"virtual_server\": " + vs.id() + ", \"is_supervised\": \"yes\"}").json().has("is_supervised"))
                .isTrue();
        int before = store.enrollments().list(EnrollmentType.DEP, null).size();
        var refused = r.client().post(base, r.admin(), "{\"name\": \"Refused " + kind + "\", \"push_certificate\": "
                + pc.id() + ", \"virtual_server\": " + vs.id() + "}");
        assertThat(refused.status()).isEqualTo(502);
        assertThat(store.enrollments().list(EnrollmentType.DEP, null)).hasSize(before);

        var created = r.client().post(base, r.admin(), "{\"name\": \"Macs " + kind + "\", \"push_certificate\": "
                + pc.id() + ", \"virtual_server\": " + vs.id() + ", \"is_supervised\": true, \"is_mandatory\": true,"
                + " \"await_device_configured\": true, \"department\": \"IT\", \"skip_setup_items\": [\"Siri\"]}");
        assertThat(created.status()).as(created.json().toString()).isEqualTo(201);
        JsonNode e = created.json();
        long id = e.get("id").asLong();
        String secret = e.get("enrollment_secret").get("secret").asText();
        JsonNode sent = new com.fasterxml.jackson.databind.ObjectMapper().readTree(
                DEFINED_PROFILES.get(DEFINED_PROFILES.size() - 1));
        assertThat(sent.get("profile_name").asText()).isEqualTo("Macs " + kind);
        assertThat(sent.get("url").asText()).isEqualTo("https://mdm.orchard.test/public/mdm/dep_enroll/" + secret + "/");
        assertThat(sent.get("is_supervised").asBoolean()).isTrue();
        assertThat(sent.get("department").asText()).isEqualTo("IT");
        assertThat(sent.get("skip_setup_items").get(0).asText()).isEqualTo("Siri");
        assertThat(sent.has("is_multi_user")).isFalse();
        String uuid = e.get("profile_uuid").asText();
        assertThat(uuid).isEqualTo("PROFILE" + DEFINED_PROFILES.size());
        assertThat(e.get("virtual_server").asLong()).isEqualTo(vs.id());
        assertThat(e.get("is_supervised").asBoolean()).isTrue();
        assertThat(e.get("is_multi_user").isNull()).isTrue();
        assertThat(r.client().get(base + id + "/", r.admin()).json().get("profile_uuid").asText()).isEqualTo(uuid);
        assertThat(r.client().get(base + "?name=Macs%20" + kind, r.admin()).json()).hasSize(1);

        var moved = r.client().send("PUT", base + id + "/", r.admin(), "{\"name\": \"Macs " + kind
                + "\", \"push_certificate\": " + pc.id() + ", \"virtual_server\": " + other.id() + "}", "application/json");
        assertThat(moved.status()).isEqualTo(400);
        assertThat(moved.json().has("virtual_server")).isTrue();
        var updated = r.client().send("PUT", base + id + "/", r.admin(), "{\"name\": \"Macs 2 " + kind
                + "\", \"push_certificate\": " + pc.id() + ", \"virtual_server\": " + vs.id() + "}", "application/json");
        assertThat(updated.status()).as(updated.json().toString()).isEqualTo(200);
        assertThat(updated.json().get("profile_uuid").asText()).isNotEqualTo(uuid)
                .isEqualTo("PROFILE" + DEFINED_PROFILES.size());
        assertThat(updated.json().get("is_supervised").isNull()).isTrue();

        assertThat(r.client().post(base + id + "/assign/", r.admin(), "{\"serial_numbers\": [\"C02DEPENR09\"]}")
                .json().has("serial_numbers")).isTrue();
        assertThat(r.client().post(base + id + "/assign/", r.admin(), "{}").json().has("serial_numbers")).isTrue();
        var assigned = r.client().post(base + id + "/assign/", r.admin(),
                "{\"serial_numbers\": [\"C02DEPENR01\", \"C02DEPENR02\"]}");
        assertThat(assigned.status()).as(assigned.json().toString()).isEqualTo(200);
        assertThat(assigned.json().get("devices").get("C02DEPENR01").asText()).isEqualTo("SUCCESS");
        assertThat(assigned.json().get("devices").get("C02DEPENR02").asText()).isEqualTo("NOT_ACCESSIBLE");
        JsonNode devices = r.client().get("/api/mdm/dep/devices/?enrollment=" + id, r.admin()).json();
        assertThat(devices).extracting(d -> d.get("serial_number").asText()).containsExactly("C02DEPENR01");
        assertThat(devices.get(0).get("profile_uuid").asText()).isEqualTo(updated.json().get("profile_uuid").asText());
        assertThat(r.client().get("/api/audit_events/?object_type=mdm.depenrollment&object_id=" + id, r.admin()).json())
                .extracting(a -> a.get("action").asText()).contains("dep_profile_assigned");

        assertThat(r.client().send("DELETE", base + id + "/", r.admin(), null, null).status()).isEqualTo(204);
        assertThat(r.client().get(base + id + "/", r.admin()).status()).isEqualTo(404);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void appsBooksAssetSyncRunsAsATask(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        Store store = r.store();
        Location location = store.appsBooks().createLocation(new Location.Spec("Sync location " + kind, "Org",
                "DE", UUID.randomUUID().toString(), "enterprisestore", "", UUID.randomUUID(),
                Instant.parse("2050-01-01T00:00:00Z")), "s-token-sync-" + kind, "ztl_mdm_nat_sync_" + kind);
        Asset known = store.appsBooks().upsertAsset(new Asset.Spec("900000001", "STDQ", "App", true, true,
                List.of("iOS"), null, "Synced app", "com.example.synced"));
        LocationAsset stale = store.appsBooks().upsertLocationAsset(location.id(), known.id(), 0, 0, 0, 0);
        store.appsBooks().assign(stale.id(), "C02STALE1");
        assertThat(r.client().post("/api/mdm/locations/999999/sync_assets/", r.admin(), null).status()).isEqualTo(404);
        var started = r.client().post("/api/mdm/locations/" + location.id() + "/sync_assets/", r.admin(), null);
        assertThat(started.status()).isEqualTo(201);
        String taskId = started.json().get("task_id").asText();
        assertThat(started.json().get("task_result_url").asText()).isEqualTo("/api/task_result/" + taskId + "/");
        JsonNode done = awaitTask(r, taskId);
        assertThat(done.get("status").asText()).as(done.toString()).isEqualTo("SUCCESS");
        JsonNode result = done.get("result");
        assertThat(result.get("assets").asInt()).isEqualTo(2);
        assertThat(result.get("assignments").asInt()).isEqualTo(3);
        assertThat(result.get("assignments_added").asInt()).isEqualTo(2);
        assertThat(result.get("assignments_removed").asInt()).isEqualTo(1);
        assertThat(result.get("assignments_skipped").asInt()).isEqualTo(1);
        JsonNode app = r.client().get("/api/mdm/location_assets/?adam_id=900000001&pricing_param=STDQ&location_id="
                + location.id(), r.admin()).json();
        assertThat(app).hasSize(1);
        assertThat(app.get(0).get("assigned_count").asInt()).isEqualTo(2);
        assertThat(app.get(0).get("available_count").asInt()).isEqualTo(8);
        assertThat(app.get(0).get("total_count").asInt()).isEqualTo(10);
        assertThat(store.appsBooks().assignedSerialNumbers(stale.id())).containsExactly("C02SYNC01", "C02SYNC02");
        assertThat(store.appsBooks().findAsset(known.id()).orElseThrow().name()).isEqualTo("Synced app");
        JsonNode book = r.client().get("/api/mdm/location_assets/?adam_id=900000002&location_id=" + location.id(),
                r.admin()).json();
        assertThat(book).hasSize(1);
        assertThat(book.get(0).get("retired_count").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void appsBooksLocationsAndAssetsAsTheSpecShowsThem(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        Store store = r.store();
        Location location = store.appsBooks().createLocation(new Location.Spec("Location name", "Organization name",
                "DE", "1dc05825-af1d-422a-9b26-72a2f8c2aae5", "enterprisestore", "",
                UUID.fromString("f42d9d70-d304-4ac1-83db-b045fa4bc623"), Instant.parse("2050-01-01T00:00:00Z")),
                "s-token-" + kind, "ztl_mdm_nat_" + kind);
        Asset asset = store.appsBooks().upsertAsset(new Asset.Spec("409183694", "STDQ", "App", true, true,
                List.of("macOS"), null, "Keynote", "com.apple.iWork.Keynote"));
        LocationAsset la = store.appsBooks().upsertLocationAsset(location.id(), asset.id(), 0, 0, 0, 0);
        JsonNode list = r.client().get("/api/mdm/locations/?name=Location%20name&organization_name=Organization%20name",
                r.admin()).json();
        assertThat(list).hasSize(1);
        SpecAssert.matches(list.get(0), "location", Map.of("id", location.id()));
        SpecAssert.matches(r.client().get("/api/mdm/locations/" + location.id() + "/", r.admin()).json(), "location",
                Map.of("id", location.id()));
        assertThat(r.client().get("/api/mdm/locations/?name=other", r.admin()).json()).isEmpty();
        JsonNode assets = r.client().get("/api/mdm/location_assets/?adam_id=409183694&pricing_param=STDQ&location_id="
                + location.id(), r.admin()).json();
        assertThat(assets).hasSize(1);
        SpecAssert.matches(assets.get(0), "location_asset", Map.of("id", la.id(), "location", location.id(),
                "asset", asset.id()));
        assertThat(r.client().get("/api/mdm/location_assets/?location_id=abc", r.admin()).json().has("location_id"))
                .isTrue();
        assertThat(r.client().get("/api/mdm/locations/?mdm_info_id=bad", r.admin()).json().has("mdm_info_id")).isTrue();
        assertThat(list.toString()).doesNotContain("s-token").doesNotContain("ztl_mdm_nat");

        String notify = "/public/mdm/locations/f42d9d70-d304-4ac1-83db-b045fa4bc623/notify/";
        String count = Files.readString(Path.of(System.getProperty("orchard.shared.dir", "/work/shared"), "fixtures",
                "zentral", "server_token_asset_count_notification.json")).replace("361304891", "409183694");
        assertThat(r.client().sendRaw("POST", notify, "Bearer wrong", count.getBytes(StandardCharsets.UTF_8),
                "application/json").status()).isEqualTo(401);
        assertThat(r.client().sendRaw("POST", notify, null, count.getBytes(StandardCharsets.UTF_8),
                "application/json").status()).isEqualTo(401);
        assertThat(r.client().sendRaw("POST", "/public/mdm/locations/nope/notify/", "Bearer ztl_mdm_nat_" + kind,
                count.getBytes(StandardCharsets.UTF_8), "application/json").status()).isEqualTo(404);
        assertThat(r.client().sendRaw("POST", notify, "Bearer ztl_mdm_nat_" + kind,
                "{\"notificationType\": ".getBytes(StandardCharsets.UTF_8), "application/json").status()).isEqualTo(400);
        var accepted = r.client().sendRaw("POST", notify, "Bearer ztl_mdm_nat_" + kind,
                count.getBytes(StandardCharsets.UTF_8), "application/json");
        assertThat(accepted.status()).isEqualTo(200);
        JsonNode counted = r.client().get("/api/mdm/location_assets/?location_id=" + location.id(), r.admin()).json();
        assertThat(counted.get(0).get("available_count").asInt()).isEqualTo(1);
        assertThat(counted.get(0).get("total_count").asInt()).isEqualTo(1);
        assertThat(r.client().get("/api/audit_events/?object_type=mdm.location&object_id=" + location.id(), r.admin())
                .json().get(0).get("details").get("count_delta").asInt()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void otaEnrollmentsCrudAndProfiles(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        TestPki apple = TestPki.create("Apple push test CA " + kind);
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        KeyAndChain push = apple.issueDevice("APSP:" + topic, null, null);
        PushCertificate pc = r.store().pushCertificates().create("ota-push-" + kind, null,
                new PushCertificateRepository.Material(topic, Pem.certificate(push.certificate()),
                        push.privateKey().getEncoded(), push.certificate().getNotBefore().toInstant(),
                        push.certificate().getNotAfter().toInstant()));
        String base = "/api/mdm/ota_enrollments/";
        var missing = r.client().post(base, r.admin(), "{\"name\": \"no push\"}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().has("push_certificate")).isTrue();
        assertThat(r.client().post(base, r.admin(), "{\"name\": \"x\", \"push_certificate\": 999999}").json()
                .has("push_certificate")).isTrue();
        var created = r.client().post(base, r.admin(), "{\"name\": \"Laptops " + kind + "\", \"push_certificate\": "
                + pc.id() + ", \"enrollment_secret\": {\"quota\": 10, \"serial_numbers\": [\"C02ABC\"]}}");
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("push_certificate").asLong()).isEqualTo(pc.id());
        assertThat(created.json().get("enrollment_secret").get("quota").asInt()).isEqualTo(10);
        assertThat(created.json().get("enrollment_secret").get("secret").asText()).isNotBlank();
        assertThat(r.client().get(base + "?name=Laptops%20" + kind, r.admin()).json()).hasSize(1);
        var updated = r.client().put(base + id + "/", r.admin(), "{\"name\": \"Laptops " + kind
                + "\", \"display_name\": \"Company laptops\", \"push_certificate\": " + pc.id() + "}");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(updated.json().get("display_name").asText()).isEqualTo("Company laptops");

        var profile = r.client().get(base + id + "/mdm_profile/", r.admin());
        assertThat(profile.status()).as(new String(profile.raw().body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(profile.header("Content-Type")).startsWith("application/x-apple-aspen-config");
        assertThat(profile.raw().body()[0]).isEqualTo((byte) 0x30);
        assertThat(new String(profile.raw().body(), StandardCharsets.ISO_8859_1)).contains(topic)
                .contains("com.apple.mdm");
        var phase1 = r.client().get(base + id + "/profile/", r.admin());
        assertThat(phase1.status()).isEqualTo(200);
        assertThat(new String(phase1.raw().body(), StandardCharsets.ISO_8859_1))
                .contains("https://mdm.orchard.test/public/mdm/ota_enroll/").contains("Profile Service");

        assertThat(r.client().delete(base + id + "/", r.admin()).status()).isEqualTo(204);
        assertThat(r.client().get(base + id + "/", r.admin()).status()).isEqualTo(404);
        JsonNode events = r.client().get("/api/audit_events/?object_type=mdm.otaenrollment&object_id=" + id, r.admin())
                .json();
        assertThat(events).extracting(e -> e.get("action").asText())
                .containsExactly("deleted", "mdm_profile_downloaded", "updated", "created");
        assertThat(events.toString()).doesNotContain(created.json().get("enrollment_secret").get("secret").asText());
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void blueprintsAndEscrowConfigurationsCrud(DatabaseKind kind) {
        Running r = server(kind);
        var fv = r.client().post("/api/mdm/filevault_configs/", r.admin(), "{\"name\": \"FV " + kind
                + "\", \"escrow_location_display_name\": \"Orchard\", \"prk_rotation_interval_days\": 90,"
                + " \"prk_reveal_rotation_delay\": 60}");
        assertThat(fv.status()).as(String.valueOf(fv.json())).isEqualTo(201);
        assertThat(fv.json().get("bypass_attempts").asInt()).isEqualTo(-1);
        assertThat(r.client().post("/api/mdm/filevault_configs/", r.admin(), "{\"name\": \"bad\","
                + " \"escrow_location_display_name\": \"x\", \"prk_reveal_rotation_delay\": 3}").json()
                .has("prk_reveal_rotation_delay")).isTrue();
        var weak = r.client().post("/api/mdm/recovery_password_configs/", r.admin(), "{\"name\": \"RP\","
                + " \"dynamic_password\": false, \"static_password\": \"short\"}");
        assertThat(weak.json().has("static_password")).isTrue();
        var rp = r.client().post("/api/mdm/recovery_password_configs/", r.admin(), "{\"name\": \"RP " + kind
                + "\", \"dynamic_password\": false, \"static_password\": \"Sup3rS3cret!\"}");
        assertThat(rp.status()).as(String.valueOf(rp.json())).isEqualTo(201);
        assertThat(rp.json().has("static_password")).isFalse();
        var bp = r.client().post("/api/mdm/blueprints/", r.admin(), "{\"name\": \"BP " + kind
                + "\", \"collect_apps\": 2, \"filevault_config\": " + fv.json().get("id") + ","
                + " \"recovery_password_config\": " + rp.json().get("id") + "}");
        assertThat(bp.status()).as(String.valueOf(bp.json())).isEqualTo(201);
        assertThat(bp.json().get("collect_apps").asInt()).isEqualTo(2);
        assertThat(bp.json().get("inventory_interval").asInt()).isEqualTo(86400);
        assertThat(r.client().post("/api/mdm/blueprints/", r.admin(), "{\"name\": \"x\", \"collect_apps\": 3}")
                .json().has("collect_apps")).isTrue();
        var inUse = r.client().delete("/api/mdm/filevault_configs/" + fv.json().get("id") + "/", r.admin());
        assertThat(inUse.status()).isEqualTo(400);
        assertThat(r.client().delete("/api/mdm/blueprints/" + bp.json().get("id") + "/", r.admin()).status())
                .isEqualTo(204);
        assertThat(r.client().delete("/api/mdm/filevault_configs/" + fv.json().get("id") + "/", r.admin()).status())
                .isEqualTo(204);
        JsonNode audit = r.client().get("/api/audit_events/?object_type=mdm.recoverypasswordconfig", r.admin()).json();
        assertThat(audit).isNotEmpty();
        assertThat(audit.toString()).doesNotContain("Sup3rS3cret!");
    }

    static byte[] serverToken(java.security.cert.X509Certificate recipient) throws Exception {
        String json = "{\"consumer_key\":\"CK_onboard\",\"consumer_secret\":\"CS_onboard\",\"access_token\":"
                + "\"AT_onboard\",\"access_secret\":\"AS_onboard\",\"access_token_expiry\":\"2030-01-01T00:00:00Z\"}";
        String message = "Content-Type: text/plain;charset=UTF-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n"
                + "-----BEGIN MESSAGE-----\n" + json + "\n-----END MESSAGE-----\n";
        var generator = new org.bouncycastle.cms.CMSEnvelopedDataGenerator();
        generator.addRecipientInfoGenerator(new org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator(recipient));
        return generator.generate(new org.bouncycastle.cms.CMSProcessableByteArray(message.getBytes(StandardCharsets.UTF_8)),
                new org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder(org.bouncycastle.cms.CMSAlgorithm.AES256_CBC)
                        .build()).getEncoded();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void adeServerTokenOnboarding(DatabaseKind kind) throws Exception {
        Running r = server(kind);
        var created = r.client().post("/api/mdm/dep/tokens/", r.admin(), null);
        assertThat(created.status()).isEqualTo(201);
        long id = created.json().get("id").asLong();
        assertThat(created.json().get("virtual_server").isNull()).isTrue();
        var pem = r.client().get("/api/mdm/dep/tokens/" + id + "/public_key/", r.admin());
        assertThat(pem.status()).isEqualTo(200);
        var certificate = dev.orchardmdm.crypto.keys.Certificates.parse(pem.raw().body());
        assertThat(new String(pem.raw().body(), StandardCharsets.US_ASCII)).doesNotContain("PRIVATE KEY");

        TestPki other = TestPki.create("not the token key");
        var foreign = r.client().sendRaw("PUT", "/api/mdm/dep/tokens/" + id + "/", "Token " + r.admin(),
                serverToken(other.issueDevice("other", null, null).certificate()), "application/pkcs7-mime");
        assertThat(foreign.status()).isEqualTo(400);
        assertThat(foreign.json().has("server_token")).isTrue();

        var uploaded = r.client().sendRaw("PUT", "/api/mdm/dep/tokens/" + id + "/", "Token " + r.admin(),
                serverToken(certificate), "application/pkcs7-mime");
        assertThat(uploaded.status()).as(String.valueOf(uploaded.json())).isEqualTo(200);
        assertThat(uploaded.json().get("consumer_key").asText()).isEqualTo("CK_onboard");
        assertThat(uploaded.json().get("virtual_server").get("uuid").asText()).isEqualTo(ONBOARDED_UUID.toString());
        assertThat(uploaded.json().toString()).doesNotContain("CS_onboard").doesNotContain("AS_onboard");
        assertThat(r.store().dep().tokenCredentials(id).orElseThrow().accessSecret()).isEqualTo("AS_onboard");
        assertThat(APPLE_PATHS).contains("GET /account");
        JsonNode servers = r.client().get("/api/mdm/dep/virtual_servers/?name=Orchard%20onboarded", r.admin()).json();
        assertThat(servers).hasSize(1);
        JsonNode events = r.client().get("/api/audit_events/?object_type=mdm.deptoken&object_id=" + id, r.admin()).json();
        assertThat(events).extracting(e -> e.get("action").asText()).containsExactly("server_token_uploaded", "created");
        assertThat(events.toString()).doesNotContain("CS_onboard").doesNotContain("AS_onboard");
    }

    static String vppToken(String token) {
        return java.util.Base64.getEncoder().encodeToString(("{\"token\": \"" + token + "\", \"expDate\":"
                + " \"2030-01-01T00:00:00+0000\", \"orgName\": \"Orchard Org\"}").getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void appsBooksLocationOnboarding(DatabaseKind kind) {
        Running r = server(kind);
        String token = vppToken("free-" + kind);
        var bad = r.client().sendRaw("POST", "/api/mdm/locations/", "Token " + r.admin(),
                "not a token".getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().has("server_token")).isTrue();
        var created = r.client().sendRaw("POST", "/api/mdm/locations/", "Token " + r.admin(),
                token.getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
        JsonNode location = created.json();
        assertThat(location.get("name").asText()).isEqualTo("Yolo Fomo 2022");
        assertThat(location.get("organization_name").asText()).isEqualTo("Orchard Org");
        assertThat(location.get("server_token_expiration_date").asText()).isEqualTo("2030-01-01T00:00:00");
        assertThat(location.toString()).doesNotContain("free-" + kind);
        assertThat(APPLE_PATHS).contains("POST /mdm/v2/client/config");
        var taken = r.client().sendRaw("POST", "/api/mdm/locations/", "Token " + r.admin(),
                vppToken(TAKEN).getBytes(StandardCharsets.UTF_8), "application/octet-stream");
        assertThat(taken.status()).isEqualTo(400);
        assertThat(taken.json().get("server_token").get(0).asText()).contains("another MDM").contains("Zentral");
    }
}
