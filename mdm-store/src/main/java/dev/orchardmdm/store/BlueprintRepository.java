package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/**
 * Blueprints and the configurations they point to (FileVault, recovery password). A configuration
 * or blueprint still in use cannot be deleted ({@link InvalidStateException}).
 */
public final class BlueprintRepository extends Repository {
    private static final String RP_COLUMNS = "id, name, dynamic_password, (static_password IS NOT NULL) AS has_static_password,"
            + " rotation_interval_days, reveal_rotation_delay, rotate_firmware_password, created_at, updated_at";

    public BlueprintRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    // ---- blueprints

    /** Creates a blueprint; returns the stored row. */
    public Blueprint createBlueprint(Blueprint.Spec spec) throws StoreException {
        Instant now = now();
        return tx(h -> findBlueprint(h, insertReturningId(h, "INSERT INTO blueprints (name, inventory_interval, collect_apps,"
                + " collect_certificates, collect_profiles, legacy_profiles_via_ddm, filevault_config_id,"
                + " recovery_password_config_id, default_location_id, created_at, updated_at) VALUES (:name, :inventoryInterval,"
                + " :collectApps, :collectCertificates, :collectProfiles, :legacyProfilesViaDdm, :filevaultConfigId,"
                + " :recoveryPasswordConfigId, :defaultLocationId, :now, :now)", q -> q.bindMethods(spec).bind("now", now))));
    }

    /** Replaces the admin-set fields of a blueprint; returns the stored row. */
    public Blueprint updateBlueprint(long id, Blueprint.Spec spec) throws StoreException {
        return tx(h -> {
            requireUpdated(h.createUpdate("UPDATE blueprints SET name = :name, inventory_interval = :inventoryInterval,"
                    + " collect_apps = :collectApps, collect_certificates = :collectCertificates, collect_profiles = :collectProfiles,"
                    + " legacy_profiles_via_ddm = :legacyProfilesViaDdm, filevault_config_id = :filevaultConfigId,"
                    + " recovery_password_config_id = :recoveryPasswordConfigId, default_location_id = :defaultLocationId,"
                    + " updated_at = :now WHERE id = :id").bindMethods(spec).bind("now", now()).bind("id", id).execute(), "blueprint", id);
            return findBlueprint(h, id);
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<Blueprint> findBlueprint(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM blueprints WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(Blueprint.class)).findOne());
    }

    /** Blueprints by id, optionally only the one named {@code name}. */
    public List<Blueprint> listBlueprints(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM blueprints WHERE (:n IS NULL OR name = :n) ORDER BY id")
                .bind("n", name).map(ConstructorMapper.of(Blueprint.class)).list());
    }

    /** Deletes a blueprint (devices and enrollments using it are left without one). */
    public void deleteBlueprint(long id) throws StoreException {
        delete("blueprints", id);
    }

    // ---- FileVault configurations

    /** Creates a file vault config; returns the stored row. */
    public FileVaultConfig createFileVaultConfig(FileVaultConfig.Spec spec) throws StoreException {
        Instant now = now();
        return tx(h -> findFileVault(h, insertReturningId(h, "INSERT INTO filevault_configs (name, escrow_location_display_name,"
                + " at_login_only, bypass_attempts, show_recovery_key, destroy_key_on_standby, prk_rotation_interval_days,"
                + " prk_reveal_rotation_delay, created_at, updated_at) VALUES (:name, :escrowLocationDisplayName, :atLoginOnly,"
                + " :bypassAttempts, :showRecoveryKey, :destroyKeyOnStandby, :prkRotationIntervalDays, :prkRevealRotationDelay,"
                + " :now, :now)", q -> q.bindMethods(spec).bind("now", now))));
    }

    /** Replaces the admin-set fields of a file vault config; returns the stored row. */
    public FileVaultConfig updateFileVaultConfig(long id, FileVaultConfig.Spec spec) throws StoreException {
        return tx(h -> {
            requireUpdated(h.createUpdate("UPDATE filevault_configs SET name = :name, escrow_location_display_name ="
                    + " :escrowLocationDisplayName, at_login_only = :atLoginOnly, bypass_attempts = :bypassAttempts,"
                    + " show_recovery_key = :showRecoveryKey, destroy_key_on_standby = :destroyKeyOnStandby,"
                    + " prk_rotation_interval_days = :prkRotationIntervalDays, prk_reveal_rotation_delay = :prkRevealRotationDelay,"
                    + " updated_at = :now WHERE id = :id").bindMethods(spec).bind("now", now()).bind("id", id).execute(),
                    "filevault config", id);
            return findFileVault(h, id);
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<FileVaultConfig> findFileVaultConfig(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM filevault_configs WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(FileVaultConfig.class)).findOne());
    }

    /** File vault configs by id; a null name does not filter. */
    public List<FileVaultConfig> listFileVaultConfigs(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM filevault_configs WHERE (:n IS NULL OR name = :n) ORDER BY id")
                .bind("n", name).map(ConstructorMapper.of(FileVaultConfig.class)).list());
    }

