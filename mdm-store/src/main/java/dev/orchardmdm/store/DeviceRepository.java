package dev.orchardmdm.store;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/** Enrolled devices: identity, push, inventory facts, flags and escrowed secrets (encrypted). */
public final class DeviceRepository extends Repository {
    static final String TABLE = "enrolled_devices";
    private static final String COLUMNS = "id, udid, enrollment_id, serial_number, name, model, platform, os_version,"
            + " os_version_extra, build_version, build_version_extra, apple_silicon, push_certificate_id, push_token,"
            + " push_magic, push_topic, push_token_dead, cert_fingerprint, cert_not_valid_after, blueprint_id,"
            + " awaiting_configuration, declarative_management, declarations_token, dep_enrollment, user_enrollment,"
            + " user_approved_enrollment, supervised, (bootstrap_token IS NOT NULL) AS bootstrap_token_escrowed,"
            + " filevault_enabled, (filevault_prk IS NOT NULL) AS filevault_prk_escrowed, activation_lock_manageable,"
            + " filevault_config_uuid, admin_guid, last_ip, last_seen_at, last_notified_at, checkout_at, blocked_at,"
            + " created_at, updated_at";
    static final String SELECT = "SELECT " + COLUMNS + " FROM enrolled_devices";

    public DeviceRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /**
     * What an MDM {@code Authenticate} (after identity checks) establishes about a device.
     *
     * @param enrollmentId the normalised enrollment id of the device channel
     */
    public record Authentication(String udid, String enrollmentId, String serialNumber, String name, String model,
                                 String platform, String osVersion, String buildVersion, Long pushCertificateId,
                                 String certFingerprint, Instant certNotValidAfter, Long blueprintId,
                                 boolean depEnrollment, boolean userEnrollment) {
        public Authentication {
            Objects.requireNonNull(udid, "udid");
            Objects.requireNonNull(enrollmentId, "enrollmentId");
        }
    }

    /** What a {@code TokenUpdate} carries. {@code unlockToken} and {@code awaitingConfiguration} may be null (unchanged). */
    public record TokenUpdate(byte[] pushToken, String pushMagic, String pushTopic, byte[] unlockToken,
                              Boolean awaitingConfiguration) {
    }

    /**
     * Facts learnt from DeviceInformation / SecurityInfo and similar; null fields leave the stored value unchanged.
     *
     * @param deviceInformation JSON text of the last DeviceInformation answer, or null
     * @param securityInfo      JSON text of the last SecurityInfo answer, or null
     */
    public record DeviceFacts(String serialNumber, String name, String model, String platform, String osVersion,
                              String osVersionExtra, String buildVersion, String buildVersionExtra, Boolean appleSilicon,
                              Boolean supervised, Boolean depEnrollment, Boolean userEnrollment,
                              Boolean userApprovedEnrollment, Boolean activationLockManageable, Boolean filevaultEnabled,
                              String deviceInformation, String securityInfo) {
        public DeviceFacts {
            deviceInformation = Json.checked(deviceInformation, "deviceInformation");
            securityInfo = Json.checked(securityInfo, "securityInfo");
        }
    }

    /** Filters of {@link #list}; null fields do not filter. {@code ordering}: a column name, prefix "-" for descending. */
    public record DeviceQuery(String serialNumber, String udid, Long blueprintId, Boolean blocked, String ordering,
                              int limit, int offset) {
        public static DeviceQuery all(int limit, int offset) {
            return new DeviceQuery(null, null, null, null, null, limit, offset);
        }
    }

