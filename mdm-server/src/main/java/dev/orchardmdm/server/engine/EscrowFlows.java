package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.CommandStatus;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.profile.ConfigurationProfile;
import dev.orchardmdm.protocol.profile.Payload;
import dev.orchardmdm.store.Blueprint;
import dev.orchardmdm.store.Channel;
import dev.orchardmdm.store.Command;
import dev.orchardmdm.store.CommandQueue;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.FileVaultConfig;
import dev.orchardmdm.store.RecoveryPasswordConfig;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The escrow flows a device's blueprint asks for, started once the device's inventory tells its
 * platform and processor (on the acknowledgement of DeviceInformation):
 * <ul>
 *   <li>a recovery password configuration queues SetRecoveryLock (Apple silicon) or
 *       SetFirmwarePassword (Intel Mac) with the configuration's static password or a generated
 *       one; {@link ResultProcessor} escrows it on acknowledgement. Queued only while no password is
 *       escrowed (or pending confirmation) and no such command is pending;</li>
 *   <li>a FileVault configuration queues an InstallProfile (named {@value #SETUP_FILEVAULT}) with
 *       {@code com.apple.MCX.FileVault2}, {@code com.apple.MCX}, the device's escrow certificate
 *       ({@code com.apple.security.pkcs1}, from {@link FileVaultEscrowKeys}) and
 *       {@code com.apple.security.FDERecoveryKeyEscrow}; once, unless the last one failed. The PRK
 *       then arrives through SecurityInfo (a SecurityInfo is queued {@link #PRK_PICKUP_DELAY} after
 *       the profile is acknowledged).</li>
 *   <li>an acknowledged RotateFileVaultKey escrows its new PRK ({@link FileVaultRotation}).</li>
 * </ul>
 */
public final class EscrowFlows {
    /** Orchard's name of the command that installs the FileVault profile. */
    public static final String SETUP_FILEVAULT = "SetupFileVault";
    /** After the FileVault profile is installed, SecurityInfo is asked again after this delay (Zentral: 10 min). */
    public static final Duration PRK_PICKUP_DELAY = Duration.ofMinutes(10);
    /** Length of generated recovery lock / firmware passwords. */
    static final int PASSWORD_LENGTH = 16;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    private static final List<CommandQueue.State> PENDING = List.of(CommandQueue.State.QUEUED,
            CommandQueue.State.SENT, CommandQueue.State.NOT_NOW);
    private static final Logger LOG = LoggerFactory.getLogger(EscrowFlows.class);

    private final Store store;
    private final CommandService commands;
    private final FileVaultEscrowKeys escrowKeys;
    private final java.time.Clock clock;
    private final FileVaultRotation rotation;
    private final SecureRandom random = new SecureRandom();

    public EscrowFlows(Store store, CommandService commands, FileVaultEscrowKeys escrowKeys, java.time.Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.escrowKeys = Objects.requireNonNull(escrowKeys, "escrowKeys");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.rotation = new FileVaultRotation(store.devices(), store.blueprints(), commands, clock);
    }

    /**
     * Called by {@link ResultProcessor} after it applied an answer of {@code command}: starts the
     * flows the device's blueprint asks for once DeviceInformation is known, and queues the PRK
     * pickup after the FileVault profile is installed.
     */
    public void answered(EnrolledDevice device, Command command, CommandReport report) throws StoreException {
        if (report.status() != CommandStatus.Acknowledged || command.channel() != Channel.DEVICE) {
            return;
        }
        if ("RotateFileVaultKey".equals(command.requestType())) {
            rotation.escrowRotated(device, report);
            return;
        }
        if (SETUP_FILEVAULT.equals(command.name())) {
            commands.queue(CommandTarget.device(device), Commands.securityInfo(), Set.of(),
                    clock.instant().plus(PRK_PICKUP_DELAY), null);
            return;
        }
        if (!"DeviceInformation".equals(command.requestType())) {
            return;
        }
        // the inventory just updated the record: platform and processor are known now
        Optional<EnrolledDevice> fresh = store.devices().findById(device.id());
        if (fresh.isEmpty() || fresh.get().blueprintId() == null || !"macOS".equals(fresh.get().platform())
                || fresh.get().userEnrollment()) {
            return;
        }
        Optional<Blueprint> blueprint = store.blueprints().findBlueprint(fresh.get().blueprintId());
        if (blueprint.isEmpty()) {
            return;
        }
        if (blueprint.get().recoveryPasswordConfigId() != null) {
            Optional<RecoveryPasswordConfig> config = store.blueprints()
                    .findRecoveryPasswordConfig(blueprint.get().recoveryPasswordConfigId());
            if (config.isPresent()) {
                setRecoveryPassword(fresh.get(), config.get());
            }
        }
        if (blueprint.get().filevaultConfigId() != null) {
            Optional<FileVaultConfig> config = store.blueprints()
                    .findFileVaultConfig(blueprint.get().filevaultConfigId());
            if (config.isPresent()) {
                setupFileVault(fresh.get(), config.get());
            }
        }
    }

    private void setRecoveryPassword(EnrolledDevice device, RecoveryPasswordConfig config) throws StoreException {
        if (store.devices().secret(device.id(), DeviceSecret.RECOVERY_PASSWORD).isPresent()
                || store.devices().secret(device.id(), DeviceSecret.PENDING_FIRMWARE_PASSWORD).isPresent()) {
            return;
        }
        String requestType = device.appleSilicon() ? "SetRecoveryLock" : "SetFirmwarePassword";
        if (pending(device, requestType, null) > 0) {
            return;
        }
        String password = config.dynamicPassword() ? newPassword()
                : store.blueprints().staticPassword(config.id()).orElse(null);
        if (password == null) {
            return;
        }
        dev.orchardmdm.protocol.Command command = device.appleSilicon()
                ? Commands.setRecoveryLock(Optional.empty(), password)
                : Commands.setFirmwarePassword(Optional.empty(), password, Optional.empty());
        commands.queue(CommandTarget.device(device), command, Set.of("NewPassword"), null, null);
    }

    private void setupFileVault(EnrolledDevice device, FileVaultConfig config) throws StoreException {
        long done = pending(device, null, SETUP_FILEVAULT) + store.commands().count(new CommandQueue.Query(
                Channel.DEVICE, device.id(), null, CommandQueue.State.ACKNOWLEDGED, null, SETUP_FILEVAULT, null, null,
                1, 0));
        if (done > 0) {
            return;
        }
        byte[] profile;
        try {
            profile = fileVaultProfile(device, config, escrowKeys.escrowIdentity(device)).toPlist();
        } catch (CryptoException | CertificateEncodingException e) {
            LOG.warn("device {}: cannot make its FileVault escrow identity: {}", device.id(), e.getMessage());
            return;
        }
        commands.queue(CommandTarget.device(device), Commands.installProfile(profile), Set.of(), null,
                SETUP_FILEVAULT);
    }

    /** The FileVault profile of {@code config}, escrowing the PRK to {@code escrow}'s certificate. */
    static ConfigurationProfile fileVaultProfile(EnrolledDevice device, FileVaultConfig config, KeyAndChain escrow)
            throws CertificateEncodingException {
        String prefix = "dev.orchardmdm.filevault." + config.id();
        String certUuid = Payload.newUuid();
        PlistDict.Builder fv = PlistDict.builder().put("Enable", "On").put("Defer", true)
                .put("UseRecoveryKey", true).put("ShowRecoveryKey", config.showRecoveryKey())
                .put("DeferForceAtUserLoginMaxBypassAttempts", config.bypassAttempts());
        if (config.atLoginOnly()) {
            fv.put("DeferDontAskAtUserLogout", true);
        }
        return ConfigurationProfile.builder(prefix)
                .displayName("FileVault")
                .payload(custom("com.apple.MCX.FileVault2", prefix + ".fv2", Payload.newUuid(), fv))
                .payload(custom("com.apple.MCX", prefix + ".mcx", Payload.newUuid(), PlistDict.builder()
                        .put("DestroyFVKeyOnStandby", config.destroyKeyOnStandby())
                        .put("dontAllowFDEDisable", true)))
                .payload(custom("com.apple.security.pkcs1", prefix + ".escrow-certificate", certUuid,
                        PlistDict.builder().put("PayloadCertificateFileName", "escrow.cer")
                                .put("PayloadContent", escrow.certificate().getEncoded())))
                .payload(custom("com.apple.security.FDERecoveryKeyEscrow", prefix + ".escrow", Payload.newUuid(),
                        PlistDict.builder().put("Location", config.escrowLocationDisplayName())
                                .put("EncryptCertPayloadUUID", certUuid)))
                .build();
    }

    private static Payload custom(String type, String identifier, String uuid, PlistDict.Builder keys) {
        return new Payload.Custom(keys.put("PayloadType", type).put("PayloadVersion", 1)
                .put("PayloadIdentifier", identifier).put("PayloadUUID", uuid).build());
    }

    private long pending(EnrolledDevice device, String requestType, String name) {
        long n = 0;
        for (CommandQueue.State state : PENDING) {
            n += store.commands().count(new CommandQueue.Query(Channel.DEVICE, device.id(), null, state, requestType,
                    name, null, null, 1, 0));
        }
        return n;
    }

    /** A generated recovery lock / firmware password: {@value #PASSWORD_LENGTH} unambiguous characters. */
    String newPassword() {
        StringBuilder sb = new StringBuilder(PASSWORD_LENGTH);
        for (int i = 0; i < PASSWORD_LENGTH; i++) {
            sb.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return sb.toString();
    }
}
