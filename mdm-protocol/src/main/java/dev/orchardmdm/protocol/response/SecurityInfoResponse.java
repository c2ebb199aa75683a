package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * SecurityInfo. {@link #fdePersonalRecoveryKeyCms()} is the FileVault personal recovery key encrypted (CMS) to the
 * escrow certificate: a secret, never logged. iOS reports {@link #hardwareEncryptionCaps()} (3: block- and file-level,
 * needed for data protection), {@link #passcodeCompliantWithProfiles()} and the passcode lock grace periods (seconds);
 * macOS reports {@link #firewall()}.
 */
public record SecurityInfoResponse(Optional<Boolean> fdeEnabled, Optional<Boolean> fdeHasPersonalRecoveryKey,
                                   Optional<Boolean> fdeHasInstitutionalRecoveryKey,
                                   Optional<PlistData> fdePersonalRecoveryKeyCms, Optional<Boolean> passcodePresent,
                                   Optional<Boolean> passcodeCompliant, Optional<Boolean> isRecoveryLockEnabled,
                                   Optional<Boolean> systemIntegrityProtectionEnabled,
                                   Optional<Boolean> firmwarePasswordExists,
                                   Optional<Boolean> firmwarePasswordChangePending,
                                   Optional<ManagementStatus> managementStatus, Optional<String> secureBootLevel,
                                   Optional<String> bootstrapTokenAllowedForAuthentication,
                                   Optional<Long> hardwareEncryptionCaps,
                                   Optional<Boolean> passcodeCompliantWithProfiles,
                                   Optional<Long> passcodeLockGracePeriod,
                                   Optional<Long> passcodeLockGracePeriodEnforced,
                                   Optional<FirewallSettings> firewall, PlistDict securityInfo) {

    /** iOS {@code HardwareEncryptionCaps} value for block- and file-level encryption (data protection). */
    public static final long HARDWARE_ENCRYPTION_BLOCK_AND_FILE = 3;

    /** macOS {@code FirewallSettings}. */
    public record FirewallSettings(Optional<Boolean> enabled, Optional<Boolean> blockAllIncoming,
                                   Optional<Boolean> stealthMode, Optional<Boolean> loggingEnabled,
                                   Optional<String> loggingOption, List<FirewallApplication> applications) {
        public FirewallSettings {
            applications = List.copyOf(applications);
        }
    }

    /** One entry of {@code FirewallSettings.Applications}. */
    public record FirewallApplication(Optional<String> bundleId, Optional<String> name, Optional<Boolean> allowed) {
    }

    /** True when iOS reports both block- and file-level hardware encryption and a passcode: data protection is on. */
    public boolean dataProtection() {
        return hardwareEncryptionCaps.filter(c -> c == HARDWARE_ENCRYPTION_BLOCK_AND_FILE).isPresent()
                && passcodePresent.orElse(false);
    }

    /** {@code ManagementStatus}. */
    public record ManagementStatus(Optional<Boolean> enrolledViaDep, Optional<Boolean> userApprovedEnrollment,
                                   Optional<Boolean> isUserEnrollment, Optional<Boolean> isActivationLockManageable) {
    }

    /** Decodes a SecurityInfo report. */
    public static SecurityInfoResponse from(CommandReport report) throws InvalidMessageException {
        PlistDict s = report.raw().requireDict("SecurityInfo");
        Optional<PlistDict> fw = s.dict("FirmwarePasswordStatus");
        Optional<PlistDict> ms = s.dict("ManagementStatus");
        Optional<ManagementStatus> status = Optional.empty();
        if (ms.isPresent()) {
            PlistDict m = ms.get();
            status = Optional.of(new ManagementStatus(m.bool("EnrolledViaDEP"), m.bool("UserApprovedEnrollment"),
                    m.bool("IsUserEnrollment"), m.bool("IsActivationLockManageable")));
        }
        Optional<String> secureBoot = Optional.empty();
        if (s.dict("SecureBoot").isPresent()) {
            secureBoot = s.requireDict("SecureBoot").string("SecureBootLevel");
        }
        return new SecurityInfoResponse(s.bool("FDE_Enabled"), s.bool("FDE_HasPersonalRecoveryKey"),
                s.bool("FDE_HasInstitutionalRecoveryKey"), s.data("FDE_PersonalRecoveryKeyCMS").map(PlistData::of),
                s.bool("PasscodePresent"), s.bool("PasscodeCompliant"), s.bool("IsRecoveryLockEnabled"),
                s.bool("SystemIntegrityProtectionEnabled"),
                fw.isPresent() ? fw.get().bool("PasswordExists") : Optional.empty(),
                fw.isPresent() ? fw.get().bool("ChangePending") : Optional.empty(), status, secureBoot,
                s.string("BootstrapTokenAllowedForAuthentication"), s.integer("HardwareEncryptionCaps"),
                s.bool("PasscodeCompliantWithProfiles"), s.integer("PasscodeLockGracePeriod"),
                s.integer("PasscodeLockGracePeriodEnforced"), firewall(s), s);
    }

    private static Optional<FirewallSettings> firewall(PlistDict s) throws InvalidMessageException {
        Optional<PlistDict> f = s.dict("FirewallSettings");
        if (f.isEmpty()) {
            return Optional.empty();
        }
        PlistDict fw = f.get();
        List<FirewallApplication> apps = new ArrayList<>();
        for (PlistDict a : fw.dictArray("Applications")) {
            apps.add(new FirewallApplication(a.string("BundleID"), a.string("Name"), a.bool("Allowed")));
        }
        return Optional.of(new FirewallSettings(fw.bool("FirewallEnabled"), fw.bool("BlockAllIncoming"),
                fw.bool("StealthMode"), fw.bool("LoggingEnabled"), fw.string("LoggingOption"), apps));
    }

    @Override
    public String toString() {
        return "SecurityInfoResponse[fdeEnabled=" + fdeEnabled + ", managementStatus=" + managementStatus + "]";
    }
}