    /**
     * Creates or re-enrolls the device with {@code a.udid()}: identity fields are set, checkout is
     * cleared, and the push state of a previous enrollment is purged (escrowed secrets stay).
     *
     * @throws InvalidStateException if the device is blocked
     * @throws ConflictException     if another device has the enrollment id
     */
    public EnrolledDevice authenticate(Authentication a) throws StoreException {
        Instant now = now();
        return tx(h -> {
            Optional<EnrolledDevice> existing = h.createQuery(SELECT + " WHERE udid = :u").bind("u", a.udid())
                    .map(DeviceRepository::map).findOne();
            long id;
            if (existing.isPresent()) {
                if (existing.get().blockedAt() != null) {
                    throw new InvalidStateException("device " + a.udid() + " is blocked");
                }
                id = existing.get().id();
                h.createUpdate("UPDATE enrolled_devices SET enrollment_id = :enrollmentId, serial_number = :serialNumber,"
                                + " name = COALESCE(:name, name), model = COALESCE(:model, model),"
                                + " platform = COALESCE(:platform, platform), os_version = COALESCE(:osVersion, os_version),"
                                + " build_version = COALESCE(:buildVersion, build_version), push_certificate_id = :pushCertificateId,"
                                + " cert_fingerprint = :certFingerprint, cert_not_valid_after = :certNotValidAfter,"
                                + " blueprint_id = :blueprintId, dep_enrollment = :depEnrollment, user_enrollment = :userEnrollment,"
                                + " push_token = NULL, push_magic = NULL, push_topic = NULL, push_token_dead = FALSE,"
                                + " unlock_token = NULL, declarative_management = FALSE, declarations_token = NULL,"
                                + " awaiting_configuration = FALSE, checkout_at = NULL, updated_at = :now WHERE id = :id")
                        .bindMethods(a).bind("now", now).bind("id", id).execute();
            } else {
                id = insertReturningId(h, "INSERT INTO enrolled_devices (udid, enrollment_id, serial_number, name, model, platform,"
                        + " os_version, build_version, push_certificate_id, cert_fingerprint, cert_not_valid_after, blueprint_id,"
                        + " dep_enrollment, user_enrollment, created_at, updated_at) VALUES (:udid, :enrollmentId, :serialNumber,"
                        + " :name, :model, :platform, :osVersion, :buildVersion, :pushCertificateId, :certFingerprint,"
                        + " :certNotValidAfter, :blueprintId, :depEnrollment, :userEnrollment, :now, :now)",
                        q -> q.bindMethods(a).bind("now", now));
            }
            return get(h, id);
        });
    }

    /** Stores the push token, magic and topic (and the unlock token, encrypted) of a {@code TokenUpdate}. */
    public EnrolledDevice tokenUpdate(long id, TokenUpdate t) throws StoreException {
        Objects.requireNonNull(t.pushToken(), "pushToken");
        return tx(h -> {
            EnrolledDevice d = find(h, id).orElseThrow(() -> new NotFoundException("device " + id));
            h.createUpdate("UPDATE enrolled_devices SET push_token = :token, push_magic = :magic, push_topic = :topic,"
                            + " push_token_dead = FALSE, unlock_token = COALESCE(:unlock, unlock_token),"
                            + " awaiting_configuration = COALESCE(:awaiting, awaiting_configuration), updated_at = :now WHERE id = :id")
                    .bind("token", t.pushToken()).bind("magic", t.pushMagic()).bind("topic", t.pushTopic())
                    .bind("unlock", secrets.seal(TABLE, DeviceSecret.UNLOCK_TOKEN.column(), d.udid(), t.unlockToken()))
                    .bind("awaiting", t.awaitingConfiguration()).bind("now", now()).bind("id", id).execute();
            return get(h, id);
        });
    }

