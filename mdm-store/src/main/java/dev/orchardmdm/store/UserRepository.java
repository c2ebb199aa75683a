package dev.orchardmdm.store;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.mapper.reflect.ConstructorMapper;

/** Enrolled users: the user channel of a device. */
public final class UserRepository extends Repository {
    private static final String SELECT = "SELECT id, enrolled_device_id, user_id, enrollment_id, long_name, short_name,"
            + " push_token, push_magic, push_token_dead, declarative_management, last_seen_at, last_notified_at,"
            + " created_at, updated_at FROM enrolled_users";

    public UserRepository(Database db, Secrets secrets, Clock clock) {
        super(db, secrets, clock);
    }

    /**
     * Creates or updates the user {@code userId} of a device (user-channel Authenticate / TokenUpdate).
     *
     * @throws InvalidStateException if the user exists on another device
     */
    public EnrolledUser upsert(long enrolledDeviceId, String userId, String enrollmentId, String longName, String shortName)
            throws StoreException {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Instant now = now();
        return tx(h -> {
            Optional<EnrolledUser> existing = h.createQuery(SELECT + " WHERE user_id = :u").bind("u", userId)
                    .map(ConstructorMapper.of(EnrolledUser.class)).findOne();
            if (existing.isPresent()) {
                if (existing.get().enrolledDeviceId() != enrolledDeviceId) {
                    throw new InvalidStateException("user " + userId + " belongs to another device");
                }
                h.createUpdate("UPDATE enrolled_users SET enrollment_id = :e, long_name = COALESCE(:l, long_name),"
                                + " short_name = COALESCE(:s, short_name), updated_at = :now WHERE id = :id")
                        .bind("e", enrollmentId).bind("l", longName).bind("s", shortName).bind("now", now)
                        .bind("id", existing.get().id()).execute();
                return get(h, existing.get().id());
            }
            return get(h, insertReturningId(h, "INSERT INTO enrolled_users (enrolled_device_id, user_id, enrollment_id, long_name,"
                    + " short_name, created_at, updated_at) VALUES (:d, :u, :e, :l, :s, :now, :now)", q -> q
                    .bind("d", enrolledDeviceId).bind("u", userId).bind("e", enrollmentId).bind("l", longName)
                    .bind("s", shortName).bind("now", now)));
        });
    }

    /** Stores the push token and magic of a user-channel TokenUpdate. */
    public EnrolledUser tokenUpdate(long id, byte[] pushToken, String pushMagic) throws StoreException {
        return tx(h -> {
            if (h.createUpdate("UPDATE enrolled_users SET push_token = :t, push_magic = :m, push_token_dead = FALSE,"
                    + " updated_at = :now WHERE id = :id").bind("t", pushToken).bind("m", pushMagic).bind("now", now())
                    .bind("id", id).execute() == 0) {
                throw new NotFoundException("user " + id);
            }
            return get(h, id);
        });
    }

    /** Records a user-channel connect. */
    public void markSeen(long id) throws StoreException {
        tx(h -> {
            if (h.createUpdate("UPDATE enrolled_users SET last_seen_at = :now WHERE id = :id").bind("now", now())
                    .bind("id", id).execute() == 0) {
                throw new NotFoundException("user " + id);
            }
            return null;
        });
    }

    /** Looks up by id; empty if there is none. */
    public Optional<EnrolledUser> findById(long id) {
        return jdbi.withHandle(h -> find(h, id));
    }

    /** Looks up by enrollmentId; empty if there is none. */
    public Optional<EnrolledUser> findByEnrollmentId(String enrollmentId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE enrollment_id = :e").bind("e", enrollmentId)
                .map(ConstructorMapper.of(EnrolledUser.class)).findOne());
    }

    /** The users of a device, by id. */
    public List<EnrolledUser> listForDevice(long enrolledDeviceId) {
        return jdbi.withHandle(h -> h.createQuery(SELECT + " WHERE enrolled_device_id = :d ORDER BY id")
                .bind("d", enrolledDeviceId).map(ConstructorMapper.of(EnrolledUser.class)).list());
    }

    private static Optional<EnrolledUser> find(Handle h, long id) {
        return h.createQuery(SELECT + " WHERE id = :id").bind("id", id).map(ConstructorMapper.of(EnrolledUser.class)).findOne();
    }

    private static EnrolledUser get(Handle h, long id) {
        return find(h, id).orElseThrow();
    }
}
