package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.profile.ConfigurationProfile;
import dev.orchardmdm.server.api.ApiTestClient;
import dev.orchardmdm.server.engine.EscrowFlows;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.Blueprint;
import dev.orchardmdm.store.CommandQueue;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.FileVaultConfig;
import dev.orchardmdm.store.RecoveryPasswordConfig;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * End-to-end: the escrow flows behind the reveal endpoints, with a real server, simulated Macs
 * and the admin API: a blueprint's recovery password and FileVault configurations make the server
 * send SetRecoveryLock / SetFirmwarePassword and the FileVault profile; the escrowed secrets are
 * then revealed through the API.
 */
class EscrowFlowsEndToEndTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    private static ServersByKind servers;

    static synchronized TestServer server(DatabaseKind kind) throws Exception {
        if (servers == null) {
            servers = new ServersByKind(DBS, dir, "\"mdm\": {\"mtls_proxy\": true}",
                    Set.of("mdm.view_filevault_prk", "mdm.view_recovery_password"));
        }
        return servers.server(kind);
    }

    @AfterAll
    static void stop() {
        if (servers != null) {
            servers.close();
        }
    }

    /** An enrolled, authenticated Mac on {@code blueprint}, its inventory not yet collected. */
    private static EnrolledDevice enrolledMac(TestServer s, DeviceSimulator device, Blueprint blueprint)
            throws Exception {
        assertThat(device.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
        EnrolledDevice record = s.context.store().devices().findByUdid(device.udid()).orElseThrow();
        s.context.store().devices().setBlueprint(record.id(), blueprint.id());
        assertThat(device.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
        return s.context.store().devices().findById(record.id()).orElseThrow();
    }

    /**
     * Runs the command loop from Idle, answering with the simulator's answers passed through
     * {@code adjust}; returns the commands received, by request type (the last of each).
     */
    private static Map<String, PlistDict> run(DeviceSimulator device, UnaryOperator<PlistDict> adjust)
            throws Exception {
        Map<String, PlistDict> received = new LinkedHashMap<>();
        DeviceSimulator.Reply reply = device.idle();
        for (int i = 0; i < 10 && reply.status() == 200 && reply.body().length > 0; i++) {
            PlistDict command = reply.plist();
            received.put(command.requireDict("Command").requireString("RequestType"), command);
            reply = device.connect(adjust.apply(device.answer(command)));
        }
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.body()).isEmpty();
        return received;
    }

    private static ApiTestClient.Reply reveal(TestServer s, DatabaseKind kind, EnrolledDevice d, String what) {
        return new ApiTestClient(s.baseUrl()).get("/api/mdm/devices/" + d.id() + "/" + what + "/", servers.token(kind));
    }

    private static long count(TestServer s, EnrolledDevice d, String requestType, CommandQueue.State state) {
        return s.context.store().commands().count(new CommandQueue.Query(null, d.id(), null, state, requestType, null,
                null, null, 1, 0));
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void appleSiliconMacGetsAGeneratedRecoveryLockOnceAndTheRevealReturnsIt(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        RecoveryPasswordConfig config = s.context.store().blueprints().createRecoveryPasswordConfig(
                new RecoveryPasswordConfig.Spec("dynamic " + UUID.randomUUID(), true, null, 0, 0, false));
        Blueprint blueprint = s.context.store().blueprints().createBlueprint(new Blueprint.Spec(
                "rp " + UUID.randomUUID(), 86400, "NO", "NO", "NO", true, null, config.id(), null));
        DeviceSimulator device = DeviceEndToEndTest.enrolled(s, DeviceSimulator.Mode.MTLS_PROXY);
        EnrolledDevice record = enrolledMac(s, device, blueprint);

        Map<String, PlistDict> received = run(device, UnaryOperator.identity());
        assertThat(received.keySet()).containsExactly("DeviceInformation", "SecurityInfo", "SetRecoveryLock");
        PlistDict lock = received.get("SetRecoveryLock").requireDict("Command");
        String password = lock.requireString("NewPassword");
        assertThat(password).matches("[A-Za-z0-9]{16}");
        assertThat(lock.get("CurrentPassword")).isNull();

        ApiTestClient.Reply revealed = reveal(s, kind, record, "recovery_password");
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.json().get("recovery_password").asText()).isEqualTo(password);

        // the next inventory does not set it again: the password is escrowed
        s.server.services().engine().commands().queue(CommandTarget.device(record), Commands.deviceInformation());
        assertThat(run(device, UnaryOperator.identity()).keySet()).containsExactly("DeviceInformation");
        assertThat(count(s, record, "SetRecoveryLock", null)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void intelMacGetsTheStaticFirmwarePasswordNotAgainWhilePending(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        RecoveryPasswordConfig config = s.context.store().blueprints().createRecoveryPasswordConfig(
                new RecoveryPasswordConfig.Spec("static " + UUID.randomUUID(), false, "Static-Pass-123", 0, 0, false));
        Blueprint blueprint = s.context.store().blueprints().createBlueprint(new Blueprint.Spec(
                "fw " + UUID.randomUUID(), 86400, "NO", "NO", "NO", true, null, config.id(), null));
        DeviceSimulator device = DeviceEndToEndTest.enrolled(s, DeviceSimulator.Mode.MTLS_PROXY);
        EnrolledDevice record = enrolledMac(s, device, blueprint);
        UnaryOperator<PlistDict> intel = answer -> {
            try {
                PlistDict qr = answer.dict("QueryResponses").orElse(null);
                if (qr != null) {
                    return answer.with("QueryResponses", qr.with("IsAppleSilicon", false).with("Model", "MacPro7,1")
                            .with("ModelName", "Mac Pro").with("ProductName", "MacPro7,1"));
                }
                if (device.answered().get(device.answered().size() - 1).equals("SetFirmwarePassword")) {
                    return answer.with("SetFirmwarePassword", PlistDict.of("PasswordChanged", true));
                }
                return answer;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
        Map<String, PlistDict> received = run(device, intel);
        assertThat(received.keySet()).containsExactly("DeviceInformation", "SecurityInfo", "SetFirmwarePassword");
        assertThat(received.get("SetFirmwarePassword").requireDict("Command").requireString("NewPassword"))
                .isEqualTo("Static-Pass-123");
        assertThat(s.context.store().devices().secretString(record.id(), DeviceSecret.PENDING_FIRMWARE_PASSWORD))
                .contains("Static-Pass-123");
        // pending confirmation: not sent again
        s.server.services().engine().commands().queue(CommandTarget.device(record), Commands.deviceInformation());
        assertThat(run(device, intel).keySet()).containsExactly("DeviceInformation");
        assertThat(count(s, record, "SetFirmwarePassword", null)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void fileVaultProfileCarriesTheEscrowCertificateAndThePrkIsRevealed(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        FileVaultConfig config = s.context.store().blueprints().createFileVaultConfig(new FileVaultConfig.Spec(
                "fv " + UUID.randomUUID(), "Orchard IT", false, 3, false, true, 0, 0));
        Blueprint blueprint = s.context.store().blueprints().createBlueprint(new Blueprint.Spec(
                "fvb " + UUID.randomUUID(), 86400, "NO", "NO", "NO", true, config.id(), null, null));
        DeviceSimulator device = DeviceEndToEndTest.enrolled(s, DeviceSimulator.Mode.MTLS_PROXY);
        EnrolledDevice record = enrolledMac(s, device, blueprint);

        Map<String, PlistDict> received = run(device, UnaryOperator.identity());
        assertThat(received.keySet()).containsExactly("DeviceInformation", "SecurityInfo", "InstallProfile");
        ConfigurationProfile profile = ConfigurationProfile.parse(
                received.get("InstallProfile").requireDict("Command").data("Payload").orElseThrow());
        assertThat(profile.payloadTypes()).contains("com.apple.MCX.FileVault2", "com.apple.MCX",
                "com.apple.security.pkcs1", "com.apple.security.FDERecoveryKeyEscrow");
        PlistDict fv = profile.payload("com.apple.MCX.FileVault2").orElseThrow();
        assertThat(fv.requireString("Enable")).isEqualTo("On");
        assertThat(fv.integer("DeferForceAtUserLoginMaxBypassAttempts")).contains(3L);
        assertThat(profile.payload("com.apple.MCX").orElseThrow().bool("DestroyFVKeyOnStandby")).contains(true);
        PlistDict escrow = profile.payload("com.apple.security.FDERecoveryKeyEscrow").orElseThrow();
        assertThat(escrow.requireString("Location")).isEqualTo("Orchard IT");
        PlistDict certPayload = profile.payload("com.apple.security.pkcs1").orElseThrow();
        assertThat(escrow.requireString("EncryptCertPayloadUUID")).isEqualTo(certPayload.requireString("PayloadUUID"));
        X509Certificate certificate = Certificates.parseDer(certPayload.data("PayloadContent").orElseThrow());

        // the SecurityInfo that picks up the PRK is scheduled after the profile's acknowledgement
        assertThat(s.context.store().commands().list(new CommandQueue.Query(null, record.id(), null,
                CommandQueue.State.QUEUED, "SecurityInfo", null, null, null, 10, 0))).singleElement()
                .satisfies(c -> assertThat(c.notBefore()).isAfter(java.time.Instant.now().plus(
                        EscrowFlows.PRK_PICKUP_DELAY).minusSeconds(60)));
        // macOS encrypts the PRK to the profile's certificate; the server decrypts and escrows it
        device.fileVault(certificate, "QWER-TYUI-OPAS-DFGH-JKLZ-XCVB");
        s.server.services().engine().commands().queue(CommandTarget.device(record), Commands.securityInfo());
        assertThat(run(device, UnaryOperator.identity()).keySet()).containsExactly("SecurityInfo");
        ApiTestClient.Reply revealed = reveal(s, kind, record, "filevault_prk");
        assertThat(revealed.status()).isEqualTo(200);
        assertThat(revealed.json().get("filevault_prk").asText()).isEqualTo("QWER-TYUI-OPAS-DFGH-JKLZ-XCVB");

        // installed once
        s.server.services().engine().commands().queue(CommandTarget.device(record), Commands.deviceInformation());
        assertThat(run(device, UnaryOperator.identity()).keySet()).containsExactly("DeviceInformation");
        assertThat(count(s, record, "InstallProfile", null)).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void prkRevealSchedulesARotationWhoseNewKeyIsEscrowed(DatabaseKind kind) throws Exception {
        TestServer s = server(kind);
        FileVaultConfig config = s.context.store().blueprints().createFileVaultConfig(new FileVaultConfig.Spec(
                "fvr " + UUID.randomUUID(), "Orchard IT", false, -1, false, false, 0, 5));
        Blueprint blueprint = s.context.store().blueprints().createBlueprint(new Blueprint.Spec(
                "fvrb " + UUID.randomUUID(), 86400, "NO", "NO", "NO", true, config.id(), null, null));
        DeviceSimulator device = DeviceEndToEndTest.enrolled(s, DeviceSimulator.Mode.MTLS_PROXY);
        EnrolledDevice record = enrolledMac(s, device, blueprint);
        Map<String, PlistDict> received = run(device, UnaryOperator.identity());
        X509Certificate certificate = Certificates.parseDer(ConfigurationProfile.parse(received.get("InstallProfile")
                .requireDict("Command").data("Payload").orElseThrow()).payload("com.apple.security.pkcs1")
                .orElseThrow().data("PayloadContent").orElseThrow());
        device.fileVault(certificate, "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        s.server.services().engine().commands().queue(CommandTarget.device(record), Commands.securityInfo());
        run(device, UnaryOperator.identity());
        record = s.context.store().devices().findById(record.id()).orElseThrow();

        // the reveal schedules RotateFileVaultKey after the configured delay, the PRK kept out of the plist
        java.time.Instant before = java.time.Instant.now();
        ApiTestClient.Reply revealed = reveal(s, kind, record, "filevault_prk");
        assertThat(revealed.json().get("filevault_prk").asText()).isEqualTo("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        var scheduled = s.context.store().commands().list(new CommandQueue.Query(null, record.id(), null,
                CommandQueue.State.QUEUED, "RotateFileVaultKey", null, null, null, 10, 0));
        assertThat(scheduled).singleElement().satisfies(c -> {
            assertThat(c.notBefore()).isBetween(before.plusSeconds(5 * 60 - 1), before.plusSeconds(5 * 60 + 60));
            assertThat(new String(c.commandPlist(), java.nio.charset.StandardCharsets.UTF_8))
                    .doesNotContain("AAAA-BBBB");
        });
        assertThat(s.context.store().commands().secretArguments(scheduled.get(0).uuid()))
                .containsEntry("FileVaultUnlock.Password", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        // not due yet: nothing delivered
        assertThat(device.idle().body()).isEmpty();

        // the same command, due at once: delivered with the PRK merged back; the new key is escrowed on ack
        byte[] replyCertificate = certificate.getEncoded();
        s.server.services().engine().commands().queue(CommandTarget.device(record),
                Commands.rotateFileVaultKey("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", replyCertificate),
                Set.of("FileVaultUnlock.Password"), null, null);
        UnaryOperator<PlistDict> rotate = answer -> device.answered().get(device.answered().size() - 1)
                .equals("RotateFileVaultKey") ? answer.with("RotateResult", PlistDict.of("EncryptedNewRecoveryKey",
                encrypt("GGGG-HHHH-IIII-JJJJ-KKKK-LLLL", certificate))) : answer;
        PlistDict rotation = run(device, rotate).get("RotateFileVaultKey").requireDict("Command");
        assertThat(rotation.requireDict("FileVaultUnlock").requireString("Password"))
                .isEqualTo("AAAA-BBBB-CCCC-DDDD-EEEE-FFFF");
        assertThat(rotation.requireString("KeyType")).isEqualTo("personal");
        assertThat(rotation.data("ReplyEncryptionCertificate")).hasValue(replyCertificate);
        assertThat(s.context.store().devices().secretString(record.id(), DeviceSecret.FILEVAULT_PRK))
                .contains("GGGG-HHHH-IIII-JJJJ-KKKK-LLLL");
    }

    /** What macOS does with the new PRK: CMS enveloped data for the reply certificate. */
    private static byte[] encrypt(String prk, X509Certificate recipient) {
        try {
            var gen = new org.bouncycastle.cms.CMSEnvelopedDataGenerator();
            gen.addRecipientInfoGenerator(new org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator(recipient));
            return gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(
                            prk.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                    new org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder(
                            org.bouncycastle.cms.CMSAlgorithm.AES128_CBC).build()).getEncoded();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