    /** Updates inventory facts and flags; null fields are left as they are. */
    public EnrolledDevice updateFacts(long id, DeviceFacts f) throws StoreException {
        return tx(h -> {
            int n = h.createUpdate("UPDATE enrolled_devices SET serial_number = COALESCE(:serialNumber, serial_number),"
                            + " name = COALESCE(:name, name), model = COALESCE(:model, model), platform = COALESCE(:platform, platform),"
                            + " os_version = COALESCE(:osVersion, os_version), os_version_extra = COALESCE(:osVersionExtra, os_version_extra),"
                            + " build_version = COALESCE(:buildVersion, build_version),"
                            + " build_version_extra = COALESCE(:buildVersionExtra, build_version_extra),"
                            + " apple_silicon = COALESCE(:appleSilicon, apple_silicon), supervised = COALESCE(:supervised, supervised),"
                            + " dep_enrollment = COALESCE(:depEnrollment, dep_enrollment),"
                            + " user_enrollment = COALESCE(:userEnrollment, user_enrollment),"
                            + " user_approved_enrollment = COALESCE(:userApprovedEnrollment, user_approved_enrollment),"
                            + " activation_lock_manageable = COALESCE(:activationLockManageable, activation_lock_manageable),"
                            + " filevault_enabled = COALESCE(:filevaultEnabled, filevault_enabled),"
                            + " device_information = COALESCE(:deviceInformation, device_information),"
                            + " device_information_updated_at = CASE WHEN :deviceInformation IS NULL THEN device_information_updated_at ELSE :now END,"
                            + " security_info = COALESCE(:securityInfo, security_info),"
                            + " security_info_updated_at = CASE WHEN :securityInfo IS NULL THEN security_info_updated_at ELSE :now END,"
                            + " updated_at = :now WHERE id = :id")
                    .bindMethods(f).bind("now", now()).bind("id", id).execute();
            if (n == 0) {
                throw new NotFoundException("device " + id);
            }
            return get(h, id);
        });
    }

    /** The last DeviceInformation JSON stored by {@link #updateFacts}. */
    public Optional<String> deviceInformation(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT device_information FROM enrolled_devices WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    /** The last SecurityInfo JSON stored by {@link #updateFacts}. */
    public Optional<String> securityInfo(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT security_info FROM enrolled_devices WHERE id = :id")
                .bind("id", id).mapTo(String.class).findOne());
    }

    /** Records a connect/check-in: last_seen_at = now, and the client IP. */
    public void markSeen(long id, String ip) throws StoreException {
        set(id, "last_seen_at = :now, last_ip = :v", ip);
    }

    /** Records that a push was sent. */
    public void markNotified(long id) throws StoreException {
        set(id, "last_notified_at = :now", null);
    }

    /** Flags the push token as dead (APNs 410 / BadDeviceToken): no more pushes until a TokenUpdate. */
    public void markPushTokenDead(long id) throws StoreException {
        set(id, "push_token_dead = TRUE", null);
    }

    /** Sets the awaiting configuration. */
    public void setAwaitingConfiguration(long id, boolean awaiting) throws StoreException {
        set(id, "awaiting_configuration = :v", awaiting);
    }

    /** Declarative management state: enabled flag and the last acknowledged declarations token. */
    public void setDeclarativeManagement(long id, boolean enabled, String declarationsToken) throws StoreException {
        tx(h -> requireOne(h.createUpdate("UPDATE enrolled_devices SET declarative_management = :e, declarations_token = :t,"
                        + " updated_at = :now WHERE id = :id").bind("e", enabled).bind("t", declarationsToken)
                .bind("now", now()).bind("id", id).execute(), id));
    }

    /** Changes the blueprint (null: none). */
    public void setBlueprint(long id, Long blueprintId) throws StoreException {
        set(id, "blueprint_id = :v", blueprintId);
    }

    /** Sets the file vault config uuid. */
    public void setFileVaultConfigUuid(long id, String configUuid) throws StoreException {
        set(id, "filevault_config_uuid = :v", configUuid);
    }

    /** Sets the admin guid. */
    public void setAdminGuid(long id, String adminGuid) throws StoreException {
        set(id, "admin_guid = :v", adminGuid);
    }

    /** CheckOut: the device left management; its push state is purged. */
    public void checkout(long id) throws StoreException {
        set(id, "checkout_at = :now, push_token = NULL, push_magic = NULL, push_token_dead = FALSE", null);
    }

    /**
     * Blocks the device (it is released and may not enroll again until unblocked).
     *
     * @throws InvalidStateException if it is already blocked
     */
    public EnrolledDevice block(long id) throws StoreException {
        return toggleBlock(id, true);
    }

    /** @throws InvalidStateException if it is not blocked */
    public EnrolledDevice unblock(long id) throws StoreException {
        return toggleBlock(id, false);
    }

