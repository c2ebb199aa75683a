package dev.orchardmdm.server.api.mdm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.server.api.ApiFixture;
import dev.orchardmdm.server.api.ApiTestClient;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.server.api.SpecAssert;
import dev.orchardmdm.server.engine.CommandService;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DeviceRoutesTest {

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    static final Map<DatabaseKind, ApiFixture> SERVERS = new EnumMap<>(DatabaseKind.class);
    static final List<String> WOKEN = new CopyOnWriteArrayList<>();

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(ApiFixture::close);
    }

    static ApiFixture server(DatabaseKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> ApiFixture.start(DBS.store(k), (store, audit) -> List.of(
                new DeviceRoutes(store.devices(), store.commands(), new CommandService(store),
                        (id, reason) -> WOKEN.add(id + ":" + reason),
                        DeviceRoutes.schemaValidator(new SchemaValidator(SchemaCatalog.bundled())),
                        audit, store.blueprints(), java.time.Clock.systemUTC()))));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void replaysTheSpecsDeviceRequests(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        ApiTestClient c = f.client();
        String ADMIN = f.admin();
        Store store = f.store();
        EnrolledDevice spec = DeviceSeeds.specDevice(store);
        EnrolledDevice silicon = DeviceSeeds.device(store, "macOS", true);
        long id = spec.id();
        Map<String, Object> ids = Map.of("id", id, "blueprint", spec.blueprintId());

        JsonNode bySerial = c.get("/api/mdm/devices/?serial_number=012345678910", ADMIN).json();
        assertThat(bySerial).hasSize(1);
        SpecAssert.matches(bySerial.get(0), "device", ids);
        JsonNode byUdid = c.get("/api/mdm/devices/?udid=" + DeviceSeeds.SPEC_UDID, ADMIN).json();
        SpecAssert.matches(byUdid.get(0), "device", ids);
        assertThat(c.get("/api/mdm/devices/?udid=nope", ADMIN).json()).isEmpty();
        JsonNode page = c.get("/api/mdm/devices/?limit=1", ADMIN).json();
        assertThat(page.get("count").asLong())
                .isEqualTo(store.devices().count(dev.orchardmdm.store.DeviceRepository.DeviceQuery.all(0, 0)));
        assertThat(page.get("results")).hasSize(1);

        var blocked = c.post("/api/mdm/devices/" + id + "/block/", ADMIN, null);
        assertThat(blocked.status()).isEqualTo(200);
        SpecAssert.matches(blocked.json(), "device_blocked", ids);
        assertThat(WOKEN).contains(id + ":block");
        assertThat(c.post("/api/mdm/devices/" + id + "/block/", ADMIN, null).json().has("id")).isTrue();
        var unblocked = c.post("/api/mdm/devices/" + id + "/unblock/", ADMIN, null);
        assertThat(unblocked.status()).isEqualTo(200);
        SpecAssert.matches(unblocked.json(), "device", ids);
        assertThat(c.post("/api/mdm/devices/" + id + "/unblock/", ADMIN, null).status()).isEqualTo(400);

        var erase = c.post("/api/mdm/devices/" + silicon.id() + "/erase/", ADMIN, "{}");
        assertThat(erase.status()).as(String.valueOf(erase.json())).isEqualTo(201);
        SpecAssert.matches(erase.json(), "erase_command", Map.of("id", erase.json().get("id").asLong(),
                "uuid", erase.json().get("uuid").asText(), "enrolled_device", silicon.id()));
        assertThat(store.pushOutbox().list(1000)).anyMatch(p -> p.enrolledDeviceId() == silicon.id());

        var lock = c.post("/api/mdm/devices/" + id + "/lock/", ADMIN,
                "{\"pin\": \"012345\", \"message\": \"This device is locked!\", \"phone_number\": \"+49000000000\"}");
        assertThat(lock.status()).as(String.valueOf(lock.json())).isEqualTo(201);
        UUID lockUuid = UUID.fromString(lock.json().get("uuid").asText());
        SpecAssert.matches(lock.json(), "lock_command", Map.of("id", lock.json().get("id").asLong(),
                "uuid", lockUuid.toString(), "enrolled_device", id));
        var queued = store.commands().findByUuid(lockUuid).orElseThrow();
        String plist = new String(queued.commandPlist(), StandardCharsets.UTF_8);
        assertThat(plist).contains("This device is locked!").contains("+49000000000").doesNotContain("012345");
        assertThat(store.commands().secretArguments(lockUuid)).containsEntry("PIN", "012345");

        var prk = c.get("/api/mdm/devices/" + id + "/filevault_prk/", ADMIN);
        SpecAssert.matches(prk.json(), "filevault_prk", Map.of("id", id));
        var recovery = c.get("/api/mdm/devices/" + id + "/recovery_password/", ADMIN);
        SpecAssert.matches(recovery.json(), "recovery_password", Map.of("id", id));
        JsonNode viewed = c.get("/api/audit_events/?object_type=mdm.enrolleddevice&object_id=" + id, ADMIN).json();
        assertThat(viewed).extracting(e -> e.get("action").asText())
                .contains("filevault_prk_viewed", "recovery_password_viewed", "blocked", "unblocked", "command_queued");
        assertThat(viewed.toString()).doesNotContain("0000-0000").doesNotContain("000000000000").doesNotContain("012345\"");

        JsonNode commands = c.get("/api/mdm/devices/commands/?enrolled_device=" + id, ADMIN).json();
        assertThat(commands).extracting(n -> n.get("uuid").asText()).containsExactly(lockUuid.toString());
        assertThat(c.get("/api/mdm/devices/commands/?name=EraseDevice&enrolled_device=" + silicon.id(), ADMIN)
                .json()).extracting(n -> n.get("enrolled_device").asLong()).containsExactly(silicon.id());
        assertThat(c.get("/api/mdm/devices/commands/?name=DeviceLock&enrolled_device=" + silicon.id(), ADMIN).json())
                .isEmpty();
        SpecAssert.matches(c.get("/api/mdm/devices/commands/" + lockUuid + "/", ADMIN).json(), "lock_command",
                Map.of("id", lock.json().get("id").asLong(), "uuid", lockUuid.toString(), "enrolled_device", id));
        assertThat(c.delete("/api/mdm/devices/commands/" + lockUuid + "/", ADMIN).status()).isEqualTo(204);
        assertThat(c.get("/api/mdm/devices/commands/" + lockUuid + "/", ADMIN).status()).isEqualTo(404);
        assertThat(store.commands().findByUuid(lockUuid)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eraseAndLockFollowThePlatformRules(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        ApiTestClient c = f.client();
        String ADMIN = f.admin();
        EnrolledDevice intel = DeviceSeeds.device(f.store(), "macOS", false);
        EnrolledDevice silicon = DeviceSeeds.device(f.store(), "macOS", true);
        EnrolledDevice phone = DeviceSeeds.device(f.store(), "iOS", false);
        String erase = "/erase/";
        assertRefused(c.post(path(intel, erase), ADMIN, "{}"), "pin");
        assertRefused(c.post(path(intel, erase), ADMIN, "{\"pin\": \"12345\"}"), "pin");
        assertRefused(c.post(path(intel, erase), ADMIN, "{\"pin\": \"12345a\"}"), "pin");
        assertRefused(c.post(path(intel, erase), ADMIN, "{\"pin\": \"123456\", \"preserve_data_plan\": true}"),
                "preserve_data_plan");
        assertThat(c.post(path(intel, erase), ADMIN, "{\"pin\": \"123456\"}").status()).isEqualTo(201);
        assertRefused(c.post(path(silicon, erase), ADMIN, "{\"pin\": \"123456\"}"), "pin");
        assertRefused(c.post(path(phone, erase), ADMIN, "{}"), "disallow_proximity_setup");
        assertRefused(c.post(path(phone, erase), ADMIN, "{\"disallow_proximity_setup\": true}"), "preserve_data_plan");
        assertRefused(c.post(path(phone, erase), ADMIN,
                "{\"disallow_proximity_setup\": true, \"preserve_data_plan\": \"yes\"}"), "preserve_data_plan");
        assertRefused(c.post(path(phone, erase), ADMIN,
                "{\"disallow_proximity_setup\": true, \"preserve_data_plan\": false, \"pin\": \"123456\"}"), "pin");
        var phoneErase = c.post(path(phone, erase), ADMIN,
                "{\"disallow_proximity_setup\": true, \"preserve_data_plan\": false}");
        assertThat(phoneErase.status()).isEqualTo(201);
        String plist = new String(f.store().commands().findByUuid(UUID.fromString(phoneErase.json().get("uuid")
                .asText())).orElseThrow().commandPlist(), StandardCharsets.UTF_8);
        assertThat(plist).contains("<key>DisallowProximitySetup</key>").contains("<key>PreserveDataPlan</key>");

        assertRefused(c.post(path(phone, "/lock/"), ADMIN, "{\"pin\": \"123456\"}"), "pin");
        assertRefused(c.post(path(intel, "/lock/"), ADMIN, "{\"message\": \"hi\"}"), "pin");
        assertRefused(c.post(path(intel, "/lock/"), ADMIN, "{\"pin\": \"abcdef\"}"), "pin");
        assertRefused(c.post(path(intel, "/lock/"), ADMIN, "{\"pin\": \"123456\", \"message\": 3}"), "message");
        assertThat(c.post(path(phone, "/lock/"), ADMIN, "{\"message\": \"Lost\"}").status()).isEqualTo(201);

        assertThat(c.post("/api/mdm/devices/abc/erase/", ADMIN, "{}").status()).isEqualTo(404);
        assertThat(c.post("/api/mdm/devices/99999999/lock/", ADMIN, "{}").status()).isEqualTo(404);
        assertThat(c.get("/api/mdm/devices/commands/not-a-uuid/", ADMIN).status()).isEqualTo(404);
        assertThat(c.get("/api/mdm/devices/commands/?enrolled_device=x", ADMIN).json().has("enrolled_device")).isTrue();

        assertThat(c.post(path(phone, "/block/"), ADMIN, null).status()).isEqualTo(200);
        assertRefused(c.post(path(phone, "/lock/"), ADMIN, "{}"), "id");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void customCommandsAreParsedValidatedAndQueued(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        ApiTestClient c = f.client();
        String ADMIN = f.admin();
        EnrolledDevice mac = DeviceSeeds.device(f.store(), "macOS", true);
        String p = path(mac, "/send_custom_command/");
        String good = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><plist version=\"1.0\"><dict>"
                + "<key>RequestType</key><string>RestartDevice</string><key>NotifyUser</key><true/></dict></plist>";
        var queued = c.post(p, ADMIN, "{\"command\": " + json(good) + "}");
        assertThat(queued.status()).as(String.valueOf(queued.json())).isEqualTo(201);
        assertThat(queued.json().get("name").asText()).isEqualTo("RestartDevice");
        String stored = new String(f.store().commands().findByUuid(UUID.fromString(queued.json().get("uuid").asText()))
                .orElseThrow().commandPlist(), StandardCharsets.UTF_8);
        assertThat(stored).contains("<key>NotifyUser</key>").contains(queued.json().get("uuid").asText().toUpperCase());

        assertRefused(c.post(p, ADMIN, "{}"), "command");
        assertRefused(c.post(p, ADMIN, "{\"command\": \"not a plist\"}"), "command");
        assertRefused(c.post(p, ADMIN, "{\"command\": " + json(good.replace("RequestType", "Other")) + "}"), "command");
        assertRefused(c.post(p, ADMIN, "{\"command\": " + json(good.replace("RestartDevice", "NoSuchCommand")) + "}"),
                "command");
        assertRefused(c.post(p, ADMIN, "{\"command\": " + json(good.replace("<true/>", "<string>yes</string>")) + "}"),
                "command");
        String entity = "<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY x \"boom\">]><plist version=\"1.0\"><dict>"
                + "<key>RequestType</key><string>&x;</string></dict></plist>";
        assertRefused(c.post(p, ADMIN, "{\"command\": " + json(entity) + "}"), "command");
        assertThat(f.store().commands().count(dev.orchardmdm.store.CommandQueue.Query.forDevice(mac.id(), 0, 0)))
                .isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aSentCommandCannotBeDeleted(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        String ADMIN = f.admin();
        EnrolledDevice mac = DeviceSeeds.device(f.store(), "macOS", true);
        var queued = f.client().post(path(mac, "/erase/"), ADMIN, "{}");
        f.store().commands().next(mac.enrollmentId(), false).orElseThrow();
        var refused = f.client().delete("/api/mdm/devices/commands/" + queued.json().get("uuid").asText() + "/", ADMIN);
        assertRefused(refused, "uuid");
        JsonNode sent = f.client().get("/api/mdm/devices/commands/" + queued.json().get("uuid").asText() + "/", ADMIN)
                .json();
        assertThat(sent.get("time").asText()).matches("\\d{4}-.*");
    }

    static String path(EnrolledDevice d, String action) {
        return "/api/mdm/devices/" + d.id() + action;
    }

    static String json(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    static void assertRefused(ApiTestClient.Reply reply, String field) {
        assertThat(reply.status()).as(String.valueOf(reply.json())).isEqualTo(400);
        assertThat(reply.json().has(field)).as(String.valueOf(reply.json())).isTrue();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRecoveryPasswordRevealSchedulesItsRotation(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        Store store = f.store();
        var config = store.blueprints().createRecoveryPasswordConfig(new dev.orchardmdm.store.RecoveryPasswordConfig.Spec(
                "rotate-" + UUID.randomUUID(), true, null, 30, 60, false));
        var blueprint = store.blueprints().createBlueprint(new dev.orchardmdm.store.Blueprint.Spec(
                "bp-" + UUID.randomUUID(), 86400, "NO", "NO", "NO", true, null, config.id(), null));
        EnrolledDevice mac = DeviceSeeds.device(store, "macOS", true);
        EnrolledDevice intel = DeviceSeeds.device(store, "macOS", false);
        for (EnrolledDevice d : List.of(mac, intel)) {
            store.devices().setBlueprint(d.id(), blueprint.id());
            store.devices().storeSecret(d.id(), dev.orchardmdm.store.DeviceSecret.RECOVERY_PASSWORD, "Old-Passw0rd");
        }
        java.time.Instant before = java.time.Instant.now();
        var revealed = f.client().get(path(mac, "/recovery_password/"), f.admin());
        assertThat(revealed.json().get("recovery_password").asText()).isEqualTo("Old-Passw0rd");
        JsonNode queued = f.client().get("/api/mdm/devices/commands/?enrolled_device=" + mac.id(), f.admin()).json();
        assertThat(queued).hasSize(1);
        assertThat(queued.get(0).get("name").asText()).isEqualTo("SetRecoveryLock");
        java.time.Instant notBefore = dev.orchardmdm.server.api.ApiTimestamps.parse(queued.get(0).get("not_before").asText());
        assertThat(notBefore).isBetween(before.plusSeconds(3590), before.plusSeconds(3700));
        UUID uuid = UUID.fromString(queued.get(0).get("uuid").asText());
        assertThat(new String(store.commands().findByUuid(uuid).orElseThrow().commandPlist(), StandardCharsets.UTF_8))
                .doesNotContain("Old-Passw0rd").doesNotContain("<key>NewPassword</key>");
        Map<String, String> secrets = store.commands().secretArguments(uuid);
        assertThat(secrets.get("CurrentPassword")).isEqualTo("Old-Passw0rd");
        assertThat(secrets.get("NewPassword")).hasSize(16).isNotEqualTo("Old-Passw0rd");
        // an Intel Mac's firmware password is rotated only when the configuration says so
        f.client().get(path(intel, "/recovery_password/"), f.admin());
        assertThat(f.client().get("/api/mdm/devices/commands/?enrolled_device=" + intel.id(), f.admin()).json()).isEmpty();
        JsonNode audit = f.client().get("/api/audit_events/?object_type=mdm.enrolleddevice&object_id=" + mac.id(),
                f.admin()).json();
        assertThat(audit.get(0).get("details").get("rotation_command").asText()).isEqualTo(uuid.toString());
        assertThat(audit.toString()).doesNotContain("Old-Passw0rd").doesNotContain(secrets.get("NewPassword"));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void aRawResultWithASecretNeedsTheSecretPermissionAndIsAudited(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        ApiTestClient c = f.client();
        Store store = f.store();
        EnrolledDevice phone = DeviceSeeds.device(store, "iOS", false);
        UUID uuid = UUID.randomUUID();
        String code = "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GG";
        store.commands().enqueue(new dev.orchardmdm.store.NewCommand(uuid, dev.orchardmdm.store.CommandTarget.device(
                phone), "ActivationLockBypassCode", null, null, null, dev.orchardmdm.protocol.Commands
                .activationLockBypassCode().toPlist(), Map.of(), null));
        store.commands().next(phone.enrollmentId(), false).orElseThrow();
        store.commands().recordResult(phone.enrollmentId(), uuid, dev.orchardmdm.store.CommandStatus.ACKNOWLEDGED,
                dev.orchardmdm.protocol.PlistDict.of("UDID", phone.udid(), "Status", "Acknowledged", "CommandUUID",
                        uuid.toString(), "ActivationLockBypassCode", code).toXml(), null);
        String viewer = store.apiTokens().create("viewer-" + kind, java.util.Set.of(DeviceRoutes.VIEW_COMMAND), null)
                .secret();
        String revealer = store.apiTokens().create("revealer-" + kind, java.util.Set.of(DeviceRoutes.VIEW_COMMAND,
                DeviceRoutes.VIEW_RESULT_SECRETS), null).secret();
        String detail = "/api/mdm/devices/commands/" + uuid + "/";

        // without the secret permission: the result is redacted, in the detail and in the list
        JsonNode redacted = c.get(detail, viewer).json();
        assertThat(redacted.get("result_redacted").asBoolean()).isTrue();
        String redactedPlist = new String(java.util.Base64.getDecoder().decode(redacted.get("result").asText()),
                StandardCharsets.UTF_8);
        assertThat(redactedPlist).contains("ActivationLockBypassCode").doesNotContain(code);
        assertThat(c.get("/api/mdm/devices/commands/?enrolled_device=" + phone.id(), revealer).json().toString())
                .doesNotContain(java.util.Base64.getEncoder().encodeToString(code.getBytes(StandardCharsets.UTF_8)))
                .contains("result_redacted");
        assertThat(store.auditLog().list(DeviceRoutes.COMMAND_TYPE, uuid.toString(), 10, 0)).isEmpty();

        // with it: the whole result, and an audit event naming the command (never the code)
        JsonNode whole = c.get(detail, revealer).json();
        assertThat(whole.has("result_redacted")).isFalse();
        assertThat(new String(java.util.Base64.getDecoder().decode(whole.get("result").asText()),
                StandardCharsets.UTF_8)).contains(code);
        var events = store.auditLog().list(DeviceRoutes.COMMAND_TYPE, uuid.toString(), 10, 0);
        assertThat(events).extracting(dev.orchardmdm.store.AuditEvent::action)
                .containsExactly("command_result_secrets_viewed");
        assertThat(events.get(0).actor()).contains("revealer-" + kind);
        assertThat(events.get(0).detail()).doesNotContain(code);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void eraseAndLockOfADeviceWithoutAPlatformAreRefusedWith400(DatabaseKind kind) throws Exception {
        ApiFixture f = server(kind);
        ApiTestClient c = f.client();
        EnrolledDevice unknown = DeviceSeeds.device(f.store(), null, false);
        for (String body : List.of("{}", "{\"pin\": \"123456\"}", "{\"disallow_proximity_setup\": true,"
                + " \"preserve_data_plan\": false}")) {
            var erase = c.post(path(unknown, "/erase/"), f.admin(), body);
            assertThat(erase.status()).as(body + " -> " + erase.json()).isEqualTo(400);
            assertThat(erase.json().toString()).contains("platform");
        }
        assertThat(f.store().commands().pendingCount(unknown.enrollmentId())).isZero();
    }
}
