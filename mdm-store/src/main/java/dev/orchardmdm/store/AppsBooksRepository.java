package dev.orchardmdm.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Apps &amp; Books: locations (server token encrypted, notification token hashed), assets,
 * location assets (licence counts) and device assignments (the licence ledger).
 */
public final class AppsBooksRepository extends Repository {
    private static final String LOCATION_COLUMNS = "id, name, organization_name, country_code, library_uid, platform,"
            + " website_url, mdm_info_id, server_token_expiration_date, created_at, updated_at";

    public AppsBooksRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    // ---- locations

    /**
     * Creates a location from an uploaded server token.
     *
     * @param notificationAuthToken the token Apple's notifications will carry (only its hash is stored), or null
     * @throws ConflictException if the token or the location (mdm info id) is already known
     */
    public Location createLocation(Location.Spec spec, String serverToken, String notificationAuthToken) throws StoreException {
        Objects.requireNonNull(serverToken, "serverToken");
        Instant now = now();
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO locations (name, organization_name, country_code, library_uid, platform,"
                    + " website_url, mdm_info_id, server_token, server_token_hash, server_token_expiration_date,"
                    + " notification_auth_token_hash, created_at, updated_at) VALUES (:name, :organizationName, :countryCode,"
                    + " :libraryUid, :platform, :websiteUrl, :mdmInfoId, :placeholder, :hash, :serverTokenExpirationDate, :nat,"
                    + " :now, :now)", q -> q.bindMethods(spec).bind("placeholder", new byte[0]).bind("hash", Rows.sha256Hex(serverToken))
                    .bind("nat", notificationAuthToken == null ? null : Rows.sha256Hex(notificationAuthToken)).bind("now", now));
            writeToken(h, id, serverToken, spec.serverTokenExpirationDate(), now);
            return location(h, id);
        });
    }

    /** Replaces the server token of a location (renewal). */
    public Location updateServerToken(long id, String serverToken, Instant expiration) throws StoreException {
        Objects.requireNonNull(serverToken, "serverToken");
        return tx(h -> {
            BlueprintRepository.requireUpdated(writeToken(h, id, serverToken, expiration, now()), "location", id);
            return location(h, id);
        });
    }

    private int writeToken(Handle h, long id, String token, Instant expiration, Instant now) {
        return h.createUpdate("UPDATE locations SET server_token = :t, server_token_hash = :hash, server_token_expiration_date = :e,"
                        + " updated_at = :now WHERE id = :id")
                .bind("t", secrets.sealString("locations", "server_token", Long.toString(id), token))
                .bind("hash", Rows.sha256Hex(token)).bind("e", expiration).bind("now", now).bind("id", id).execute();
    }

    /** The decrypted server token (sToken) of a location. */
    public String serverToken(long id) throws StoreException {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT server_token FROM locations WHERE id = :id").bind("id", id)
                .mapTo(byte[].class).findOne()).orElseThrow(() -> new NotFoundException("location " + id));
        return secrets.openString("locations", "server_token", Long.toString(id), sealed);
    }

    /** Whether {@code token} is the notification token of the location with {@code mdmInfoId}. */
    public boolean checkNotificationToken(UUID mdmInfoId, String token) {
        if (token == null) {
            return false;
        }
        String stored = jdbi.withHandle(h -> h.createQuery("SELECT notification_auth_token_hash FROM locations WHERE mdm_info_id = :m")
                .bind("m", mdmInfoId).mapTo(String.class).findOne().orElse(null));
        return stored != null && java.security.MessageDigest.isEqual(stored.getBytes(java.nio.charset.StandardCharsets.US_ASCII),
                Rows.sha256Hex(token).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }

    /** Looks up by id; empty if there is none. */
    public Optional<Location> findLocation(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + LOCATION_COLUMNS + " FROM locations WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(Location.class)).findOne());
    }

    /** Locations by id; null filters do not filter (Zentral's filters: name, organization_name, mdm_info_id). */
    public List<Location> listLocations(String name, String organizationName, UUID mdmInfoId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + LOCATION_COLUMNS + " FROM locations WHERE (:n IS NULL OR name = :n)"
                        + " AND (:o IS NULL OR organization_name = :o) AND (:m IS NULL OR mdm_info_id = :m) ORDER BY id")
                .bind("n", name).bind("o", organizationName).bind("m", mdmInfoId == null ? null : mdmInfoId.toString())
                .map(ConstructorMapper.of(Location.class)).list());
    }

    /** Deletes the row ({@link NotFoundException} if absent). */
    public void deleteLocation(long id) throws StoreException {
        tx(h -> BlueprintRepository.requireUpdated(h.createUpdate("DELETE FROM locations WHERE id = :id").bind("id", id).execute(),
                "location", id));
    }

    // ---- assets

    /** Creates or updates an asset (by adam id and pricing parameter). */
    public Asset upsertAsset(Asset.Spec s) throws StoreException {
        Instant now = now();
        return tx(h -> {
            h.createUpdate("INSERT INTO assets (adam_id, pricing_param, product_type, device_assignable, revocable,"
                    + " supported_platforms, metadata, name, bundle_id, created_at, updated_at) VALUES (:adamId, :pricingParam,"
                    + " :productType, :deviceAssignable, :revocable, :platforms, :metadata, :name, :bundleId, :now, :now)"
                    + " ON CONFLICT (adam_id, pricing_param) DO UPDATE SET product_type = excluded.product_type,"
                    + " device_assignable = excluded.device_assignable, revocable = excluded.revocable,"
                    + " supported_platforms = excluded.supported_platforms, metadata = excluded.metadata, name = excluded.name,"
                    + " bundle_id = excluded.bundle_id, updated_at = excluded.updated_at")
                    .bindMethods(s).bind("platforms", Json.write(s.supportedPlatforms())).bind("now", now).execute();
            return h.createQuery("SELECT * FROM assets WHERE adam_id = :a AND pricing_param = :p").bind("a", s.adamId())
                    .bind("p", s.pricingParam()).map(AppsBooksRepository::asset).one();
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<Asset> findAsset(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM assets WHERE id = :id").bind("id", id)
                .map(AppsBooksRepository::asset).findOne());
    }

    // ---- location assets

    /** Creates or updates the licence counts of an asset at a location. */
    public LocationAsset upsertLocationAsset(long locationId, long assetId, int assigned, int available, int retired, int total)
            throws StoreException {
        Instant now = now();
        return tx(h -> {
            h.createUpdate("INSERT INTO location_assets (location_id, asset_id, assigned_count, available_count, retired_count,"
                    + " total_count, created_at, updated_at) VALUES (:l, :a, :as, :av, :r, :t, :now, :now)"
                    + " ON CONFLICT (location_id, asset_id) DO UPDATE SET assigned_count = excluded.assigned_count,"
                    + " available_count = excluded.available_count, retired_count = excluded.retired_count,"
                    + " total_count = excluded.total_count, updated_at = excluded.updated_at")
                    .bind("l", locationId).bind("a", assetId).bind("as", assigned).bind("av", available).bind("r", retired)
                    .bind("t", total).bind("now", now).execute();
            return h.createQuery("SELECT * FROM location_assets WHERE location_id = :l AND asset_id = :a").bind("l", locationId)
                    .bind("a", assetId).map(ConstructorMapper.of(LocationAsset.class)).one();
        });
    }

    /** Location assets by id; Zentral's filters: location_id, adam_id, pricing_param (null: no filter). */
    public List<LocationAsset> listLocationAssets(Long locationId, String adamId, String pricingParam) {
        return jdbi.withHandle(h -> h.createQuery("SELECT la.* FROM location_assets la JOIN assets a ON a.id = la.asset_id"
                        + " WHERE (:l IS NULL OR la.location_id = :l) AND (:a IS NULL OR a.adam_id = :a)"
                        + " AND (:p IS NULL OR a.pricing_param = :p) ORDER BY la.id")
                .bind("l", locationId).bind("a", adamId).bind("p", pricingParam).map(ConstructorMapper.of(LocationAsset.class)).list());
    }

    // ---- device assignments

    /** Records that the device with {@code serialNumber} holds a licence of the location asset; idempotent. */
    public boolean assign(long locationAssetId, String serialNumber) throws StoreException {
        Instant now = now();
        return tx(h -> h.createUpdate("INSERT INTO device_assignments (location_asset_id, serial_number, created_at)"
                + " VALUES (:la, :s, :now) ON CONFLICT (location_asset_id, serial_number) DO NOTHING")
                .bind("la", locationAssetId).bind("s", serialNumber).bind("now", now).execute() == 1);
    }

    /** Removes a licence assignment; returns whether there was one. */
    public boolean unassign(long locationAssetId, String serialNumber) throws StoreException {
        return tx(h -> h.createUpdate("DELETE FROM device_assignments WHERE location_asset_id = :la AND serial_number = :s")
                .bind("la", locationAssetId).bind("s", serialNumber).execute() == 1);
    }

    /** The serial numbers holding a licence of the location asset. */
    public List<String> assignedSerialNumbers(long locationAssetId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT serial_number FROM device_assignments WHERE location_asset_id = :la"
                + " ORDER BY serial_number").bind("la", locationAssetId).mapTo(String.class).list());
    }

    private static Location location(Handle h, long id) {
        return h.createQuery("SELECT " + LOCATION_COLUMNS + " FROM locations WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(Location.class)).one();
    }

    private static Asset asset(ResultSet rs, StatementContext ctx) throws SQLException {
        return new Asset(rs.getLong("id"), rs.getString("adam_id"), rs.getString("pricing_param"), rs.getString("product_type"),
                rs.getBoolean("device_assignable"), rs.getBoolean("revocable"), Json.stringList(rs.getString("supported_platforms")),
                rs.getString("metadata"), rs.getString("name"), rs.getString("bundle_id"), Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }
}