    private EnrolledDevice toggleBlock(long id, boolean block) throws StoreException {
        return tx(h -> {
            find(h, id).orElseThrow(() -> new NotFoundException("device " + id));
            int n = h.createUpdate("UPDATE enrolled_devices SET blocked_at = " + (block ? ":now" : "NULL")
                            + ", updated_at = :now WHERE id = :id AND blocked_at IS " + (block ? "NULL" : "NOT NULL"))
                    .bind("now", now()).bind("id", id).execute();
            if (n == 0) {
                throw new InvalidStateException(block ? "device already blocked" : "device not blocked");
            }
            return get(h, id);
        });
    }

    private void set(long id, String assignments, Object value) throws StoreException {
        tx(h -> requireOne(h.createUpdate("UPDATE enrolled_devices SET " + assignments + ", updated_at = :now WHERE id = :id")
                .bind("v", value).bind("now", now()).bind("id", id).execute(), id));
    }

    private static Void requireOne(int updated, long id) throws NotFoundException {
        if (updated == 0) {
            throw new NotFoundException("device " + id);
        }
        return null;
    }

    /** Escrows a secret (encrypted with the device UDID as row key); null clears it. */
    public void storeSecret(long id, DeviceSecret kind, byte[] value) throws StoreException {
        tx(h -> {
            EnrolledDevice d = find(h, id).orElseThrow(() -> new NotFoundException("device " + id));
            String stamp = kind.updatedAtColumn() == null ? "" : ", " + kind.updatedAtColumn() + " = :now";
            h.createUpdate("UPDATE enrolled_devices SET " + kind.column() + " = :v" + stamp + ", updated_at = :now WHERE id = :id")
                    .bind("v", secrets.seal(TABLE, kind.column(), d.udid(), value)).bind("now", now()).bind("id", id).execute();
            return null;
        });
    }

    /**
     * Clears escrowed secrets of the device in one statement (when it is re-bound to an enrollment
     * that may not read them); their updated-at stamps are cleared too.
     */
    public void clearSecrets(long id, java.util.Collection<DeviceSecret> kinds) throws StoreException {
        if (kinds.isEmpty()) {
            return;
        }
        StringBuilder assignments = new StringBuilder();
        for (DeviceSecret kind : java.util.EnumSet.copyOf(kinds)) {
            assignments.append(kind.column()).append(" = NULL, ");
            if (kind.updatedAtColumn() != null) {
                assignments.append(kind.updatedAtColumn()).append(" = NULL, ");
            }
        }
        tx(h -> requireOne(h.createUpdate("UPDATE enrolled_devices SET " + assignments + "updated_at = :now WHERE id = :id")
                .bind("now", now()).bind("id", id).execute(), id));
    }

