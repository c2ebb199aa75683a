package dev.orchardmdm.store;

import dev.orchardmdm.crypto.secrets.FieldCipher;
import java.time.Clock;
import java.util.Objects;

/**
 * All repositories over one {@link Database}, sharing one {@link FieldCipher} for the encrypted
 * columns and one clock. Cheap to build; thread-safe.
 */
public final class Store implements UnitOfWork {
    private final Database database;
    private final PushCertificateRepository pushCertificates;
    private final EnrollmentRepository enrollments;
    private final EnrollmentSessionRepository enrollmentSessions;
    private final DeviceRepository devices;
    private final UserRepository users;
    private final CommandQueue commands;
    private final PushOutbox pushOutbox;
    private final TaskRepository tasks;
    private final ApiTokenRepository apiTokens;
    private final AuditLog auditLog;
    private final BlueprintRepository blueprints;
    private final DepRepository dep;
    private final AppsBooksRepository appsBooks;
    private final SoftwareUpdateRepository softwareUpdates;
    private final SecretRewrap secretRewrap;
    private final ScepIssuanceRepository scepIssuances;

    /** A store with the default command redelivery delay ({@link CommandQueue#DEFAULT_REDELIVER_AFTER}). */
    public Store(Database database, FieldCipher cipher, Clock clock) {
        this(database, cipher, clock, CommandQueue.DEFAULT_REDELIVER_AFTER);
    }

    /**
     * @param redeliverAfter how long a sent, unanswered command waits before it may be delivered again
     */
    public Store(Database database, FieldCipher cipher, Clock clock, java.time.Duration redeliverAfter) {
        this.database = Objects.requireNonNull(database, "database");
        Secrets secrets = new Secrets(cipher);
        this.pushCertificates = new PushCertificateRepository(database, secrets, clock);
        this.enrollments = new EnrollmentRepository(database, secrets, clock);
        this.enrollmentSessions = new EnrollmentSessionRepository(database, secrets, clock);
        this.devices = new DeviceRepository(database, secrets, clock);
        this.users = new UserRepository(database, secrets, clock);
        this.commands = new CommandQueue(database, secrets, clock, redeliverAfter);
        this.pushOutbox = new PushOutbox(database, secrets, clock);
        this.tasks = new TaskRepository(database, secrets, clock, TaskRepository.DEFAULT_MAX_ATTEMPTS);
        this.apiTokens = new ApiTokenRepository(database, secrets, clock);
        this.auditLog = new AuditLog(database, secrets, clock);
        this.blueprints = new BlueprintRepository(database, secrets, clock);
        this.dep = new DepRepository(database, secrets, clock);
        this.appsBooks = new AppsBooksRepository(database, secrets, clock);
        this.softwareUpdates = new SoftwareUpdateRepository(database, secrets, clock);
        this.secretRewrap = new SecretRewrap(database, secrets, clock);
        this.scepIssuances = new ScepIssuanceRepository(database, secrets, clock);
    }

    /** The SCEP issuance ledger (single-use challenges, renewals). */
    public ScepIssuanceRepository scepIssuances() {
        return scepIssuances;
    }

    /** The database of this store. */
    public Database database() {
        return database;
    }

    /**
     * Runs {@code work} as one unit of work: the repository writes it makes on this thread commit
     * together, once, or not at all (see {@link Database#inUnitOfWork}). A unit that only reads
     * opens no write transaction.
     */
    @Override
    public <R, X extends Exception> R inUnitOfWork(Database.UnitOfWorkCallback<R, X> work) throws X {
        return database.inUnitOfWork(work);
    }

    /** The push certificates of this store. */
    public PushCertificateRepository pushCertificates() {
        return pushCertificates;
    }

    /** The enrollments of this store. */
    public EnrollmentRepository enrollments() {
        return enrollments;
    }

    /** The enrollment sessions of this store. */
    public EnrollmentSessionRepository enrollmentSessions() {
        return enrollmentSessions;
    }

    /** The devices of this store. */
    public DeviceRepository devices() {
        return devices;
    }

    /** The users of this store. */
    public UserRepository users() {
        return users;
    }

    /** The commands of this store. */
    public CommandQueue commands() {
        return commands;
    }

    /** The push outbox of this store. */
    public PushOutbox pushOutbox() {
        return pushOutbox;
    }

    /** The tasks of this store. */
    public TaskRepository tasks() {
        return tasks;
    }

    /** The api tokens of this store. */
    public ApiTokenRepository apiTokens() {
        return apiTokens;
    }

    /** The audit log of this store. */
    public AuditLog auditLog() {
        return auditLog;
    }

    /** The blueprints of this store. */
    public BlueprintRepository blueprints() {
        return blueprints;
    }

    /** The dep of this store. */
    public DepRepository dep() {
        return dep;
    }

    /** The apps books of this store. */
    public AppsBooksRepository appsBooks() {
        return appsBooks;
    }

    /** The software updates of this store. */
    public SoftwareUpdateRepository softwareUpdates() {
        return softwareUpdates;
    }

    /**
     * Key rotation: re-seals every encrypted value with the cipher's primary key (see {@link SecretRewrap}).
     *
     * @return the number of values re-sealed
     */
    public long rewrapSecrets() throws StoreException {
        return secretRewrap.rewrapAll();
    }
}
