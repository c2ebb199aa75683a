package dev.orchardmdm.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Builders for MDM commands. Every typed builder returns a {@link Command} with a new random UUID (use
 * {@link Command#withUuid(String)} to pick one); the generic {@link #custom(PlistDict)} takes any Command dictionary
 * (a "custom command"). Commands with several optional keys have a small fluent builder, e.g.
 * {@code Commands.eraseDevice().pin("123456").build()}.
 */
public final class Commands {
    private Commands() {
    }

    // ------------------------------------------------------------------ generic

    /**
     * The generic builder: a Command dictionary holding {@code RequestType} and any other keys, or a full
     * {@code {CommandUUID, Command}} document.
     *
     * @throws InvalidMessageException when RequestType is missing or not a string
     */
    public static Command custom(PlistDict commandDict) throws InvalidMessageException {
        return Command.fromDict(commandDict);
    }

    /** The generic builder from a request type and the other keys. */
    public static Command custom(String requestType, PlistDict payload) {
        return Command.of(requestType, payload);
    }

    private static Command simple(String requestType) {
        return Command.of(requestType, PlistDict.empty());
    }

    /** Base of the fluent builders: collects keys, {@link #build()} makes the command. */
    public abstract static class Builder<B extends Builder<B>> {
        private final String requestType;
        private final PlistDict.Builder keys = PlistDict.builder();

        Builder(String requestType) {
            this.requestType = requestType;
        }

        @SuppressWarnings("unchecked")
        B set(String key, Object value) {
            keys.put(key, value);
            return (B) this;
        }

        /** Sets any other key (for keys Apple adds later). */
        public B key(String key, Object value) {
            return set(key, value);
        }

        /** The command, with a new UUID. */
        public Command build() {
            return Command.of(requestType, keys.build());
        }
    }

    // ------------------------------------------------------------------ queries

    /** DeviceInformation with the given {@code Queries}. */
    public static Command deviceInformation(List<String> queries) {
        if (queries.isEmpty()) {
            throw new IllegalArgumentException("DeviceInformation needs at least one query");
        }
        return Command.of("DeviceInformation", PlistDict.of("Queries", queries));
    }

    /** DeviceInformation asking the queries inventory usually needs ({@link #DEFAULT_DEVICE_QUERIES}). */
    public static Command deviceInformation() {
        return deviceInformation(DEFAULT_DEVICE_QUERIES);
    }

    /** A broad, platform-neutral set of DeviceInformation queries. */
    public static final List<String> DEFAULT_DEVICE_QUERIES = List.of("UDID", "DeviceName", "OSVersion",
            "BuildVersion", "SupplementalBuildVersion", "SupplementalOSVersionExtra", "ModelName", "Model",
            "ModelNumber", "ProductName", "SerialNumber", "IsAppleSilicon", "IsSupervised", "AwaitingConfiguration",
            "DeviceCapacity", "AvailableDeviceCapacity", "BatteryLevel", "IsActivationLockEnabled",
            "IsDeviceLocatorServiceEnabled", "IsMultiUser", "HostName", "LocalHostName", "WiFiMAC", "BluetoothMAC",
            "EthernetMAC", "IMEI", "MEID", "SoftwareUpdateDeviceID", "TimeZone", "MDMOptions", "OrganizationInfo",
            "IsMDMLostModeEnabled", "AutoSetupAdminAccounts", "SystemIntegrityProtectionEnabled");

    /** SecurityInfo. */
    public static Command securityInfo() {
        return simple("SecurityInfo");
    }

    /** ProfileList. */
    public static Command profileList(boolean managedOnly) {
        return Command.of("ProfileList", PlistDict.of("ManagedOnly", managedOnly));
    }

    /** CertificateList. */
    public static Command certificateList(boolean managedOnly) {
        return Command.of("CertificateList", PlistDict.of("ManagedOnly", managedOnly));
    }

    /** InstalledApplicationList builder. */
    public static InstalledApplicationList installedApplicationList() {
        return new InstalledApplicationList();
    }

    /** Keys of InstalledApplicationList. */
    public static final class InstalledApplicationList extends Builder<InstalledApplicationList> {
        InstalledApplicationList() {
            super("InstalledApplicationList");
        }

        public InstalledApplicationList identifiers(List<String> ids) {
            return set("Identifiers", ids);
        }

        public InstalledApplicationList managedAppsOnly(boolean v) {
            return set("ManagedAppsOnly", v);
        }

        /** The attributes to return, e.g. {@code "Identifier", "ShortVersion", "Name"}. */
        public InstalledApplicationList items(List<String> items) {
            return set("Items", items);
        }
    }

    /** ManagedApplicationList, optionally restricted to some bundle identifiers. */
    public static Command managedApplicationList(List<String> identifiers) {
        return Command.of("ManagedApplicationList", identifiers.isEmpty() ? PlistDict.empty()
                : PlistDict.of("Identifiers", identifiers));
    }

    /** ActivationLockBypassCode. */
    public static Command activationLockBypassCode() {
        return simple("ActivationLockBypassCode");
    }

    /** UserList. */
    public static Command userList() {
        return simple("UserList");
    }

    /** AvailableOSUpdates. */
    public static Command availableOSUpdates() {
        return simple("AvailableOSUpdates");
    }

    /** OSUpdateStatus. */
    public static Command osUpdateStatus() {
        return simple("OSUpdateStatus");
    }

    /** DeviceLocation (lost mode). */
    public static Command deviceLocation() {
        return simple("DeviceLocation");
    }

    // ------------------------------------------------------------------ profiles

    /** InstallProfile with a (usually signed) .mobileconfig. */
    public static Command installProfile(byte[] profile) {
        return Command.of("InstallProfile", PlistDict.of("Payload", profile));
    }

    /** RemoveProfile by PayloadIdentifier. */
    public static Command removeProfile(String identifier) {
        return Command.of("RemoveProfile", PlistDict.of("Identifier", requireText(identifier, "Identifier")));
    }

    /** InstallProvisioningProfile. */
    public static Command installProvisioningProfile(byte[] provisioningProfile) {
        return Command.of("InstallProvisioningProfile", PlistDict.of("ProvisioningProfile", provisioningProfile));
    }

    /** RemoveProvisioningProfile by UUID. */
    public static Command removeProvisioningProfile(String uuid) {
        return Command.of("RemoveProvisioningProfile", PlistDict.of("UUID", requireText(uuid, "UUID")));
    }

    // ------------------------------------------------------------------ applications

    /** InstallApplication of an App Store app by its adam id ({@code iTunesStoreID}). */
    public static InstallApplication installApplication(long iTunesStoreId) {
        return new InstallApplication().set("iTunesStoreID", iTunesStoreId);
    }

    /** InstallApplication by bundle identifier (already purchased / license-free apps). */
    public static InstallApplication installApplication(String identifier) {
        return new InstallApplication().set("Identifier", requireText(identifier, "Identifier"));
    }

    /** Keys of InstallApplication. */
    public static final class InstallApplication extends Builder<InstallApplication> {
        InstallApplication() {
            super("InstallApplication");
        }

        /** {@code Options.PurchaseMethod}: 0 legacy VPP, 1 Apps and Books licence. */
        public InstallApplication purchaseMethod(int method) {
            return set("Options", PlistDict.of("PurchaseMethod", method));
        }

        /** ManagementFlags: 1 remove on MDM removal, 4 prevent backup, 5 both. */
        public InstallApplication managementFlags(int flags) {
            return set("ManagementFlags", flags);
        }

        public InstallApplication installAsManaged(boolean v) {
            return set("InstallAsManaged", v);
        }

        /** {@code ChangeManagementState: Managed}: take over a user-installed app. */
        public InstallApplication takeManagement() {
            return set("ChangeManagementState", "Managed");
        }

        public InstallApplication configuration(PlistDict config) {
            return set("Configuration", config);
        }

        public InstallApplication attributes(PlistDict attributes) {
            return set("Attributes", attributes);
        }

        public InstallApplication manifestUrl(String url) {
            return set("ManifestURL", url);
        }

        public InstallApplication iOSApp(boolean v) {
            return set("iOSApp", v);
        }
    }

    /** InstallEnterpriseApplication from a manifest URL. */
    public static InstallEnterpriseApplication installEnterpriseApplication(String manifestUrl) {
        return new InstallEnterpriseApplication().set("ManifestURL", requireText(manifestUrl, "ManifestURL"));
    }

    /** InstallEnterpriseApplication with an inline manifest dictionary. */
    public static InstallEnterpriseApplication installEnterpriseApplication(PlistDict manifest) {
        return new InstallEnterpriseApplication().set("Manifest", manifest);
    }

    /** Keys of InstallEnterpriseApplication. */
    public static final class InstallEnterpriseApplication extends Builder<InstallEnterpriseApplication> {
        InstallEnterpriseApplication() {
            super("InstallEnterpriseApplication");
        }

        public InstallEnterpriseApplication manifestUrlPinningCerts(List<byte[]> certs) {
            return set("ManifestURLPinningCerts", certs);
        }

        public InstallEnterpriseApplication pinningRevocationCheckRequired(boolean v) {
            return set("PinningRevocationCheckRequired", v);
        }

        public InstallEnterpriseApplication installAsManaged(boolean v) {
            return set("InstallAsManaged", v);
        }

        /** ManagementFlags: 1 remove the package's apps on MDM removal. */
        public InstallEnterpriseApplication managementFlags(int flags) {
            return set("ManagementFlags", flags);
        }

        public InstallEnterpriseApplication takeManagement() {
            return set("ChangeManagementState", "Managed");
        }

        public InstallEnterpriseApplication configuration(PlistDict config) {
            return set("Configuration", config);
        }

        public InstallEnterpriseApplication iOSApp(boolean v) {
            return set("iOSApp", v);
        }
    }

    /** RemoveApplication by bundle identifier. */
    public static Command removeApplication(String identifier) {
        return Command.of("RemoveApplication", PlistDict.of("Identifier", requireText(identifier, "Identifier")));
    }

    // ------------------------------------------------------------------ device actions

    /** DeviceLock builder. */
    public static DeviceLock deviceLock() {
        return new DeviceLock();
    }

    /** Keys of DeviceLock. */
    public static final class DeviceLock extends Builder<DeviceLock> {
        DeviceLock() {
            super("DeviceLock");
        }

        public DeviceLock message(String message) {
            return set("Message", message);
        }

        public DeviceLock phoneNumber(String phone) {
            return set("PhoneNumber", phone);
        }

        /** The six-digit Find My PIN (macOS). */
        public DeviceLock pin(String pin) {
            return set("PIN", sixDigitPin(pin));
        }
    }

    /** EraseDevice builder. */
    public static EraseDevice eraseDevice() {
        return new EraseDevice();
    }

    /** Keys of EraseDevice. */
    public static final class EraseDevice extends Builder<EraseDevice> {
        EraseDevice() {
            super("EraseDevice");
        }

        /** The six-digit Find My PIN (macOS, Intel without T2). */
        public EraseDevice pin(String pin) {
            return set("PIN", sixDigitPin(pin));
        }

        public EraseDevice preserveDataPlan(boolean v) {
            return set("PreserveDataPlan", v);
        }

        public EraseDevice disallowProximitySetup(boolean v) {
            return set("DisallowProximitySetup", v);
        }

        /** ObliterationBehavior (macOS 12+). */
        public EraseDevice obliterationBehavior(ObliterationBehavior behavior) {
            return set("ObliterationBehavior", behavior.name());
        }

        /** Return to Service (iOS 17+, tvOS 18+). */
        public EraseDevice returnToService(CheckinResponses.ReturnToServiceConfig config) {
            return set("ReturnToService", config.toDict().without("BootstrapToken"));
        }
    }

    /** Values of EraseDevice {@code ObliterationBehavior}. */
    public enum ObliterationBehavior { Default, DoNotObliterate, ObliterateWithWarning, Always }

    /** RestartDevice; {@code notifyUser} (macOS 11.3+) lets the user postpone. */
    public static Command restartDevice(boolean notifyUser) {
        return Command.of("RestartDevice", notifyUser ? PlistDict.of("NotifyUser", true) : PlistDict.empty());
    }

    /** ShutDownDevice. */
    public static Command shutDownDevice() {
        return simple("ShutDownDevice");
    }

    /** ClearPasscode with the device's escrowed UnlockToken. */
    public static Command clearPasscode(byte[] unlockToken) {
        return Command.of("ClearPasscode", PlistDict.of("UnlockToken", unlockToken));
    }

    /** EnableLostMode; at least one of message and phone number is required by the device. */
    public static Command enableLostMode(Optional<String> message, Optional<String> phoneNumber,
                                         Optional<String> footnote) {
        if (message.isEmpty() && phoneNumber.isEmpty()) {
            throw new IllegalArgumentException("EnableLostMode needs a Message or a PhoneNumber");
        }
        return Command.of("EnableLostMode", PlistDict.builder().putOptional("Message", message)
                .putOptional("PhoneNumber", phoneNumber).putOptional("Footnote", footnote).build());
    }

    /** DisableLostMode. */
    public static Command disableLostMode() {
        return simple("DisableLostMode");
    }

    /** PlayLostModeSound. */
    public static Command playLostModeSound() {
        return simple("PlayLostModeSound");
    }

    /** DeviceConfigured (ends the await-configuration phase of ADE). */
    public static Command deviceConfigured() {
        return simple("DeviceConfigured");
    }

    // ------------------------------------------------------------------ passwords and keys (macOS)

    /**
     * SetRecoveryLock (Apple silicon). An empty {@code newPassword} clears the lock; otherwise 8-32 printable ASCII.
     */
    public static Command setRecoveryLock(Optional<String> currentPassword, String newPassword) {
        if (!newPassword.isEmpty()) {
            printableAscii(newPassword, 8, 32, "NewPassword");
        }
        return Command.of("SetRecoveryLock", PlistDict.builder().putOptional("CurrentPassword", currentPassword)
                .put("NewPassword", newPassword).build());
    }

    /** VerifyRecoveryLock. */
    public static Command verifyRecoveryLock(String password) {
        return Command.of("VerifyRecoveryLock", PlistDict.of("Password", password));
    }

    /** SetFirmwarePassword (Intel); an empty {@code newPassword} removes it. */
    public static Command setFirmwarePassword(Optional<String> currentPassword, String newPassword,
                                              Optional<Boolean> allowOroms) {
        if (!newPassword.isEmpty()) {
            printableAscii(newPassword, 1, 64, "NewPassword");
        }
        return Command.of("SetFirmwarePassword", PlistDict.builder().putOptional("CurrentPassword", currentPassword)
                .put("NewPassword", newPassword).putOptional("AllowOroms", allowOroms).build());
    }

    /**
     * RotateFileVaultKey of the personal recovery key, unlocking with the current key; the device encrypts the new
     * key to {@code replyEncryptionCertificate} (DER) and returns it in {@code RotateResult}.
     */
    public static Command rotateFileVaultKey(String currentPersonalRecoveryKey, byte[] replyEncryptionCertificate) {
        return Command.of("RotateFileVaultKey", PlistDict.builder().put("KeyType", "personal")
                .put("FileVaultUnlock", PlistDict.of("Password", currentPersonalRecoveryKey))
                .put("ReplyEncryptionCertificate", replyEncryptionCertificate).build());
    }

    /** SetAutoAdminPassword: {@code passwordHash} is the salted-SHA512-PBKDF2 plist (see AccountConfiguration). */
    public static Command setAutoAdminPassword(String guid, byte[] passwordHash) {
        return Command.of("SetAutoAdminPassword", PlistDict.builder().put("GUID", requireText(guid, "GUID"))
                .put("passwordHash", passwordHash).build());
    }

    /** AccountConfiguration builder (macOS Setup Assistant, ADE). */
    public static AccountConfiguration accountConfiguration() {
        return new AccountConfiguration();
    }

    /** Keys of AccountConfiguration. */
    public static final class AccountConfiguration extends Builder<AccountConfiguration> {
        private final List<PlistDict> admins = new ArrayList<>();

        AccountConfiguration() {
            super("AccountConfiguration");
        }

        public AccountConfiguration skipPrimarySetupAccountCreation(boolean v) {
            return set("SkipPrimarySetupAccountCreation", v);
        }

        public AccountConfiguration setPrimarySetupAccountAsRegularUser(boolean v) {
            return set("SetPrimarySetupAccountAsRegularUser", v);
        }

        public AccountConfiguration dontAutoPopulatePrimaryAccountInfo(boolean v) {
            return set("DontAutoPopulatePrimaryAccountInfo", v);
        }

        public AccountConfiguration lockPrimaryAccountInfo(boolean v) {
            return set("LockPrimaryAccountInfo", v);
        }

        public AccountConfiguration primaryAccount(String fullName, String userName) {
            return set("PrimaryAccountFullName", fullName).set("PrimaryAccountUserName", userName);
        }

        /** Adds an entry to {@code AutoSetupAdminAccounts}. */
        public AccountConfiguration autoSetupAdmin(String shortName, String fullName, byte[] passwordHash,
                                                   boolean hidden) {
            admins.add(PlistDict.builder().put("shortName", requireText(shortName, "shortName"))
                    .put("fullName", fullName).put("passwordHash", passwordHash).put("hidden", hidden).build());
            return set("AutoSetupAdminAccounts", admins);
        }
    }

    // ------------------------------------------------------------------ declarative management, updates, settings

    /** DeclarativeManagement carrying the tokens JSON ({@code SyncTokens}). */
    public static Command declarativeManagement(byte[] tokensJson) {
        return Command.of("DeclarativeManagement", PlistDict.of("Data", tokensJson));
    }

    /** ScheduleOSUpdateScan. */
    public static Command scheduleOSUpdateScan(boolean force) {
        return Command.of("ScheduleOSUpdateScan", PlistDict.of("Force", force));
    }

    /** ScheduleOSUpdate with one or more updates. */
    public static Command scheduleOSUpdate(List<OSUpdate> updates) {
        if (updates.isEmpty()) {
            throw new IllegalArgumentException("ScheduleOSUpdate needs at least one update");
        }
        List<PlistDict> list = new ArrayList<>();
        for (OSUpdate u : updates) {
            list.add(u.toDict());
        }
        return Command.of("ScheduleOSUpdate", PlistDict.of("Updates", list));
    }

    /** Values of ScheduleOSUpdate {@code InstallAction}. */
    public enum InstallAction { Default, DownloadOnly, InstallASAP, NotifyOnly, InstallLater, InstallForceRestart }

    /** One entry of ScheduleOSUpdate {@code Updates}. */
    public record OSUpdate(Optional<String> productKey, Optional<String> productVersion, InstallAction installAction,
                           Optional<Integer> maxUserDeferrals, Optional<String> priority) {
        /** An update by product key with an install action. */
        public static OSUpdate of(String productKey, InstallAction action) {
            return new OSUpdate(Optional.of(productKey), Optional.empty(), action, Optional.empty(),
                    Optional.empty());
        }

        /** An update by product version (macOS 12+, iOS 15+). */
        public static OSUpdate ofVersion(String productVersion, InstallAction action) {
            return new OSUpdate(Optional.empty(), Optional.of(productVersion), action, Optional.empty(),
                    Optional.empty());
        }

        public PlistDict toDict() {
            return PlistDict.builder().putOptional("ProductKey", productKey)
                    .putOptional("ProductVersion", productVersion).put("InstallAction", installAction.name())
                    .putOptional("MaxUserDeferrals", maxUserDeferrals).putOptional("Priority", priority).build();
        }
    }

    /** Settings with one or more items (see {@link Setting}). */
    public static Command settings(List<PlistDict> items) {
        if (items.isEmpty()) {
            throw new IllegalArgumentException("Settings needs at least one item");
        }
        return Command.of("Settings", PlistDict.of("Settings", items));
    }

    /** Items of the Settings command. */
    public static final class Setting {
        private Setting() {
        }

        private static PlistDict item(String item, Object... keysAndValues) {
            return PlistDict.builder().put("Item", item).putAll(PlistDict.of(keysAndValues)).build();
        }

        public static PlistDict deviceName(String name) {
            return item("DeviceName", "DeviceName", name);
        }

        public static PlistDict hostName(String name) {
            return item("HostName", "HostName", name);
        }

        public static PlistDict timeZone(String tz) {
            return item("TimeZone", "TimeZone", tz);
        }

        /** Item {@code Bluetooth}, {@code DataRoaming}, {@code VoiceRoaming}, {@code PersonalHotspot},
         * {@code DiagnosticSubmission} or {@code AppAnalytics} with {@code Enabled}. */
        public static PlistDict enabled(String item, boolean enabled) {
            return item(item, "Enabled", enabled);
        }

        public static PlistDict mdmOptions(PlistDict options) {
            return item("MDMOptions", "MDMOptions", options);
        }

        public static PlistDict organizationInfo(PlistDict info) {
            return item("OrganizationInfo", "OrganizationInfo", info);
        }

        public static PlistDict applicationConfiguration(String identifier, PlistDict configuration) {
            return item("ApplicationConfiguration", "Identifier", identifier, "Configuration", configuration);
        }

        public static PlistDict applicationAttributes(String identifier, PlistDict attributes) {
            return item("ApplicationAttributes", "Identifier", identifier, "Attributes", attributes);
        }

        public static PlistDict maximumResidentUsers(int users) {
            return item("MaximumResidentUsers", "MaximumResidentUsers", users);
        }

        /** {@code Where}: 1 lock screen, 2 home screen, 3 both. */
        public static PlistDict wallpaper(byte[] image, int where) {
            return item("Wallpaper", "Image", image, "Where", where);
        }

        /** {@code RecommendationCadence}: 0 all, 1 oldest, 2 newest. */
        public static PlistDict softwareUpdateSettings(int recommendationCadence) {
            return item("SoftwareUpdateSettings", "RecommendationCadence", recommendationCadence);
        }

        /** Seconds: 0, 60, 300, 900, 3600 or 14400. */
        public static PlistDict passcodeLockGracePeriod(int seconds) {
            return item("PasscodeLockGracePeriod", "PasscodeLockGracePeriod", seconds);
        }
    }

    // ------------------------------------------------------------------ users

    /** DeleteUser of one user. */
    public static Command deleteUser(String userName, boolean forceDeletion) {
        return Command.of("DeleteUser", PlistDict.of("UserName", requireText(userName, "UserName"),
                "ForceDeletion", forceDeletion));
    }

    /** DeleteUser of all users (Shared iPad). */
    public static Command deleteAllUsers(boolean forceDeletion) {
        return Command.of("DeleteUser", PlistDict.of("DeleteAllUsers", true, "ForceDeletion", forceDeletion));
    }

    /** LogOutUser (Shared iPad). */
    public static Command logOutUser() {
        return simple("LogOutUser");
    }

    /** UnlockUserAccount (macOS). */
    public static Command unlockUserAccount(String userName) {
        return Command.of("UnlockUserAccount", PlistDict.of("UserName", requireText(userName, "UserName")));
    }

    // ------------------------------------------------------------------ checks

    private static String requireText(String s, String key) {
        if (s == null || s.isBlank()) {
            throw new IllegalArgumentException(key + " must not be empty");
        }
        return s;
    }

    private static String sixDigitPin(String pin) {
        if (pin == null || !pin.matches("[0-9]{6}")) {
            throw new IllegalArgumentException("PIN must be six digits");
        }
        return pin;
    }

    private static void printableAscii(String s, int min, int max, String key) {
        if (s.length() < min || s.length() > max || !s.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
            throw new IllegalArgumentException(key + " must be " + min + "-" + max + " printable ASCII characters");
        }
    }
}
