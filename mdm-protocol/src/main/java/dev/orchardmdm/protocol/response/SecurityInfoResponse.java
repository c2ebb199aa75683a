package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.util.Optional;

/**
 * SecurityInfo. {@link #fdePersonalRecoveryKeyCms()} is the FileVault personal recovery key encrypted (CMS) to the
 * escrow certificate: a secret, never logged.
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
                                   PlistDict securityInfo) {

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
                s.string("BootstrapTokenAllowedForAuthentication"), s);
    }

    @Override
    public String toString() {
        return "SecurityInfoResponse[fdeEnabled=" + fdeEnabled + ", managementStatus=" + managementStatus + "]";
    }
}
