package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.JsonBody;
import dev.orchardmdm.store.Blueprint;
import dev.orchardmdm.store.BlueprintRepository;
import dev.orchardmdm.store.FileVaultConfig;
import dev.orchardmdm.store.RecoveryPasswordConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Policy objects, Zentral CRUD: {@code blueprints/}, {@code filevault_configs/},
 * {@code recovery_password_configs/} (the static password is write-only: it never appears in a
 * response or in the audit trail).
 */
public final class ConfigRoutes implements ApiModule {

    private static final List<String> COLLECT = List.of("NO", "MANAGED_ONLY", "ALL");

    private final BlueprintRepository repository;
    private final ApiAudit audit;

    public ConfigRoutes(BlueprintRepository repository, ApiAudit audit) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        List<ApiRoute> routes = new ArrayList<>();
        routes.addAll(new CrudRoutes<>("/api/mdm/blueprints/", "blueprint", "blueprint", repository::listBlueprints,
                repository::findBlueprint, (id, body) -> id == null ? repository.createBlueprint(blueprint(body))
                : repository.updateBlueprint(id, blueprint(body)), repository::deleteBlueprint,
                ConfigRoutes::blueprint, Blueprint::id, audit).routes());
        routes.addAll(new CrudRoutes<>("/api/mdm/filevault_configs/", "filevaultconfig", "FileVault configuration",
                repository::listFileVaultConfigs, repository::findFileVaultConfig,
                (id, body) -> id == null ? repository.createFileVaultConfig(fileVault(body))
                        : repository.updateFileVaultConfig(id, fileVault(body)), repository::deleteFileVaultConfig,
                ConfigRoutes::fileVault, FileVaultConfig::id, audit).routes());
        routes.addAll(new CrudRoutes<>("/api/mdm/recovery_password_configs/", "recoverypasswordconfig",
                "recovery password configuration", repository::listRecoveryPasswordConfigs,
                repository::findRecoveryPasswordConfig,
                (id, body) -> id == null ? repository.createRecoveryPasswordConfig(recovery(body))
                        : repository.updateRecoveryPasswordConfig(id, recovery(body)),
                repository::deleteRecoveryPasswordConfig, ConfigRoutes::recovery, RecoveryPasswordConfig::id,
                audit).routes());
        return routes;
    }

    static Blueprint.Spec blueprint(JsonBody b) throws ApiException {
        return new Blueprint.Spec(b.string("name", 256),
                b.optInt("inventory_interval", 4 * 3600, 7 * 86400, 86400),
                collect(b, "collect_apps"), collect(b, "collect_certificates"), collect(b, "collect_profiles"),
                b.optBool("legacy_profiles_via_ddm").orElse(true), b.optId("filevault_config").orElse(null),
                b.optId("recovery_password_config").orElse(null), b.optId("default_location").orElse(null));
    }

    private static String collect(JsonBody b, String field) throws ApiException {
        return COLLECT.get(b.optInt(field, 0, 2, 0));
    }

    /** Zentral's blueprint JSON ({@code collect_*}: 0 no, 1 managed only, 2 all). */
    public static Map<String, Object> blueprint(Blueprint b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.id());
        m.put("name", b.name());
        m.put("inventory_interval", b.inventoryInterval());
        m.put("collect_apps", COLLECT.indexOf(b.collectApps()));
        m.put("collect_certificates", COLLECT.indexOf(b.collectCertificates()));
        m.put("collect_profiles", COLLECT.indexOf(b.collectProfiles()));
        m.put("legacy_profiles_via_ddm", b.legacyProfilesViaDdm());
        m.put("filevault_config", b.filevaultConfigId());
        m.put("recovery_password_config", b.recoveryPasswordConfigId());
        m.put("default_location", b.defaultLocationId());
        m.put("created_at", ApiTimestamps.format(b.createdAt()));
        m.put("updated_at", ApiTimestamps.format(b.updatedAt()));
        return m;
    }

    static FileVaultConfig.Spec fileVault(JsonBody b) throws ApiException {
        long delay = b.optLong("prk_reveal_rotation_delay", 0, 1440).orElse(0L);
        if (delay != 0 && delay < 5) {
            throw ApiException.field("prk_reveal_rotation_delay", "Must be 0 or between 5 and 1440 minutes.");
        }
        return new FileVaultConfig.Spec(b.string("name", 256), b.string("escrow_location_display_name", 256),
                b.optBool("at_login_only").orElse(false), b.optInt("bypass_attempts", -1, 9999, -1),
                b.optBool("show_recovery_key").orElse(false), b.optBool("destroy_key_on_standby").orElse(false),
                b.optInt("prk_rotation_interval_days", 0, 366, 0), (int) delay);
    }

    /** Zentral's FileVault configuration JSON. */
    public static Map<String, Object> fileVault(FileVaultConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("escrow_location_display_name", c.escrowLocationDisplayName());
        m.put("at_login_only", c.atLoginOnly());
        m.put("bypass_attempts", c.bypassAttempts());
        m.put("show_recovery_key", c.showRecoveryKey());
        m.put("destroy_key_on_standby", c.destroyKeyOnStandby());
        m.put("prk_rotation_interval_days", c.prkRotationIntervalDays());
        m.put("prk_reveal_rotation_delay", c.prkRevealRotationDelay());
        m.put("created_at", ApiTimestamps.format(c.createdAt()));
        m.put("updated_at", ApiTimestamps.format(c.updatedAt()));
        return m;
    }

    static RecoveryPasswordConfig.Spec recovery(JsonBody b) throws ApiException {
        boolean dynamic = b.optBool("dynamic_password").orElse(true);
        String staticPassword = b.optString("static_password", 32).orElse(null);
        if (dynamic && staticPassword != null) {
            throw ApiException.field("static_password", "Cannot be set with a dynamic password.");
        }
        if (!dynamic && (staticPassword == null || !staticPassword.matches("[\\x20-\\x7e]{8,32}"))) {
            throw ApiException.field("static_password", "Required without a dynamic password: 8 to 32 printable"
                    + " ASCII characters.");
        }
        int rotation = b.optInt("rotation_interval_days", 0, 365, 0);
        boolean rotateFirmware = b.optBool("rotate_firmware_password").orElse(false);
        if (!dynamic && (rotation != 0 || rotateFirmware)) {
            throw ApiException.field("rotation_interval_days", "Rotation requires a dynamic password.");
        }
        return new RecoveryPasswordConfig.Spec(b.string("name", 256), dynamic, staticPassword, rotation,
                b.optInt("reveal_rotation_delay", 0, 1440, 0), rotateFirmware);
    }

    /** Zentral's recovery password configuration JSON (without the static password). */
    public static Map<String, Object> recovery(RecoveryPasswordConfig c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("name", c.name());
        m.put("dynamic_password", c.dynamicPassword());
        m.put("rotation_interval_days", c.rotationIntervalDays());
        m.put("reveal_rotation_delay", c.revealRotationDelay());
        m.put("rotate_firmware_password", c.rotateFirmwarePassword());
        m.put("created_at", ApiTimestamps.format(c.createdAt()));
        m.put("updated_at", ApiTimestamps.format(c.updatedAt()));
        return m;
    }
}
