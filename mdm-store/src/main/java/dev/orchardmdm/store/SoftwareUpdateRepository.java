package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** The software-update catalog and the device ids each update applies to. */
public final class SoftwareUpdateRepository extends Repository {
    private static final String SELECT = "SELECT id, platform, major, minor, patch, extra, build, prerequisite_build,"
            + " public AS public_release, availability_start, availability_end, created_at, updated_at FROM software_updates";

    public SoftwareUpdateRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /**
     * Replaces the catalog with {@code updates} in one transaction: new updates are created,
     * known ones updated (with their device ids replaced), the others deleted.
     */
    public SoftwareUpdate.SyncResult sync(List<SoftwareUpdate.Spec> updates) throws StoreException {
        Instant now = now();
        return tx(h -> {
            Set<Long> seen = new HashSet<>();
            int created = 0;
            int updated = 0;
            for (SoftwareUpdate.Spec s : updates) {
                Optional<Long> existing = h.createQuery("SELECT id FROM software_updates WHERE platform = :platform AND build = :build"
                        + " AND prerequisite_build = :prerequisiteBuild AND public = :publicRelease").bindMethods(s)
                        .mapTo(Long.class).findOne();
                long id;
                if (existing.isPresent()) {
                    id = existing.get();
                    h.createUpdate("UPDATE software_updates SET major = :major, minor = :minor, patch = :patch, extra = :extra,"
                            + " availability_start = :availabilityStart, availability_end = :availabilityEnd, updated_at = :now"
                            + " WHERE id = :id").bindMethods(s).bind("now", now).bind("id", id).execute();
                    h.createUpdate("DELETE FROM software_update_device_ids WHERE software_update_id = :id").bind("id", id).execute();
                    updated++;
                } else {
                    id = insertReturningId(h, "INSERT INTO software_updates (platform, major, minor, patch, extra, build,"
                            + " prerequisite_build, public, availability_start, availability_end, created_at, updated_at) VALUES"
                            + " (:platform, :major, :minor, :patch, :extra, :build, :prerequisiteBuild, :publicRelease,"
                            + " :availabilityStart, :availabilityEnd, :now, :now)", q -> q.bindMethods(s).bind("now", now));
                    created++;
                }
                if (!seen.add(id)) {
                    throw new InvalidStateException("update " + s.platform() + " " + s.build() + " listed twice");
                }
                var batch = h.prepareBatch("INSERT INTO software_update_device_ids (software_update_id, device_id) VALUES (:id, :d)");
                for (String deviceId : new HashSet<>(s.deviceIds())) {
                    batch.bind("id", id).bind("d", deviceId).add();
                }
                if (!s.deviceIds().isEmpty()) {
                    batch.execute();
                }
            }
            List<Long> all = h.createQuery("SELECT id FROM software_updates").mapTo(Long.class).list();
            int deleted = 0;
            for (long id : all) {
                if (!seen.contains(id)) {
                    deleted += h.createUpdate("DELETE FROM software_updates WHERE id = :id").bind("id", id).execute();
                }
            }
            return new SoftwareUpdate.SyncResult(created, updated, deleted);
        });
    }

    /** Updates of a platform (null: all), newest version first. */
    public List<SoftwareUpdate> list(String platform) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE (:p IS NULL OR platform = :p)"
                        + " ORDER BY major DESC, minor DESC, patch DESC, extra DESC, id").bind("p", platform)
                .map(ConstructorMapper.of(SoftwareUpdate.class)).list());
    }

    /** The updates that apply to a device id (model identifier such as {@code J413AP} or {@code Mac14,2}). */
    public List<SoftwareUpdate> forDeviceId(String deviceId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE id IN (SELECT software_update_id FROM software_update_device_ids"
                        + " WHERE device_id = :d) ORDER BY major DESC, minor DESC, patch DESC, extra DESC, id").bind("d", deviceId)
                .map(ConstructorMapper.of(SoftwareUpdate.class)).list());
    }

    /** The device ids of an update. */
    public List<String> deviceIds(long softwareUpdateId) {
        return jdbi.withHandle(h -> deviceIds(h, softwareUpdateId));
    }

    private static List<String> deviceIds(Handle h, long id) {
        return h.createQuery("SELECT device_id FROM software_update_device_ids WHERE software_update_id = :id ORDER BY device_id")
                .bind("id", id).mapTo(String.class).list();
    }
}