    /** @throws InvalidStateException while a blueprint uses it */
    public void deleteFileVaultConfig(long id) throws StoreException {
        delete("filevault_configs", id);
    }

    // ---- recovery password configurations

    /** Creates a recovery password config; returns the stored row. */
    public RecoveryPasswordConfig createRecoveryPasswordConfig(RecoveryPasswordConfig.Spec spec) throws StoreException {
        Instant now = now();
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO recovery_password_configs (name, dynamic_password, rotation_interval_days,"
                    + " reveal_rotation_delay, rotate_firmware_password, created_at, updated_at) VALUES (:name, :dynamicPassword,"
                    + " :rotationIntervalDays, :revealRotationDelay, :rotateFirmwarePassword, :now, :now)",
                    q -> q.bindMethods(spec).bind("now", now));
            writeStaticPassword(h, id, spec.staticPassword());
            return findRecovery(h, id);
        });
    }

    /** Replaces the admin-set fields of a recovery password config; returns the stored row. */
    public RecoveryPasswordConfig updateRecoveryPasswordConfig(long id, RecoveryPasswordConfig.Spec spec) throws StoreException {
        return tx(h -> {
            requireUpdated(h.createUpdate("UPDATE recovery_password_configs SET name = :name, dynamic_password = :dynamicPassword,"
                    + " rotation_interval_days = :rotationIntervalDays, reveal_rotation_delay = :revealRotationDelay,"
                    + " rotate_firmware_password = :rotateFirmwarePassword, updated_at = :now WHERE id = :id")
                    .bindMethods(spec).bind("now", now()).bind("id", id).execute(), "recovery password config", id);
            writeStaticPassword(h, id, spec.staticPassword());
            return findRecovery(h, id);
        });
    }

    private void writeStaticPassword(org.jdbi.v3.core.Handle h, long id, String password) {
        h.createUpdate("UPDATE recovery_password_configs SET static_password = :p WHERE id = :id")
                .bind("p", secrets.sealString("recovery_password_configs", "static_password", Long.toString(id), password))
                .bind("id", id).execute();
    }

    /** The decrypted static password, if the configuration has one. */
    public Optional<String> staticPassword(long id) throws StoreException {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT static_password FROM recovery_password_configs WHERE id = :id")
                .bind("id", id).mapTo(byte[].class).findOne().orElse(null));
        return Optional.ofNullable(secrets.openString("recovery_password_configs", "static_password", Long.toString(id), sealed));
    }

    /** Looks up by id; empty if there is none. */
    public Optional<RecoveryPasswordConfig> findRecoveryPasswordConfig(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RP_COLUMNS + " FROM recovery_password_configs WHERE id = :id")
                .bind("id", id).map(ConstructorMapper.of(RecoveryPasswordConfig.class)).findOne());
    }

    /** Recovery password configs by id; a null name does not filter. */
    public List<RecoveryPasswordConfig> listRecoveryPasswordConfigs(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + RP_COLUMNS + " FROM recovery_password_configs"
                        + " WHERE (:n IS NULL OR name = :n) ORDER BY id")
                .bind("n", name).map(ConstructorMapper.of(RecoveryPasswordConfig.class)).list());
    }

    /** @throws InvalidStateException while a blueprint uses it */
    public void deleteRecoveryPasswordConfig(long id) throws StoreException {
        delete("recovery_password_configs", id);
    }

    // ---- helpers

    private void delete(String table, long id) throws StoreException {
        tx(h -> requireUpdated(h.createUpdate("DELETE FROM " + table + " WHERE id = :id").bind("id", id).execute(), table, id));
    }

    static Void requireUpdated(int n, String what, Object id) throws NotFoundException {
        if (n == 0) {
            throw new NotFoundException(what + " " + id);
        }
        return null;
    }

    private static Blueprint findBlueprint(org.jdbi.v3.core.Handle h, long id) {
        return h.createQuery("SELECT * FROM blueprints WHERE id = :id").bind("id", id).map(ConstructorMapper.of(Blueprint.class)).one();
    }

    private static FileVaultConfig findFileVault(org.jdbi.v3.core.Handle h, long id) {
        return h.createQuery("SELECT * FROM filevault_configs WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(FileVaultConfig.class)).one();
    }

    private static RecoveryPasswordConfig findRecovery(org.jdbi.v3.core.Handle h, long id) {
        return h.createQuery("SELECT " + RP_COLUMNS + " FROM recovery_password_configs WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(RecoveryPasswordConfig.class)).one();
    }
}
