package dev.orchardmdm.protocol.schema;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CheckinResponses;
import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/** Data-driven conformance: every command and check-in message of Apple's schema, and every typed builder. */
class SchemaConformanceTest {
    private static final SchemaCatalog CATALOG = SchemaCatalog.bundled();
    private static final SchemaValidator VALIDATOR = new SchemaValidator(CATALOG);

    private static Path bundledSchemaDir() {
        return Path.of("src/main/resources/dev/orchardmdm/protocol/schema/apple");
    }

    @Test
    void catalogHoldsAll66CommandFiles() throws IOException {
        try (Stream<Path> files = Files.list(bundledSchemaDir().resolve("mdm/commands"))) {
            assertThat(files.filter(p -> p.toString().endsWith(".yaml")).count()).isEqualTo(66);
        }
        assertThat(CATALOG.commands()).hasSize(66);
        assertThat(CATALOG.commands()).extracting(SchemaDocument::file).doesNotHaveDuplicates();
        assertThat(CATALOG.byKind(SchemaDocument.Kind.CHECKIN)).hasSize(8);
    }

    @Test
    void indexListsEveryBundledYamlFile() throws IOException {
        Path root = bundledSchemaDir();
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(root)) {
            onDisk = files.filter(p -> p.toString().endsWith(".yaml"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
        }
        List<String> index = Files.readAllLines(root.resolve("index.txt")).stream().filter(l -> !l.isBlank())
                .sorted().toList();
        assertThat(index).isEqualTo(onDisk);
        assertThat(CATALOG.all()).hasSize(onDisk.size());
        assertThat(root.resolve("LICENSE.txt")).exists();
    }

    @TestFactory
    Stream<DynamicTest> everyCommandBuiltByTheGenericBuilderValidates() {
        return CATALOG.commands().stream().flatMap(doc -> Stream.of(true, false).map(all -> DynamicTest.dynamicTest(
                doc.name() + (all ? " (all keys)" : " (required keys)"), () -> {
                    PlistDict dict = SchemaValues.dict(doc.payloadKeys(), all).toBuilder()
                            .put("RequestType", doc.name()).build();
                    Command cmd = Commands.custom(dict);
                    ValidationResult r = VALIDATOR.validate(cmd);
                    assertThat(r.errors()).as(doc.file()).isEmpty();
                    assertThat(r.warnings()).as(doc.file()).isEmpty();
                    // what goes on the wire validates the same
                    Command back = Command.parse(cmd.toPlist());
                    assertThat(back).isEqualTo(cmd);
                    assertThat(VALIDATOR.validate(back).isValid()).isTrue();
                })));
    }

    @TestFactory
    Stream<DynamicTest> everyCheckinMessageValidatesAndDecodes() {
        return CATALOG.byKind(SchemaDocument.Kind.CHECKIN).values().stream().map(doc -> DynamicTest.dynamicTest(
                doc.name(), () -> {
                    PlistDict generated = SchemaValues.dict(doc.payloadKeys(), true);
                    PlistDict msg = generated.toBuilder().put("MessageType", doc.name())
                            // the schema of the bootstrap-token messages omits the identity devices always send
                            .put("UDID", generated.has("UDID") ? generated.get("UDID") : "UDID-1").build();
                    ValidationResult r = VALIDATOR.validateCheckin(msg);
                    assertThat(r.errors()).as(doc.file()).isEmpty();
                    assertThat(r.warnings()).as(doc.file()).isEmpty();
                    CheckinMessage m = CheckinMessage.parse(msg.toXml());
                    assertThat(m.messageType()).isEqualTo(doc.name());
                    assertThat(m.getClass().getSimpleName()).isEqualTo(doc.name());
                    assertThat(m.raw()).isEqualTo(msg);
                    assertEveryKeyIsTyped(doc, m);
                }));
    }

    /** Every key of the check-in schema is decoded: identity into id(), the others into a record component. */
    private static void assertEveryKeyIsTyped(SchemaDocument doc, CheckinMessage m) throws Exception {
        Set<String> identity = Set.of("UDID", "EnrollmentID", "UserID", "EnrollmentUserID", "MessageType");
        Map<String, Object> components = new java.util.HashMap<>();
        for (java.lang.reflect.RecordComponent rc : m.getClass().getRecordComponents()) {
            components.put(rc.getName(), rc.getAccessor().invoke(m));
        }
        for (SchemaKey k : doc.payloadKeys()) {
            if (identity.contains(k.name())) {
                continue;
            }
            String component = lowerCamel(k.name());
            assertThat(components).as(doc.name() + "." + k.name()).containsKey(component);
            Object value = components.get(component);
            assertThat(value instanceof Optional<?> o ? o.isPresent() : value != null)
                    .as(doc.name() + "." + k.name()).isTrue();
        }
        assertThat(m.id().deviceId()).isNotEmpty();
    }

    private static String lowerCamel(String key) {
        int upper = 0;
        while (upper < key.length() && Character.isUpperCase(key.charAt(upper))) {
            upper++;
        }
        if (upper == key.length()) {
            return key.toLowerCase(java.util.Locale.ROOT);
        }
        int n = Math.max(1, upper - 1);
        return key.substring(0, n).toLowerCase(java.util.Locale.ROOT) + key.substring(n);
    }

    @Test
    void checkinWithOnlyTheIdentityActuallySentValidates() {
        PlistDict tokenUpdate = PlistDict.of("MessageType", "TokenUpdate", "Topic", "t", "UDID", "U",
                "Token", new byte[] {1}, "PushMagic", "m");
        assertThat(VALIDATOR.validateCheckin(tokenUpdate).isValid()).isTrue();
        assertThat(VALIDATOR.validateCheckin(tokenUpdate.without("PushMagic")).errors())
                .extracting(ValidationResult.Issue::path).containsExactly("PushMagic");
        assertThat(VALIDATOR.validateCheckin(PlistDict.of("MessageType", "Bogus")).isValid()).isFalse();
    }

    static List<Command> typedBuilderOutputs() {
        byte[] der = {0x30, 0x03, 0x02, 0x01, 0x01};
        return List.of(
                Commands.deviceInformation(),
                Commands.securityInfo(),
                Commands.profileList(true),
                Commands.certificateList(false),
                Commands.installedApplicationList().managedAppsOnly(true).identifiers(List.of("com.example.app"))
                        .items(List.of("Identifier", "ShortVersion", "Name")).build(),
                Commands.managedApplicationList(List.of("com.example.app")),
                Commands.installProfile(new byte[] {1, 2}),
                Commands.removeProfile("com.example.profile"),
                Commands.installApplication(361309726L).purchaseMethod(1).managementFlags(1).installAsManaged(true)
                        .takeManagement().configuration(PlistDict.of("ServerURL", "https://x"))
                        .attributes(PlistDict.of("Removable", false)).build(),
                Commands.installApplication("com.example.app").build(),
                Commands.installEnterpriseApplication("https://example.com/manifest.plist").installAsManaged(true)
                        .managementFlags(1).takeManagement().build(),
                Commands.installEnterpriseApplication(PlistDict.of("items", List.of())).build(),
                Commands.removeApplication("com.example.app"),
                Commands.installProvisioningProfile(new byte[] {3}),
                Commands.removeProvisioningProfile("A1B2"),
                Commands.deviceLock().message("Call IT").phoneNumber("+1 555").pin("123456").build(),
                Commands.eraseDevice().pin("123456").preserveDataPlan(true).disallowProximitySetup(true)
                        .obliterationBehavior(Commands.ObliterationBehavior.ObliterateWithWarning)
                        .returnToService(new CheckinResponses.ReturnToServiceConfig(true,
                                Optional.of(PlistData.of(new byte[] {1})), Optional.of(PlistData.of(new byte[] {2})),
                                Optional.empty())).build(),
                Commands.restartDevice(true),
                Commands.shutDownDevice(),
                Commands.clearPasscode(new byte[] {9}),
                Commands.enableLostMode(Optional.of("Lost"), Optional.of("+1 555"), Optional.of("Reward")),
                Commands.disableLostMode(),
                Commands.deviceLocation(),
                Commands.playLostModeSound(),
                Commands.setRecoveryLock(Optional.of("oldpassword"), "newpassword"),
                Commands.verifyRecoveryLock("password1"),
                Commands.setFirmwarePassword(Optional.empty(), "firmware1", Optional.of(false)),
                Commands.rotateFileVaultKey("ABCD-EFGH", der),
                Commands.setAutoAdminPassword("2A5E9B9A-0E4B-4F73-9D64-3C4A7B9A1F00", new byte[] {4}),
                Commands.accountConfiguration().skipPrimarySetupAccountCreation(true)
                        .setPrimarySetupAccountAsRegularUser(true).dontAutoPopulatePrimaryAccountInfo(false)
                        .lockPrimaryAccountInfo(true).primaryAccount("Alice", "alice")
                        .autoSetupAdmin("admin", "Admin", new byte[] {5}, true).build(),
                Commands.deviceConfigured(),
                Commands.declarativeManagement("{\"SyncTokens\":{}}".getBytes()),
                Commands.scheduleOSUpdate(List.of(Commands.OSUpdate.of("MSU_KEY", Commands.InstallAction.Default),
                        new Commands.OSUpdate(Optional.empty(), Optional.of("14.1"),
                                Commands.InstallAction.InstallLater, Optional.of(3), Optional.of("High")))),
                Commands.scheduleOSUpdateScan(true),
                Commands.availableOSUpdates(),
                Commands.osUpdateStatus(),
                Commands.settings(List.of(Commands.Setting.deviceName("Kiosk"), Commands.Setting.hostName("kiosk"),
                        Commands.Setting.timeZone("Europe/Paris"), Commands.Setting.enabled("Bluetooth", true),
                        Commands.Setting.enabled("DataRoaming", false),
                        Commands.Setting.enabled("PersonalHotspot", false),
                        Commands.Setting.enabled("VoiceRoaming", true),
                        Commands.Setting.enabled("DiagnosticSubmission", false),
                        Commands.Setting.enabled("AppAnalytics", false),
                        Commands.Setting.mdmOptions(PlistDict.of("ActivationLockAllowedWhileSupervised", true)),
                        Commands.Setting.organizationInfo(PlistDict.of("OrganizationName", "Acme")),
                        Commands.Setting.applicationConfiguration("com.example.app", PlistDict.of("k", "v")),
                        Commands.Setting.applicationAttributes("com.example.app", PlistDict.of("VPNUUID", "u")),
                        Commands.Setting.maximumResidentUsers(4), Commands.Setting.wallpaper(new byte[] {7}, 3),
                        Commands.Setting.softwareUpdateSettings(1), Commands.Setting.passcodeLockGracePeriod(300))),
                Commands.activationLockBypassCode(),
                Commands.userList(),
                Commands.deleteUser("alice", true),
                Commands.deleteAllUsers(false),
                Commands.logOutUser(),
                Commands.unlockUserAccount("alice"));
    }

    @TestFactory
    Stream<DynamicTest> everyTypedBuilderOutputValidates() {
        return typedBuilderOutputs().stream().map(cmd -> DynamicTest.dynamicTest(cmd.requestType(), () -> {
            ValidationResult r = VALIDATOR.validate(cmd);
            assertThat(r.errors()).as(cmd.requestType()).isEmpty();
            assertThat(r.warnings()).as(cmd.requestType()).isEmpty();
        }));
    }

    @Test
    void typedBuildersCoverEveryCommandTheIssueLists() {
        Set<String> built = typedBuilderOutputs().stream().map(Command::requestType)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(built).containsAll(List.of("DeviceInformation", "SecurityInfo", "ProfileList", "CertificateList",
                "InstalledApplicationList", "ManagedApplicationList", "InstallProfile", "RemoveProfile",
                "InstallApplication", "InstallEnterpriseApplication", "RemoveApplication",
                "InstallProvisioningProfile", "RemoveProvisioningProfile", "DeviceLock", "EraseDevice",
                "RestartDevice", "ShutDownDevice", "ClearPasscode", "EnableLostMode", "DisableLostMode",
                "DeviceLocation", "PlayLostModeSound", "SetRecoveryLock", "VerifyRecoveryLock",
                "SetFirmwarePassword", "RotateFileVaultKey", "SetAutoAdminPassword", "AccountConfiguration",
                "DeviceConfigured", "DeclarativeManagement", "ScheduleOSUpdate", "ScheduleOSUpdateScan",
                "AvailableOSUpdates", "OSUpdateStatus", "Settings", "ActivationLockBypassCode", "UserList",
                "DeleteUser", "LogOutUser", "UnlockUserAccount"));
        assertThat(built).allSatisfy(rt -> assertThat(CATALOG.command(rt)).as(rt).isPresent());
    }

    @Test
    void brokenCommandsAreReported() throws ProtocolException {
        assertThat(VALIDATOR.validate(Commands.custom("Frobnicate", PlistDict.empty())).errors())
                .singleElement().satisfies(i -> assertThat(i.message()).contains("unknown RequestType"));
        assertThat(VALIDATOR.validate(Commands.custom("RemoveProfile", PlistDict.empty())).errors())
                .extracting(ValidationResult.Issue::toString).containsExactly("Command.Identifier: missing required key");
        assertThat(VALIDATOR.validate(Commands.custom("DeviceLock", PlistDict.of("PIN", 123456))).errors())
                .extracting(ValidationResult.Issue::toString)
                .containsExactly("Command.PIN: expected <string>, found <integer>");
        assertThat(VALIDATOR.validate(Commands.custom("EraseDevice", PlistDict.of("ObliterationBehavior",
                "Sometimes"))).errors()).singleElement().satisfies(i -> {
                    assertThat(i.path()).isEqualTo("Command.ObliterationBehavior");
                    assertThat(i.message()).contains("not in [Default, DoNotObliterate");
                });
        assertThat(VALIDATOR.validate(Commands.custom("EraseDevice", PlistDict.of("ReturnToService",
                PlistDict.of("Enabled", "yes")))).errors()).extracting(ValidationResult.Issue::path)
                .containsExactly("Command.ReturnToService.Enabled");
        assertThat(VALIDATOR.validate(Commands.custom("Settings", PlistDict.of("Settings",
                List.of(PlistDict.of("Item", "Teleport"))))).errors()).singleElement()
                .satisfies(i -> assertThat(i.message()).startsWith("matches none of"));
        assertThat(VALIDATOR.validate(Commands.custom("Settings", PlistDict.of("Settings",
                List.of(PlistDict.of("Item", "PasscodeLockGracePeriod", "PasscodeLockGracePeriod", 42L)))))
                .isValid()).isFalse();
        ValidationResult unknownKey = VALIDATOR.validate(Commands.custom("DeviceLock",
                PlistDict.of("Message", "m", "FutureKey", true)));
        assertThat(unknownKey.isValid()).isTrue();
        assertThat(unknownKey.warnings()).extracting(ValidationResult.Issue::toString)
                .containsExactly("Command.FutureKey: unknown key");
        ValidationResult unknownQuery = VALIDATOR.validate(Commands.deviceInformation(List.of("UDID", "NewQuery")));
        assertThat(unknownQuery.isValid()).isTrue();
        assertThat(unknownQuery.warnings()).hasSize(1);
    }

    @Test
    void exposesPerKeyOsSupervisionAndEnrollmentRequirements() {
        SchemaDocument erase = CATALOG.command("EraseDevice").orElseThrow();
        assertThat(erase.key("PIN").orElseThrow().availableOn()).containsExactly("macOS");
        assertThat(erase.key("PreserveDataPlan").orElseThrow().availableOn()).containsExactly("iOS", "watchOS");
        assertThat(erase.requirements("iOS").orElseThrow().accessRights()).contains("AllowDeviceErase");
        assertThat(erase.requirements("iOS").orElseThrow().forbiddenForUserEnrollment()).isTrue();
        assertThat(erase.key("ReturnToService", "Enabled").orElseThrow().required()).isTrue();

        Command withPin = Commands.eraseDevice().pin("123456").build();
        DeviceContext iphone = new DeviceContext("iOS", true, false, false);
        DeviceContext mac = new DeviceContext("macOS", false, false, false);
        assertThat(VALIDATOR.checkApplicable(withPin, mac).warnings()).isEmpty();
        ValidationResult onIos = VALIDATOR.checkApplicable(withPin, iphone);
        assertThat(onIos.isValid()).isTrue();
        assertThat(onIos.warnings()).extracting(ValidationResult.Issue::toString)
                .containsExactly("Command.PIN: not supported on iOS (available on macOS)");
        assertThat(VALIDATOR.checkApplicable(withPin, new DeviceContext("iOS", false, true, false)).errors())
                .extracting(ValidationResult.Issue::message)
                .containsExactly("EraseDevice is not allowed with a user enrollment");

        Command lost = Commands.enableLostMode(Optional.of("m"), Optional.empty(), Optional.empty());
        assertThat(VALIDATOR.checkApplicable(lost, new DeviceContext("iOS", false, false, false)).errors())
                .extracting(ValidationResult.Issue::message).containsExactly(
                        "EnableLostMode requires a supervised device on iOS");
        assertThat(VALIDATOR.checkApplicable(Commands.setRecoveryLock(Optional.empty(), "password1"), iphone)
                .errors()).extracting(ValidationResult.Issue::message)
                .containsExactly("SetRecoveryLock is not available on iOS");
    }
}
