package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.response.SimpleResponses;
import dev.orchardmdm.store.Blueprint;
import dev.orchardmdm.store.BlueprintRepository;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.FileVaultConfig;
import dev.orchardmdm.store.StoreException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * FileVault personal recovery key rotation: RotateFileVaultKey unlocks with the escrowed PRK
 * (kept encrypted beside the command, {@value #UNLOCK_SECRET}) and asks the device to encrypt the
 * new key to the device's escrow certificate; on acknowledgement the new key is decrypted from
 * {@code RotateResult.EncryptedNewRecoveryKey} and escrowed.
 */
public final class FileVaultRotation {
    /** The secret argument of RotateFileVaultKey: the current PRK. */
    static final String UNLOCK_SECRET = "FileVaultUnlock.Password";
    private static final Logger LOG = LoggerFactory.getLogger(FileVaultRotation.class);
    private final DeviceRepository devices;
    private final BlueprintRepository blueprints;
    private final CommandService commands;
    private final FileVaultEscrowKeys escrowKeys;
    private final Clock clock;

    public FileVaultRotation(DeviceRepository devices, BlueprintRepository blueprints, CommandService commands,
                             Clock clock) {
        this.devices = Objects.requireNonNull(devices, "devices");
        this.blueprints = Objects.requireNonNull(blueprints, "blueprints");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.escrowKeys = new FileVaultEscrowKeys(devices);
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * After a PRK reveal: when the device's blueprint has a FileVault configuration with a reveal
     * rotation delay, queues RotateFileVaultKey due after that delay.
     *
     * @param currentPrk the escrowed PRK just revealed
     * @return the queued command, empty when no rotation is configured (or the device is not a Mac)
     */
    public Optional<dev.orchardmdm.store.Command> scheduleAfterReveal(EnrolledDevice device, String currentPrk)
            throws StoreException, CryptoException {
        Optional<FileVaultConfig> config = Optional.ofNullable(device.blueprintId())
                .flatMap(blueprints::findBlueprint)
                .map(Blueprint::filevaultConfigId)
                .flatMap(blueprints::findFileVaultConfig)
                .filter(c -> c.prkRevealRotationDelay() > 0);
        if (config.isEmpty() || !"macOS".equals(device.platform()) || device.userEnrollment()) {
            return Optional.empty();
        }
        byte[] certificate;
        try {
            certificate = escrowKeys.escrowIdentity(device).certificate().getEncoded();
        } catch (CertificateEncodingException e) {
            throw new dev.orchardmdm.crypto.MalformedDataException("escrow certificate cannot be encoded");
        }
        Command command = Commands.rotateFileVaultKey(currentPrk, certificate);
        return Optional.of(commands.queue(CommandTarget.device(device), command, Set.of(UNLOCK_SECRET),
                clock.instant().plus(Duration.ofMinutes(config.get().prkRevealRotationDelay())), null));
    }

    /** Escrows the new PRK of an acknowledged RotateFileVaultKey. */
    void escrowRotated(EnrolledDevice device, CommandReport report) throws StoreException {
        Optional<byte[]> cms;
        try {
            cms = SimpleResponses.RotateFileVaultKey.from(report).encryptedNewRecoveryKey()
                    .map(dev.orchardmdm.protocol.PlistData::bytes);
        } catch (InvalidMessageException e) {
            LOG.warn("device {}: malformed RotateFileVaultKey answer: {}", device.id(), e.getMessage());
            return;
        }
        if (cms.isEmpty()) {
            LOG.warn("device {}: RotateFileVaultKey acknowledged without EncryptedNewRecoveryKey", device.id());
            return;
        }
        try {
            Optional<String> prk = escrowKeys.decryptPrk(device, cms.get());
            if (prk.isPresent()) {
                devices.storeSecret(device.id(), DeviceSecret.FILEVAULT_PRK, prk.get());
            } else {
                LOG.warn("device {} sent a rotated FileVault PRK but has no escrow key", device.id());
            }
        } catch (CryptoException e) {
            LOG.warn("device {}: cannot decrypt its rotated FileVault PRK: {}", device.id(), e.getMessage());
        }
    }
}
