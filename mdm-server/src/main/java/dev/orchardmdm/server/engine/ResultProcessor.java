package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.CommandStatus;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.response.DeviceInformationResponse;
import dev.orchardmdm.protocol.response.SecurityInfoResponse;
import dev.orchardmdm.protocol.response.SimpleResponses;
import dev.orchardmdm.store.Command;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the answers of acknowledged commands to the device record: DeviceInformation and
 * SecurityInfo update the inventory fields; DeviceLock escrows its PIN, SetRecoveryLock and
 * SetFirmwarePassword their new password; DeviceConfigured clears awaiting-configuration. Error
 * answers need nothing here: the queue keeps their ErrorChain.
 */
public final class ResultProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(ResultProcessor.class);
    /** SecurityInfo keys never stored in the inventory JSON (secrets). */
    private static final Set<String> SECRET_KEYS = Set.of("FDE_PersonalRecoveryKeyCMS", "FDE_PersonalRecoveryKeyDevice");

    private final Store store;
    private final FileVaultEscrow fileVault;
    private final EscrowFlows escrowFlows;

    /** @param escrowFlows started from the answers (blueprint FileVault and recovery password configurations) */
    public ResultProcessor(Store store, FileVaultEscrow fileVault, EscrowFlows escrowFlows) {
        this.store = Objects.requireNonNull(store, "store");
        this.fileVault = Objects.requireNonNull(fileVault, "fileVault");
        this.escrowFlows = Objects.requireNonNull(escrowFlows, "escrowFlows");
    }

    /**
     * Decrypts {@code FDE_PersonalRecoveryKeyCMS} with the device's escrow key (mdm-crypto's
     * FileVault support); empty when the device has no escrow key.
     */
    @FunctionalInterface
    public interface FileVaultEscrow {
        Optional<String> decryptPrk(EnrolledDevice device, byte[] prkCms) throws Exception;
    }

    /** Processes a final answer of {@code command} from {@code device}. */
    public void process(EnrolledDevice device, Command command, CommandReport report)
            throws StoreException, MdmException.BadRequest {
        if (report.status() != CommandStatus.Acknowledged) {
            return;
        }
        try {
            switch (command.requestType()) {
                case "DeviceInformation" -> deviceInformation(device, report);
                case "SecurityInfo" -> securityInfo(device, report);
                case "DeviceLock" -> escrowArgument(device, command, "PIN", DeviceSecret.DEVICE_LOCK_PIN);
                case "SetRecoveryLock" -> escrowArgument(device, command, "NewPassword", DeviceSecret.RECOVERY_PASSWORD);
                case "SetFirmwarePassword" -> {
                    if (SimpleResponses.SetFirmwarePassword.from(report).passwordChanged()) {
                        escrowArgument(device, command, "NewPassword", DeviceSecret.PENDING_FIRMWARE_PASSWORD);
                    }
                }
                case "DeviceConfigured" -> store.devices().setAwaitingConfiguration(device.id(), false);
                default -> {
                }
            }
            escrowFlows.answered(device, command, report);
        } catch (InvalidMessageException e) {
            throw new MdmException.BadRequest("malformed " + command.requestType() + " answer: " + e.getMessage(), e);
        }
    }

    private void deviceInformation(EnrolledDevice device, CommandReport report)
            throws InvalidMessageException, StoreException {
        DeviceInformationResponse r = DeviceInformationResponse.from(report);
        store.devices().updateFacts(device.id(), new DeviceRepository.DeviceFacts(
                r.serialNumber().orElse(null), r.deviceName().orElse(null), r.model().orElse(null),
                Platforms.fromProduct(r.productName(), r.model(), r.modelName()).orElse(null),
                r.osVersion().orElse(null), r.supplementalOSVersionExtra().orElse(null),
                r.buildVersion().orElse(null), r.supplementalBuildVersion().orElse(null),
                r.isAppleSilicon().orElse(null), r.isSupervised().orElse(null), null, null, null, null, null,
                PlistJson.toJson(r.queryResponses(), Set.of()), null));
        if (r.awaitingConfiguration().isPresent()) {
            store.devices().setAwaitingConfiguration(device.id(), r.awaitingConfiguration().get());
        }
    }

    private void securityInfo(EnrolledDevice device, CommandReport report)
            throws InvalidMessageException, StoreException {
        SecurityInfoResponse r = SecurityInfoResponse.from(report);
        Optional<SecurityInfoResponse.ManagementStatus> ms = r.managementStatus();
        store.devices().updateFacts(device.id(), new DeviceRepository.DeviceFacts(
                null, null, null, null, null, null, null, null, null, null,
                ms.flatMap(SecurityInfoResponse.ManagementStatus::enrolledViaDep).orElse(null),
                ms.flatMap(SecurityInfoResponse.ManagementStatus::isUserEnrollment).orElse(null),
                ms.flatMap(SecurityInfoResponse.ManagementStatus::userApprovedEnrollment).orElse(null),
                ms.flatMap(SecurityInfoResponse.ManagementStatus::isActivationLockManageable).orElse(null),
                r.fdeEnabled().orElse(null), null, PlistJson.toJson(r.securityInfo(), SECRET_KEYS)));
        if (r.fdePersonalRecoveryKeyCms().isPresent()) {
            try {
                Optional<String> prk = fileVault.decryptPrk(device, r.fdePersonalRecoveryKeyCms().get().bytes());
                if (prk.isPresent()) {
                    store.devices().storeSecret(device.id(), DeviceSecret.FILEVAULT_PRK, prk.get());
                } else {
                    LOG.warn("device {} sent a FileVault PRK but has no escrow key", device.id());
                }
            } catch (StoreException e) {
                throw e;
            } catch (Exception e) {
                LOG.warn("device {}: cannot decrypt its FileVault PRK: {}", device.id(), e.getMessage());
            }
        }
        // a firmware password change is confirmed when the device reports no pending change
        boolean changePending = r.firmwarePasswordChangePending().orElse(false);
        if (!changePending) {
            Optional<String> pending = store.devices().secretString(device.id(), DeviceSecret.PENDING_FIRMWARE_PASSWORD);
            if (pending.isPresent() && r.firmwarePasswordExists().orElse(false)) {
                store.devices().storeSecret(device.id(), DeviceSecret.RECOVERY_PASSWORD, pending.get());
                store.devices().storeSecret(device.id(), DeviceSecret.PENDING_FIRMWARE_PASSWORD, (byte[]) null);
            }
        }
    }

    private void escrowArgument(EnrolledDevice device, Command command, String key, DeviceSecret kind)
            throws StoreException {
        Map<String, String> secrets = store.commands().secretArguments(command.uuid());
        String value = secrets.get(key);
        if (value == null) {
            return;
        }
        // an empty new password clears the escrowed one (recovery lock removed)
        store.devices().storeSecret(device.id(), kind, value.isEmpty() ? null : value);
    }
}
