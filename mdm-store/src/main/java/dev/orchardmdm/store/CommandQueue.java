package dev.orchardmdm.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * The MDM command queue.
 *
 * <p>{@code command_queue} (the hot table the connect path reads) holds only commands that are
 * pending, in flight, or answered {@code NotNow}, indexed by (enrollment id, id). A final answer
 * (Acknowledged, Error, CommandFormatError) moves the command to {@code command_history} in the
 * transaction that records it, so the cost of {@link #next} does not grow with history.
 *
 * <p>Delivery rules of {@link #next}: the oldest (by creation) due command of the enrollment
 * ({@code not_before} null or past) that is never sent; or, unless the device's current report is
 * {@code NotNow}, answered {@code NotNow}; or, unless the report is NotNow, sent but unanswered for
 * longer than the redelivery delay (the device never got it). The chosen command is marked sent in
 * the same statement; on PostgreSQL the row is picked with {@code FOR UPDATE SKIP LOCKED}, so two
 * concurrent consumers never get the same command.
 */
public final class CommandQueue extends Repository implements CommandStore {
    /** Logical table name of the secret arguments' encryption context (stable across the hot and history tables). */
    static final String SECRET_TABLE = "commands";
    /** Default delay after which a sent, unanswered command may be delivered again. */
    public static final Duration DEFAULT_REDELIVER_AFTER = Duration.ofMinutes(5);

    private static final String COLUMNS = "id, uuid, channel, enrollment_id, enrolled_device_id, enrolled_user_id,"
            + " request_type, name, artifact_version, artifact_operation, command_plist, secret_arguments, not_before,"
            + " sent_at, send_count, status, result_plist, result_time, created_at, updated_at";
    private static final String ALL = "(SELECT " + COLUMNS + ", NULL AS error_chain, FALSE AS answered FROM command_queue"
            + " UNION ALL SELECT " + COLUMNS + ", error_chain, TRUE AS answered FROM command_history) c";

    private final Duration redeliverAfter;

    public CommandQueue(Database db, Secrets secrets, Clock clock, Duration redeliverAfter) {
        super(db, secrets, clock);
        this.redeliverAfter = Objects.requireNonNull(redeliverAfter, "redeliverAfter");
    }

    /** A command handed to a device, with its decrypted secret arguments. */
    public record Delivery(Command command, Map<String, String> secretArguments) {
    }

    /** The outcome of {@link #recordResult}. */
    public record Recorded(Command command, boolean duplicate) {
    }

    /** What a listing shows: queued (never sent), sent (in flight), or the last reported status. */
    public enum State {
        QUEUED, SENT, NOT_NOW, ACKNOWLEDGED, ERROR, COMMAND_FORMAT_ERROR
    }

    /** Filters of {@link #list}; null fields do not filter. */
    public record Query(Channel channel, Long enrolledDeviceId, Long enrolledUserId, State state, String requestType,
                        String name, Instant createdAfter, Instant createdBefore, int limit, int offset) {
        public static Query forDevice(long enrolledDeviceId, int limit, int offset) {
            return new Query(Channel.DEVICE, enrolledDeviceId, null, null, null, null, null, null, limit, offset);
        }
    }

    /**
     * Queues a command.
     *
     * @throws ConflictException     if the UUID is already used
     * @throws InvalidStateException if the device (or user) does not exist
     */
    @Override
    public Command enqueue(NewCommand c) throws StoreException {
        Instant now = now();
        byte[] sealed = c.secretArguments().isEmpty() ? null
                : secrets.seal(SECRET_TABLE, "secret_arguments", c.uuid().toString(), Json.bytes(c.secretArguments()));
        return tx(h -> {
            long id = insertReturningId(h, "INSERT INTO command_queue (uuid, channel, enrollment_id, enrolled_device_id,"
                    + " enrolled_user_id, request_type, name, artifact_version, artifact_operation, command_plist,"
                    + " secret_arguments, not_before, created_at, updated_at) VALUES (:uuid, :channel, :enrollment, :device,"
                    + " :user, :requestType, :name, :artifactVersion, :artifactOperation, :plist, :secrets, :notBefore,"
                    + " :now, :now)", q -> q.bind("uuid", c.uuid()).bind("channel", c.target().channel().name())
                    .bind("enrollment", c.target().enrollmentId()).bind("device", c.target().enrolledDeviceId())
                    .bind("user", c.target().enrolledUserId()).bind("requestType", c.requestType()).bind("name", c.name())
                    .bind("artifactVersion", c.artifactVersion()).bind("artifactOperation", c.artifactOperation())
                    .bind("plist", c.commandPlist()).bind("secrets", sealed).bind("notBefore", c.notBefore()).bind("now", now));
            return h.createQuery("SELECT *, NULL AS error_chain, FALSE AS answered FROM command_queue WHERE id = :id")
                    .bind("id", id).map(CommandQueue::map).one();
        });
    }

    /**
     * Picks the next command for the enrollment and marks it sent, atomically.
     *
     * @param enrollmentId   the normalised enrollment id of the reporting channel
     * @param reportedNotNow whether the device's current report is {@code NotNow} (then only never-sent
     *                       commands are considered)
     */
    @Override
    public Optional<Delivery> next(String enrollmentId, boolean reportedNotNow) throws StoreException {
        Instant now = now();
        Optional<Map.Entry<Command, byte[]>> picked = tx(h -> h.createQuery("UPDATE command_queue SET sent_at = :now,"
                        + " send_count = send_count + 1, status = NULL, updated_at = :now WHERE id = (SELECT id FROM command_queue"
                        + " WHERE enrollment_id = :e AND (not_before IS NULL OR not_before <= :now) AND (sent_at IS NULL"
                        + " OR (:retry AND status = 'NotNow') OR (:retry AND status IS NULL AND sent_at <= :redeliver))"
                        + " ORDER BY id LIMIT 1" + db.dialect().skipLocked() + ")"
                        + " RETURNING *, NULL AS error_chain, FALSE AS answered")
                .bind("now", now).bind("e", enrollmentId).bind("retry", !reportedNotNow)
                .bind("redeliver", now.minus(redeliverAfter))
                .map((rs, ctx) -> (Map.Entry<Command, byte[]>) new AbstractMap.SimpleImmutableEntry<>(map(rs, ctx),
                        rs.getBytes("secret_arguments")))
                .findOne());
        if (picked.isEmpty()) {
            return Optional.empty();
        }
        Command command = picked.get().getKey();
        return Optional.of(new Delivery(command, Json.stringMap(
                secrets.open(SECRET_TABLE, "secret_arguments", command.uuid().toString(), picked.get().getValue()))));
    }

    /** How many commands of the enrollment are in the hot table (queued, in flight or NotNow). */
    @Override
    public int pendingCount(String enrollmentId) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM command_queue WHERE enrollment_id = :e")
                .bind("e", enrollmentId).mapTo(Integer.class).one());
    }

    /**
     * Which of {@code requestTypes} were queued for the device channel of the enrolled device at or
     * after {@code since} (pending or answered). The connect path's inventory check: one indexed
     * read ({@code command_queue} by enrollment id, {@code command_history} by device id), unlike
     * {@link #count}, whose optional filters scan both tables.
     *
     * @param enrolledDeviceId the enrolled device
     * @param enrollmentId     the normalised enrollment id of its device channel
     */
    @Override
    public java.util.Set<String> requestTypesQueuedSince(long enrolledDeviceId, String enrollmentId,
                                                        java.util.Collection<String> requestTypes, Instant since) {
        if (requestTypes.isEmpty()) {
            return java.util.Set.of();
        }
        return jdbi.withHandle(h -> h.createQuery("SELECT request_type FROM command_queue WHERE enrollment_id = :e"
                        + " AND channel = 'DEVICE' AND enrolled_device_id = :d AND request_type IN (<types>)"
                        + " AND created_at >= :since UNION SELECT request_type FROM command_history"
                        + " WHERE enrolled_device_id = :d AND channel = 'DEVICE' AND request_type IN (<types>)"
                        + " AND created_at >= :since")
                .bind("e", enrollmentId).bind("d", enrolledDeviceId).bindList("types", List.copyOf(requestTypes))
                .bind("since", since).mapTo(String.class).collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }

    /**
     * Records a device's answer to a command, only if the command was queued for the reporting
     * enrollment. NotNow keeps the command queued; a final status moves it to the history. A
     * repeated final answer changes nothing and is reported as a duplicate.
     *
     * @param errorChain JSON text of the ErrorChain, or null
     * @throws CommandOwnershipException if the command belongs to another enrollment (nothing changed)
     * @throws UnknownCommandException   if no such command exists
     * @throws InvalidStateException     if the command was never sent
     */
    @Override
    public Recorded recordResult(String enrollmentId, UUID uuid, CommandStatus status, byte[] resultPlist, String errorChain)
            throws StoreException {
        Objects.requireNonNull(enrollmentId, "enrollmentId");
        Objects.requireNonNull(status, "status");
        String chain = Json.checked(errorChain, "errorChain");
        Instant now = now();
        return tx(h -> {
            Optional<Command> hot = h.createQuery("SELECT *, NULL AS error_chain, FALSE AS answered FROM command_queue"
                    + " WHERE uuid = :u" + db.dialect().forUpdate()).bind("u", uuid).map(CommandQueue::map).findOne();
            if (hot.isEmpty()) {
                Command done = h.createQuery("SELECT *, TRUE AS answered FROM command_history WHERE uuid = :u").bind("u", uuid)
                        .map(CommandQueue::map).findOne().orElseThrow(() -> new UnknownCommandException("unknown command " + uuid));
                requireOwner(done, enrollmentId);
                return new Recorded(done, true);
            }
            Command c = hot.get();
            requireOwner(c, enrollmentId);
            if (c.sentAt() == null) {
                throw new InvalidStateException("command " + uuid + " was never sent");
            }
            if (status == CommandStatus.NOT_NOW) {
                h.createUpdate("UPDATE command_queue SET status = :s, result_plist = :r, result_time = :now, updated_at = :now"
                        + " WHERE id = :id").bind("s", status.appleName()).bind("r", resultPlist).bind("now", now)
                        .bind("id", c.id()).execute();
                return new Recorded(h.createQuery("SELECT *, NULL AS error_chain, FALSE AS answered FROM command_queue WHERE id = :id")
                        .bind("id", c.id()).map(CommandQueue::map).one(), false);
            }
            h.createUpdate("INSERT INTO command_history (id, uuid, channel, enrollment_id, enrolled_device_id, enrolled_user_id,"
                    + " request_type, name, artifact_version, artifact_operation, command_plist, secret_arguments, not_before,"
                    + " sent_at, send_count, status, result_plist, result_time, error_chain, created_at, updated_at)"
                    + " SELECT id, uuid, channel, enrollment_id, enrolled_device_id, enrolled_user_id, request_type, name,"
                    + " artifact_version, artifact_operation, command_plist, secret_arguments, not_before, sent_at, send_count,"
                    + " :s, :r, :now, :chain, created_at, :now FROM command_queue WHERE id = :id")
                    .bind("s", status.appleName()).bind("r", resultPlist).bind("now", now).bind("chain", chain)
                    .bind("id", c.id()).execute();
            h.createUpdate("DELETE FROM command_queue WHERE id = :id").bind("id", c.id()).execute();
            return new Recorded(h.createQuery("SELECT *, TRUE AS answered FROM command_history WHERE id = :id")
                    .bind("id", c.id()).map(CommandQueue::map).one(), false);
        });
    }

    private static void requireOwner(Command c, String enrollmentId) throws CommandOwnershipException {
        if (!c.enrollmentId().equals(enrollmentId)) {
            throw new CommandOwnershipException("command " + c.uuid() + " was not queued for this enrollment");
        }
    }

    /**
     * Deletes a command that was never sent.
     *
     * @throws InvalidStateException if it was already sent (or answered)
     * @throws NotFoundException     if there is no such command
     */
    public void deleteUnsent(UUID uuid) throws StoreException {
        tx(h -> {
            if (h.createUpdate("DELETE FROM command_queue WHERE uuid = :u AND sent_at IS NULL").bind("u", uuid).execute() == 1) {
                return null;
            }
            if (find(h, uuid).isPresent()) {
                throw new InvalidStateException("command " + uuid + " was already sent");
            }
            throw new NotFoundException("command " + uuid);
        });
    }

    /** The decrypted secret arguments of a command (empty if it has none). */
    @Override
    public Map<String, String> secretArguments(UUID uuid) throws StoreException {
        byte[] sealed = jdbi.withHandle(h -> h.createQuery("SELECT secret_arguments FROM " + ALL + " WHERE uuid = :u")
                .bind("u", uuid).mapTo(byte[].class).findOne().orElse(null));
        return Json.stringMap(secrets.open(SECRET_TABLE, "secret_arguments", uuid.toString(), sealed));
    }

    /** A command by UUID, queued or answered. */
    public Optional<Command> findByUuid(UUID uuid) {
        return jdbi.withHandle(h -> find(h, uuid));
    }

    private static Optional<Command> find(Handle h, UUID uuid) {
        return h.createQuery("SELECT * FROM " + ALL + " WHERE uuid = :u").bind("u", uuid).map(CommandQueue::map).findOne();
    }

    /** Commands matching {@code q}, newest first. */
    public List<Command> list(Query q) {
        return jdbi.withHandle(h -> h.createQuery("SELECT * FROM " + ALL + WHERE + " ORDER BY id DESC LIMIT :limit OFFSET :offset")
                .bindMethods(q)
                .map(CommandQueue::map).list());
    }

    /** How many commands match {@code q} (ignoring limit and offset). */
    public long count(Query q) {
        return jdbi.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + ALL + WHERE)
                .bindMethods(q)
                .mapTo(Long.class).one());
    }

    private static final String WHERE = " WHERE (:channel IS NULL OR channel = :channel)"
            + " AND (:enrolledDeviceId IS NULL OR enrolled_device_id = :enrolledDeviceId)"
            + " AND (:enrolledUserId IS NULL OR enrolled_user_id = :enrolledUserId)"
            + " AND (:requestType IS NULL OR request_type = :requestType) AND (:name IS NULL OR name = :name)"
            + " AND (:createdAfter IS NULL OR created_at >= :createdAfter)"
            + " AND (:createdBefore IS NULL OR created_at < :createdBefore)"
            + " AND (:state IS NULL"
            + " OR (:state = 'QUEUED' AND sent_at IS NULL AND status IS NULL)"
            + " OR (:state = 'SENT' AND sent_at IS NOT NULL AND status IS NULL)"
            + " OR (:state = 'NOT_NOW' AND status = 'NotNow') OR (:state = 'ACKNOWLEDGED' AND status = 'Acknowledged')"
            + " OR (:state = 'ERROR' AND status = 'Error') OR (:state = 'COMMAND_FORMAT_ERROR' AND status = 'CommandFormatError'))";

    private static Command map(ResultSet rs, StatementContext ctx) throws SQLException {
        String status = rs.getString("status");
        return new Command(rs.getLong("id"), UUID.fromString(rs.getString("uuid")), Channel.valueOf(rs.getString("channel")),
                rs.getString("enrollment_id"), rs.getLong("enrolled_device_id"), Rows.longOrNull(rs, "enrolled_user_id"),
                rs.getString("request_type"), rs.getString("name"), rs.getString("artifact_version"),
                rs.getString("artifact_operation"), rs.getBytes("command_plist"), Rows.instant(rs, "not_before"),
                Rows.instant(rs, "sent_at"), rs.getInt("send_count"), status == null ? null : CommandStatus.fromApple(status),
                rs.getBytes("result_plist"), Rows.instant(rs, "result_time"), rs.getString("error_chain"),
                Rows.instant(rs, "created_at"), Rows.instant(rs, "updated_at"), rs.getBoolean("answered"));
    }
}
