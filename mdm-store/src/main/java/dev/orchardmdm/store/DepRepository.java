package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** ADE (DEP): server tokens (secrets encrypted), virtual servers, devices, enrollment profiles. */
public final class DepRepository extends Repository {
    private static final String TOKEN_COLUMNS = "id, certificate_pem, consumer_key, access_token, access_token_expiry,"
            + " sync_cursor, last_synced_at, created_at, updated_at";

    public DepRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    // ---- tokens

    /** Starts a token: the certificate (public key for Apple) and its private key (stored encrypted). */
    public DepToken createToken(String certificatePem, byte[] privateKey) throws StoreException {
        Objects.requireNonNull(certificatePem, "certificatePem");
        Objects.requireNonNull(privateKey, "privateKey");
        Instant now = now();
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO dep_tokens (certificate_pem, private_key, created_at, updated_at)"
                    + " VALUES (:c, :k, :now, :now)", q -> q.bind("c", certificatePem).bind("k", new byte[0]).bind("now", now));
            h.createUpdate("UPDATE dep_tokens SET private_key = :k WHERE id = :id")
                    .bind("k", secrets.seal("dep_tokens", "private_key", Long.toString(id), privateKey)).bind("id", id).execute();
            return token(h, id);
        });
    }

    /** Stores the OAuth credentials decrypted from Apple's token file (secrets encrypted). */
    public DepToken setTokenCredentials(long tokenId, DepToken.Credentials c) throws StoreException {
        String key = Long.toString(tokenId);
        return tx(h -> {
            BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_tokens SET consumer_key = :ck, consumer_secret = :cs,"
                            + " access_token = :at, access_secret = :as, access_token_expiry = :exp, updated_at = :now WHERE id = :id")
                    .bind("ck", c.consumerKey()).bind("cs", secrets.sealString("dep_tokens", "consumer_secret", key, c.consumerSecret()))
                    .bind("at", c.accessToken()).bind("as", secrets.sealString("dep_tokens", "access_secret", key, c.accessSecret()))
                    .bind("exp", c.accessTokenExpiry()).bind("now", now()).bind("id", tokenId).execute(), "dep token", tokenId);
            return token(h, tokenId);
        });
    }

    /** The decrypted OAuth credentials, if set. */
    public Optional<DepToken.Credentials> tokenCredentials(long tokenId) throws StoreException {
        record Row(String consumerKey, byte[] consumerSecret, String accessToken, byte[] accessSecret, Instant accessTokenExpiry) {
        }
        Optional<Row> row = jdbi.withHandle(h -> h.createQuery("SELECT consumer_key, consumer_secret, access_token, access_secret,"
                        + " access_token_expiry FROM dep_tokens WHERE id = :id").bind("id", tokenId)
                .map((rs, ctx) -> new Row(rs.getString(1), rs.getBytes(2), rs.getString(3), rs.getBytes(4), Rows.instant(rs, "access_token_expiry")))
                .findOne());
        if (row.isEmpty() || row.get().consumerSecret() == null) {
            return Optional.empty();
        }
        String key = Long.toString(tokenId);
        Row r = row.get();
        return Optional.of(new DepToken.Credentials(r.consumerKey(), secrets.openString("dep_tokens", "consumer_secret", key, r.consumerSecret()),
                r.accessToken(), secrets.openString("dep_tokens", "access_secret", key, r.accessSecret()), r.accessTokenExpiry()));
    }

    /** The decrypted private key of the token certificate. */
    public byte[] tokenPrivateKey(long tokenId) throws StoreException {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT private_key FROM dep_tokens WHERE id = :id").bind("id", tokenId)
                .mapTo(byte[].class).findOne()).orElseThrow(() -> new NotFoundException("dep token " + tokenId));
        return secrets.open("dep_tokens", "private_key", Long.toString(tokenId), sealed);
    }

    /** Records the cursor of the last device sync. */
    public void updateSyncCursor(long tokenId, String cursor) throws StoreException {
        tx(h -> BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_tokens SET sync_cursor = :c, last_synced_at = :now,"
                + " updated_at = :now WHERE id = :id").bind("c", cursor).bind("now", now()).bind("id", tokenId).execute(),
                "dep token", tokenId));
    }

    /** Looks up by tokenId; empty if there is none. */
    public Optional<DepToken> findToken(long tokenId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT " + TOKEN_COLUMNS + " FROM dep_tokens WHERE id = :id").bind("id", tokenId)
                .map(ConstructorMapper.of(DepToken.class)).findOne());
    }

    // ---- virtual servers

    /** Creates or updates (by Apple's server UUID) a virtual server. */
    public DepVirtualServer upsertVirtualServer(DepVirtualServer.Spec s) throws StoreException {
        Instant now = now();
        return tx(h -> {
            h.createUpdate("INSERT INTO dep_virtual_servers (name, uuid, token_id, organization_name, organization_email,"
                    + " organization_phone, organization_address, organization_type, organization_version, created_at, updated_at)"
                    + " VALUES (:name, :uuid, :tokenId, :organizationName, :organizationEmail, :organizationPhone,"
                    + " :organizationAddress, :organizationType, :organizationVersion, :now, :now) ON CONFLICT (uuid) DO UPDATE SET"
                    + " name = excluded.name, token_id = excluded.token_id, organization_name = excluded.organization_name,"
                    + " organization_email = excluded.organization_email, organization_phone = excluded.organization_phone,"
                    + " organization_address = excluded.organization_address, organization_type = excluded.organization_type,"
                    + " organization_version = excluded.organization_version, updated_at = excluded.updated_at")
                    .bindMethods(s).bind("now", now).execute();
            return h.createQuery("SELECT * FROM dep_virtual_servers WHERE uuid = :u").bind("u", s.uuid())
                    .map(ConstructorMapper.of(DepVirtualServer.class)).one();
        });
    }

    /** Sets the enrollment that new devices of the server get (null: none). */
    public void setDefaultEnrollment(long virtualServerId, Long enrollmentId) throws StoreException {
        tx(h -> BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_virtual_servers SET default_enrollment_id = :e,"
                + " updated_at = :now WHERE id = :id").bind("e", enrollmentId).bind("now", now()).bind("id", virtualServerId)
                .execute(), "dep virtual server", virtualServerId));
    }

    /** Looks up by id; empty if there is none. */
    public Optional<DepVirtualServer> findVirtualServer(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dep_virtual_servers WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(DepVirtualServer.class)).findOne());
    }

    /** Virtual servers by id, optionally only the one named {@code name}. */
    public List<DepVirtualServer> listVirtualServers(String name) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dep_virtual_servers WHERE (:n IS NULL OR name = :n) ORDER BY id")
                .bind("n", name).map(ConstructorMapper.of(DepVirtualServer.class)).list());
    }

    // ---- devices

    /**
     * Applies one device of a sync (insert or update by virtual server and serial number). A
     * {@code deleted} operation marks the device disowned; any other clears that mark.
     */
    public DepDevice upsertDevice(long virtualServerId, DepDevice.Sync d) throws StoreException {
        Instant now = now();
        boolean deleted = "deleted".equalsIgnoreCase(d.lastOpType());
        return tx(h -> {
            h.createUpdate("INSERT INTO dep_devices (virtual_server_id, serial_number, asset_tag, color, description, device_family,"
                    + " model, os, device_assigned_by, device_assigned_date, last_op_type, last_op_date, profile_status, profile_uuid,"
                    + " profile_assign_time, profile_push_time, disowned_at, created_at, updated_at) VALUES (:vs, :serialNumber,"
                    + " :assetTag, :color, :description, :deviceFamily, :model, :os, :deviceAssignedBy, :deviceAssignedDate,"
                    + " :lastOpType, :lastOpDate, :profileStatus, :profileUuid, :profileAssignTime, :profilePushTime, :disowned,"
                    + " :now, :now) ON CONFLICT (virtual_server_id, serial_number) DO UPDATE SET asset_tag = excluded.asset_tag,"
                    + " color = excluded.color, description = excluded.description, device_family = excluded.device_family,"
                    + " model = excluded.model, os = excluded.os, device_assigned_by = excluded.device_assigned_by,"
                    + " device_assigned_date = excluded.device_assigned_date, last_op_type = excluded.last_op_type,"
                    + " last_op_date = excluded.last_op_date, profile_status = excluded.profile_status,"
                    + " profile_uuid = excluded.profile_uuid, profile_assign_time = excluded.profile_assign_time,"
                    + " profile_push_time = excluded.profile_push_time, disowned_at = excluded.disowned_at,"
                    + " updated_at = excluded.updated_at")
                    .bindMethods(d).bind("vs", virtualServerId).bindByType("disowned", deleted ? now : null, Instant.class).bind("now", now).execute();
            return h.createQuery("SELECT * FROM dep_devices WHERE virtual_server_id = :vs AND serial_number = :s")
                    .bind("vs", virtualServerId).bind("s", d.serialNumber()).map(ConstructorMapper.of(DepDevice.class)).one();
        });
    }

    /** Records the enrollment whose profile was assigned to a device, and Apple's profile status. */
    public DepDevice assignProfile(long depDeviceId, Long enrollmentId, String profileUuid, String profileStatus) throws StoreException {
        return tx(h -> {
            BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_devices SET enrollment_id = :e, profile_uuid = :p,"
                            + " profile_status = :s, profile_assign_time = :now, updated_at = :now WHERE id = :id")
                    .bind("e", enrollmentId).bind("p", profileUuid).bind("s", profileStatus).bind("now", now()).bind("id", depDeviceId)
                    .execute(), "dep device", depDeviceId);
            return device(h, depDeviceId);
        });
    }

    /** Marks a device disowned (released from the organization). */
    public DepDevice markDisowned(long depDeviceId) throws StoreException {
        return tx(h -> {
            BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_devices SET disowned_at = :now, updated_at = :now"
                    + " WHERE id = :id").bind("now", now()).bind("id", depDeviceId).execute(), "dep device", depDeviceId);
            return device(h, depDeviceId);
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<DepDevice> findDevice(long id) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dep_devices WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(DepDevice.class)).findOne());
    }

    /** Devices matching {@code q}, by id. */
    public List<DepDevice> listDevices(DepDevice.Query q) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dep_devices WHERE (:virtualServerId IS NULL OR virtual_server_id ="
                        + " :virtualServerId) AND (:serialNumber IS NULL OR serial_number = :serialNumber)"
                        + " AND (:deviceFamily IS NULL OR device_family = :deviceFamily)"
                        + " AND (:profileStatus IS NULL OR profile_status = :profileStatus)"
                        + " AND (:profileUuid IS NULL OR profile_uuid = :profileUuid)"
                        + " AND (:enrollmentId IS NULL OR enrollment_id = :enrollmentId) ORDER BY id LIMIT :limit OFFSET :offset")
                .bindMethods(q).map(ConstructorMapper.of(DepDevice.class)).list());
    }

    // ---- enrollment profiles

    /** Saves the ADE profile of a DEP enrollment (replacing the previous one). */
    public DepProfile saveProfile(long enrollmentId, long virtualServerId, String profileJson) throws StoreException {
        String profile = Objects.requireNonNull(Json.checked(profileJson, "profile"), "profile");
        Instant now = now();
        return tx(h -> {
            h.createUpdate("INSERT INTO dep_profiles (enrollment_id, virtual_server_id, profile, created_at, updated_at)"
                    + " VALUES (:e, :vs, :p, :now, :now) ON CONFLICT (enrollment_id) DO UPDATE SET virtual_server_id ="
                    + " excluded.virtual_server_id, profile = excluded.profile, updated_at = excluded.updated_at")
                    .bind("e", enrollmentId).bind("vs", virtualServerId).bind("p", profile).bind("now", now).execute();
            return profile(h, enrollmentId);
        });
    }

    /** Records Apple's profile UUID after a successful {@code profile} define. */
    public DepProfile profileDefined(long enrollmentId, String profileUuid) throws StoreException {
        return tx(h -> {
            BlueprintRepository.requireUpdated(h.createUpdate("UPDATE dep_profiles SET profile_uuid = :u, defined_at = :now,"
                    + " updated_at = :now WHERE enrollment_id = :e").bind("u", profileUuid).bind("now", now())
                    .bind("e", enrollmentId).execute(), "dep profile of enrollment", enrollmentId);
            return profile(h, enrollmentId);
        });
    }

    /** Looks up by enrollmentId; empty if there is none. */
    public Optional<DepProfile> findProfile(long enrollmentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM dep_profiles WHERE enrollment_id = :e").bind("e", enrollmentId)
                .map(ConstructorMapper.of(DepProfile.class)).findOne());
    }

    private static DepProfile profile(Handle h, long enrollmentId) {
        return h.createQuery("SELECT * FROM dep_profiles WHERE enrollment_id = :e").bind("e", enrollmentId)
                .map(ConstructorMapper.of(DepProfile.class)).one();
    }

    private static DepDevice device(Handle h, long id) {
        return h.createQuery("SELECT * FROM dep_devices WHERE id = :id").bind("id", id).map(ConstructorMapper.of(DepDevice.class)).one();
    }

    private static DepToken token(Handle h, long id) {
        return h.createQuery("SELECT " + TOKEN_COLUMNS + " FROM dep_tokens WHERE id = :id").bind("id", id)
                .map(ConstructorMapper.of(DepToken.class)).one();
    }
}