    /** Escrows a text secret (UTF-8); null clears it. */
    public void storeSecret(long id, DeviceSecret kind, String value) throws StoreException {
        storeSecret(id, kind, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    /** The decrypted secret, if escrowed. */
    public Optional<byte[]> secret(long id, DeviceSecret kind) throws StoreException {
        Map.Entry<String, byte[]> s = jdbi.withHandle(h -> h.createQuery("SELECT udid, " + kind.column() + " AS v FROM enrolled_devices WHERE id = :id")
                .bind("id", id).map((rs, ctx) -> new AbstractMap.SimpleImmutableEntry<>(rs.getString("udid"), rs.getBytes("v")))
                .findOne()).orElseThrow(() -> new NotFoundException("device " + id));
        return Optional.ofNullable(secrets.open(TABLE, kind.column(), s.getKey(), s.getValue()));
    }

    /** The decrypted text secret, if escrowed. */
    public Optional<String> secretString(long id, DeviceSecret kind) throws StoreException {
        return secret(id, kind).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    /** When a secret was last set (for the kinds that record it). */
    public Optional<Instant> secretUpdatedAt(long id, DeviceSecret kind) {
        if (kind.updatedAtColumn() == null) {
            return Optional.empty();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT " + kind.updatedAtColumn() + " FROM enrolled_devices WHERE id = :id")
                .bind("id", id).mapTo(Instant.class).findOne());
    }

    /** Looks up by id; empty if there is none. */
    public Optional<EnrolledDevice> findById(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Looks up by udid; empty if there is none. */
    public Optional<EnrolledDevice> findByUdid(String udid) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE udid = :u").bind("u", udid)
                .map(DeviceRepository::map).findOne());
    }

    /** The device whose device-channel enrollment id is {@code enrollmentId}. */
    public Optional<EnrolledDevice> findByEnrollmentId(String enrollmentId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE enrollment_id = :e").bind("e", enrollmentId)
                .map(DeviceRepository::map).findOne());
    }

    /** Devices matching {@code q}, ordered as asked (default: id). */
    public List<EnrolledDevice> list(DeviceQuery q) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + WHERE + " ORDER BY " + ordering(q.ordering()) + " LIMIT :limit OFFSET :offset")
                .bindMethods(q).map(DeviceRepository::map).list());
    }

    /** How many devices match {@code q} (ignoring limit and offset). */
    public long count(DeviceQuery q) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM enrolled_devices" + WHERE).bindMethods(q)
                .mapTo(Long.class).one());
    }

    private static final String WHERE = " WHERE (:serialNumber IS NULL OR serial_number = :serialNumber)"
            + " AND (:udid IS NULL OR udid = :udid) AND (:blueprintId IS NULL OR blueprint_id = :blueprintId)"
            + " AND (:blocked IS NULL OR (blocked_at IS NOT NULL) = :blocked)";

    private static final List<String> ORDERABLE = List.of("id", "created_at", "last_seen_at", "updated_at", "serial_number");

    private static String ordering(String ordering) {
        if (ordering == null || ordering.isEmpty()) {
            return "id";
        }
        boolean desc = ordering.startsWith("-");
        String column = desc ? ordering.substring(1) : ordering;
        if (!ORDERABLE.contains(column)) {
            throw new IllegalArgumentException("cannot order devices by " + column);
        }
        return column + (desc ? " DESC" : "") + ", id";
    }

    /** Maps a row of {@link #SELECT} (hand-written: this is on the connect path, reflection-based mapping is slower). */
    static EnrolledDevice map(ResultSet rs, StatementContext ctx) throws SQLException {
        return new EnrolledDevice(rs.getLong("id"), rs.getString("udid"), rs.getString("enrollment_id"),
                rs.getString("serial_number"), rs.getString("name"), rs.getString("model"), rs.getString("platform"),
                rs.getString("os_version"), rs.getString("os_version_extra"), rs.getString("build_version"),
                rs.getString("build_version_extra"), rs.getBoolean("apple_silicon"), Rows.longOrNull(rs, "push_certificate_id"),
                rs.getBytes("push_token"), rs.getString("push_magic"), rs.getString("push_topic"), rs.getBoolean("push_token_dead"),
                rs.getString("cert_fingerprint"), Rows.instant(rs, "cert_not_valid_after"), Rows.longOrNull(rs, "blueprint_id"),
                rs.getBoolean("awaiting_configuration"), rs.getBoolean("declarative_management"),
                rs.getString("declarations_token"), rs.getBoolean("dep_enrollment"), rs.getBoolean("user_enrollment"),
                rs.getBoolean("user_approved_enrollment"), rs.getBoolean("supervised"), rs.getBoolean("bootstrap_token_escrowed"),
                rs.getBoolean("filevault_enabled"), rs.getBoolean("filevault_prk_escrowed"),
                rs.getBoolean("activation_lock_manageable"), rs.getString("filevault_config_uuid"), rs.getString("admin_guid"),
                rs.getString("last_ip"), Rows.instant(rs, "last_seen_at"), Rows.instant(rs, "last_notified_at"),
                Rows.instant(rs, "checkout_at"), Rows.instant(rs, "blocked_at"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    private static Optional<EnrolledDevice> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map(DeviceRepository::map).findOne();
    }

    private static EnrolledDevice get(Handle h, long id) {
        return find(h, id).orElseThrow();
    }
}
