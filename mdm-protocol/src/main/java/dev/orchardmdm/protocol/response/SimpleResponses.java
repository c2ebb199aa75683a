package dev.orchardmdm.protocol.response;

import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.protocol.PlistDict;
import java.util.Optional;

/** Typed views of the single-value responses. */
public final class SimpleResponses {
    private SimpleResponses() {
    }

    /** SetFirmwarePassword: {@code SetFirmwarePassword.PasswordChanged} (a restart applies it). */
    public record SetFirmwarePassword(boolean passwordChanged) {
        public static SetFirmwarePassword from(CommandReport report) throws InvalidMessageException {
            return new SetFirmwarePassword(report.raw().requireDict("SetFirmwarePassword")
                    .requireBool("PasswordChanged"));
        }
    }

    /** VerifyRecoveryLock: {@code PasswordVerified}. */
    public record VerifyRecoveryLock(boolean passwordVerified) {
        public static VerifyRecoveryLock from(CommandReport report) throws InvalidMessageException {
            return new VerifyRecoveryLock(report.raw().requireBool("PasswordVerified"));
        }
    }

    /**
     * RotateFileVaultKey: {@code RotateResult.EncryptedNewRecoveryKey}, the new personal recovery key encrypted
     * (CMS) to the reply certificate of the command. A secret: never logged.
     */
    public record RotateFileVaultKey(Optional<PlistData> encryptedNewRecoveryKey) {
        public static RotateFileVaultKey from(CommandReport report) throws InvalidMessageException {
            Optional<PlistDict> result = report.raw().dict("RotateResult");
            return new RotateFileVaultKey(result.isPresent() ? result.get().data("EncryptedNewRecoveryKey").map(PlistData::of)
                    : Optional.empty());
        }

        @Override
        public String toString() {
            return "RotateFileVaultKey[encryptedNewRecoveryKey=" + encryptedNewRecoveryKey.map(k -> "<redacted>")
                    + "]";
        }
    }

    /** ActivationLockBypassCode. A secret: {@link #toString()} redacts it. */
    public record ActivationLockBypassCode(String code) {
        public static ActivationLockBypassCode from(CommandReport report) throws InvalidMessageException {
            return new ActivationLockBypassCode(report.raw().requireString("ActivationLockBypassCode"));
        }

        @Override
        public String toString() {
            return "ActivationLockBypassCode[<redacted>]";
        }
    }
}
