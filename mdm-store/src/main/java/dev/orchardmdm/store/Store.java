package dev.orchardmdm.store;

import dev.orchardmdm.crypto.secrets.FieldCipher;
import java.time.Clock;
import java.util.Objects;

/**
 * All repositories over one {@link Database}, sharing one {@link FieldCipher} for the encrypted
 * columns and one clock. Cheap to build; thread-safe.
 */
public final class Store {
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
    }

    public Database database() {
        return database;
    }

    public PushCertificateRepository pushCertificates() {
        return pushCertificates;
    }

    public EnrollmentRepository enrollments() {
        return enrollments;
    }

    public EnrollmentSessionRepository enrollmentSessions() {
        return enrollmentSessions;
    }

    public DeviceRepository devices() {
        return devices;
    }

    public UserRepository users() {
        return users;
    }

    public CommandQueue commands() {
        return commands;
    }

    public PushOutbox pushOutbox() {
        return pushOutbox;
    }

    public TaskRepository tasks() {
        return tasks;
    }

    public ApiTokenRepository apiTokens() {
        return apiTokens;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    public BlueprintRepository blueprints() {
        return blueprints;
    }

    public DepRepository dep() {
        return dep;
    }

    public AppsBooksRepository appsBooks() {
        return appsBooks;
    }

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
