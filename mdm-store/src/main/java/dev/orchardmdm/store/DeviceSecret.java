package dev.orchardmdm.store;

/** The encrypted columns of {@code enrolled_devices}. */
public enum DeviceSecret {
    BOOTSTRAP_TOKEN("bootstrap_token", null),
    UNLOCK_TOKEN("unlock_token", null),
    FILEVAULT_ESCROW_KEY("filevault_escrow_key", null),
    FILEVAULT_PRK("filevault_prk", "filevault_prk_updated_at"),
    RECOVERY_PASSWORD("recovery_password", "recovery_password_updated_at"),
    PENDING_FIRMWARE_PASSWORD("pending_firmware_password", "pending_firmware_password_updated_at"),
    ADMIN_PASSWORD("admin_password", "admin_password_updated_at"),
    DEVICE_LOCK_PIN("device_lock_pin", "device_lock_pin_updated_at");

    private final String column;
    private final String updatedAtColumn;

    DeviceSecret(String column, String updatedAtColumn) {
        this.column = column;
        this.updatedAtColumn = updatedAtColumn;
    }

    /** The column holding the sealed value. */
    public String column() {
        return column;
    }

    /** The column recording when it was last set, or null. */
    String updatedAtColumn() {
        return updatedAtColumn;
    }
}
