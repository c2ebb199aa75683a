package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CheckinResponses;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.EnrollmentId;
import dev.orchardmdm.protocol.ErrorChainItem;
import dev.orchardmdm.protocol.PlistData;
import dev.orchardmdm.store.CommandOwnershipException;
import dev.orchardmdm.store.CommandQueue;
import dev.orchardmdm.store.CommandStatus;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrolledUser;
import dev.orchardmdm.store.Enrollment;
import dev.orchardmdm.store.EnrollmentSession;
import dev.orchardmdm.store.InvalidStateException;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import dev.orchardmdm.store.UnknownCommandException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The core MDM service: check-in messages and the command loop, on a request already bound by
 * {@link IdentityBinding}. Every state change goes through mdm-store.
 */
public final class CoreMdmService implements MdmService {
    /** last_seen_at is written at most this often per device (and whenever the address changes). */
    static final Duration SEEN_PRECISION = Duration.ofSeconds(60);
    /** The inventory commands queued again when older than the inventory interval. */
    private static final List<String> INVENTORY_REQUEST_TYPES = List.of("DeviceInformation", "SecurityInfo");
    private final Store store;
    private final CommandService commands;
    private final ResultProcessor results;
    private final DeclarativeManagementHandler declarativeManagement;
    private final Duration inventoryInterval;
    private final Clock clock;

    public CoreMdmService(Store store, CommandService commands, ResultProcessor results,
                          DeclarativeManagementHandler declarativeManagement, Duration inventoryInterval, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.commands = Objects.requireNonNull(commands, "commands");
        this.results = Objects.requireNonNull(results, "results");
        this.declarativeManagement = Objects.requireNonNull(declarativeManagement, "declarativeManagement");
        this.inventoryInterval = Objects.requireNonNull(inventoryInterval, "inventoryInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public MdmResponse checkin(MdmRequest request, CheckinMessage message) throws MdmException {
        if (request.device().map(d -> d.blockedAt() != null).orElse(false)) {
            throw new MdmException.Blocked("Blocked");
        }
        try {
            if (message instanceof CheckinMessage.Authenticate a) {
                return authenticate(request, a);
            } else if (message instanceof CheckinMessage.TokenUpdate t) {
                return tokenUpdate(request, t);
            } else if (message instanceof CheckinMessage.CheckOut c) {
                return checkOut(request, c);
            } else if (message instanceof CheckinMessage.SetBootstrapToken s) {
                return setBootstrapToken(request, s);
            } else if (message instanceof CheckinMessage.GetBootstrapToken) {
                return MdmResponse.plist(CheckinResponses.bootstrapToken(
                        store.devices().secret(request.requireDevice().id(), DeviceSecret.BOOTSTRAP_TOKEN)));
            } else if (message instanceof CheckinMessage.UserAuthenticate) {
                return MdmResponse.gone("user authentication is not supported");
            } else if (message instanceof CheckinMessage.GetToken g) {
                throw new MdmException.BadRequest("GetToken is not supported: no token service is configured for "
                        + g.tokenServiceType());
            } else if (message instanceof CheckinMessage.DeclarativeManagement d) {
                return declarativeManagement.handle(request.requireDevice(), d);
            } else if (message instanceof CheckinMessage.ReturnToService) {
                return returnToService(request);
            }
            throw new MdmException.BadRequest("unsupported check-in message " + message.messageType());
        } catch (StoreException e) {
            throw storeRefusal(e);
        }
    }

    private MdmResponse authenticate(MdmRequest request, CheckinMessage.Authenticate a)
            throws MdmException, StoreException {
        PushCertificate pushCertificate = store.pushCertificates().findByTopic(a.topic())
                .orElseThrow(() -> new MdmException.BadRequest("unknown push topic"));
        EnrollmentSession session = request.requireSession();
        Enrollment enrollment = session.enrollmentId() == null ? null
                : store.enrollments().findById(session.enrollmentId()).orElse(null);
        Optional<EnrolledDevice> existing = store.devices().findByUdid(a.id().deviceId());
        if (existing.isPresent() && existing.get().blockedAt() != null) {
            throw new MdmException.Blocked("Blocked");
        }
        if (request.device().isPresent()) {
            // a repeated Authenticate on the bound session: answered, nothing else changes
            return MdmResponse.empty();
        }
        if (existing.isPresent() && session.kind() != SessionKind.REENROLLMENT) {
            purgeCommands(existing.get());
            // secrets escrowed under the previous enrollment are not readable through this one
            store.devices().clearSecrets(existing.get().id(), IdentityBinding.provesDevice(session, a.id().deviceId())
                    ? Set.of(DeviceSecret.BOOTSTRAP_TOKEN) : EnumSet.allOf(DeviceSecret.class));
        }
        EnrolledDevice device;
        try {
            device = store.devices().authenticate(new DeviceRepository.Authentication(a.id().deviceId(), a.id().id(),
                    a.serialNumber().orElse(null), a.deviceName().orElse(null), a.model().orElse(null),
                    Platforms.atAuthenticate(a, session).orElse(null),
                    a.osVersion().orElse(null), a.buildVersion().orElse(null), pushCertificate.id(),
                    request.identity().fingerprint(), request.identity().notAfter(),
                    enrollment == null ? null : enrollment.blueprintId(), session.kind() == SessionKind.DEP,
                    a.id().userEnrollment()));
        } catch (InvalidStateException blocked) {
            throw new MdmException.Blocked("Blocked");
        }
        store.enrollmentSessions().authenticate(session.id(), device.id(), request.identity().fingerprint());
        return MdmResponse.empty();
    }

    /**
     * A fresh enrollment of a known device: the commands of its previous enrollment are not
     * delivered to it. Unsent ones are deleted; sent but unanswered ones (including NotNow) are
     * closed as errors ("re-enrolled before answering"), so that, say, an EraseDevice that wiped the
     * device is not sent again to the freshly enrolled one.
     */
    private void purgeCommands(EnrolledDevice device) throws StoreException {
        String chain = "[{\"ErrorDomain\":\"Orchard\",\"LocalizedDescription\":"
                + "\"the device enrolled again before answering\"}]";
        for (CommandQueue.State state : List.of(CommandQueue.State.QUEUED, CommandQueue.State.SENT,
                CommandQueue.State.NOT_NOW)) {
            for (int round = 0; round < 100; round++) {
                List<dev.orchardmdm.store.Command> pending = store.commands().list(new CommandQueue.Query(null,
                        device.id(), null, state, null, null, null, null, 500, 0));
                if (pending.isEmpty()) {
                    break;
                }
                for (dev.orchardmdm.store.Command c : pending) {
                    try {
                        if (state == CommandQueue.State.QUEUED) {
                            store.commands().deleteUnsent(c.uuid());
                        } else {
                            store.commands().recordResult(c.enrollmentId(), c.uuid(), CommandStatus.ERROR, null,
                                    chain);
                        }
                    } catch (InvalidStateException | dev.orchardmdm.store.NotFoundException raced) {
                        // sent or answered meanwhile: the next round sees its new state
                    }
                }
            }
        }
    }

    private MdmResponse tokenUpdate(MdmRequest request, CheckinMessage.TokenUpdate t)
            throws MdmException, StoreException {
        EnrolledDevice device = request.requireDevice();
        if (!t.topic().equals(device.pushTopic()) && store.pushCertificates().findByTopic(t.topic()).isEmpty()) {
            throw new MdmException.BadRequest("unknown push topic");
        }
        if (t.id().channel() == EnrollmentId.Channel.USER) {
            if (t.id().isSharedIpadTemporaryUser()) {
                return MdmResponse.empty();
            }
            EnrolledUser user = store.users().upsert(device.id(), t.id().userId().orElseThrow(), t.id().id(),
                    t.userLongName().orElse(null), t.userShortName().orElse(null));
            store.users().tokenUpdate(user.id(), t.token().bytes(), t.pushMagic());
            return MdmResponse.empty();
        }
        store.devices().tokenUpdate(device.id(), new DeviceRepository.TokenUpdate(t.token().bytes(), t.pushMagic(),
                t.topic(), t.unlockToken().map(PlistData::bytes).orElse(null),
                t.awaitingConfiguration().orElse(null)));
        EnrollmentSession session = request.requireSession();
        if (session.status() == SessionStatus.AUTHENTICATED) {
            store.enrollmentSessions().advance(session.id(), SessionStatus.AUTHENTICATED, SessionStatus.COMPLETED);
            // a fresh enrollment: collect the inventory at once
            CommandTarget target = CommandTarget.device(device);
            commands.queue(target, Commands.deviceInformation());
            commands.queue(target, Commands.securityInfo());
        }
        return MdmResponse.empty();
    }

    private MdmResponse checkOut(MdmRequest request, CheckinMessage.CheckOut c) throws StoreException {
        if (c.id().channel() == EnrollmentId.Channel.DEVICE) {
            store.devices().checkout(request.requireDevice().id());
        }
        return MdmResponse.empty();
    }

    private MdmResponse setBootstrapToken(MdmRequest request, CheckinMessage.SetBootstrapToken s)
            throws StoreException {
        long id = request.requireDevice().id();
        store.devices().storeSecret(id, DeviceSecret.BOOTSTRAP_TOKEN, s.bootstrapToken().map(PlistData::bytes)
                .filter(b -> b.length > 0).orElse(null));
        if (s.awaitingConfiguration().isPresent()) {
            store.devices().setAwaitingConfiguration(id, s.awaitingConfiguration().get());
        }
        return MdmResponse.empty();
    }

    private MdmResponse returnToService(MdmRequest request) {
        Long enrollmentId = request.requireSession().enrollmentId();
        boolean enabled = enrollmentId != null && store.enrollments().findById(enrollmentId)
                .map(Enrollment::returnToService).orElse(false);
        // Return to Service needs a Wi-Fi profile for most devices; until one is configured only
        // the flag is served, so devices without wired network simply skip it.
        return MdmResponse.plist(new CheckinResponses.ReturnToServiceConfig(enabled, Optional.empty(),
                Optional.empty(), Optional.empty()).toPlist());
    }

    @Override
    public MdmResponse connect(MdmRequest request, CommandReport report) throws MdmException {
        EnrolledDevice device = request.requireDevice();
        if (device.blockedAt() != null) {
            // before anything is recorded: a blocked device changes nothing
            throw new MdmException.Blocked("Blocked");
        }
        try {
            Optional<EnrolledUser> user = Optional.empty();
            if (report.id().channel() == EnrollmentId.Channel.USER) {
                user = Optional.of(store.users().findByEnrollmentId(report.id().id())
                        .filter(u -> u.enrolledDeviceId() == device.id())
                        .orElseThrow(() -> new MdmException.Forbidden("unknown user channel")));
            }
            String enrollmentId = report.id().id();
            if (report.commandUuid().isPresent()) {
                recordResult(device, enrollmentId, report);
            }
            Instant now = clock.instant();
            if (device.lastSeenAt() == null || device.lastSeenAt().isBefore(now.minus(SEEN_PRECISION))
                    || !Objects.equals(device.lastIp(), request.remoteAddress())) {
                store.devices().markSeen(device.id(), request.remoteAddress());
            }
            boolean notNow = report.status() == dev.orchardmdm.protocol.CommandStatus.NotNow;
            // the common Idle with an empty queue reads only: no write transaction
            Optional<CommandService.Delivered> next = store.commands().pendingCount(enrollmentId) == 0
                    ? Optional.empty() : commands.next(enrollmentId, notNow);
            if (next.isEmpty() && !notNow && user.isEmpty() && refreshInventory(device)) {
                next = commands.next(enrollmentId, false);
            }
            return next.map(d -> MdmResponse.plist(d.plist())).orElse(MdmResponse.empty());
        } catch (StoreException e) {
            throw storeRefusal(e);
        }
    }

    private void recordResult(EnrolledDevice device, String enrollmentId, CommandReport report)
            throws MdmException, StoreException {
        CommandQueue.Recorded recorded;
        try {
            recorded = store.commands().recordResult(enrollmentId,
                    CommandService.parseReportedUuid(report.commandUuid().orElseThrow()),
                    CommandStatus.fromApple(report.status().name()), report.raw().toBinary(),
                    report.errorChain().isEmpty() ? null : errorChainJson(report.errorChain()));
        } catch (CommandOwnershipException e) {
            throw new MdmException.Forbidden("command was not queued for this device");
        } catch (UnknownCommandException e) {
            throw new MdmException.BadRequest("unknown command");
        } catch (InvalidStateException e) {
            throw new MdmException.BadRequest("command was never sent to this device");
        }
        if (!recorded.duplicate()) {
            commands.answered(recorded.command());
        }
        if (!recorded.duplicate() && recorded.command().answered()) {
            results.process(device, recorded.command(), report);
        }
    }

    /**
     * Queues DeviceInformation / SecurityInfo when none was queued within the inventory interval:
     * the device's blueprint's, or the configured default.
     */
    private boolean refreshInventory(EnrolledDevice device) throws StoreException {
        Duration interval = device.blueprintId() == null ? inventoryInterval
                : store.blueprints().findBlueprint(device.blueprintId())
                        .map(b -> Duration.ofSeconds(b.inventoryInterval())).orElse(inventoryInterval);
        Instant since = clock.instant().minus(interval);
        Set<String> recent = store.commands().requestTypesQueuedSince(device.id(), device.enrollmentId(),
                INVENTORY_REQUEST_TYPES, since);
        boolean queued = false;
        for (String requestType : INVENTORY_REQUEST_TYPES) {
            if (!recent.contains(requestType)) {
                commands.queue(CommandTarget.device(device), "DeviceInformation".equals(requestType)
                        ? Commands.deviceInformation() : Commands.securityInfo(), Set.of(), null, null);
                queued = true;
            }
        }
        return queued;
    }

    private static String errorChainJson(List<ErrorChainItem> chain) {
        return PlistJson.toJson(chain.stream().map(i -> {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            i.errorCode().ifPresent(v -> m.put("ErrorCode", v));
            i.errorDomain().ifPresent(v -> m.put("ErrorDomain", v));
            i.localizedDescription().ifPresent(v -> m.put("LocalizedDescription", v));
            i.usEnglishDescription().ifPresent(v -> m.put("USEnglishDescription", v));
            return m;
        }).toList(), Set.of());
    }

    private static MdmException storeRefusal(StoreException e) {
        if (e instanceof InvalidStateException) {
            return new MdmException.Forbidden("refused: " + e.getMessage(), e);
        }
        return new MdmException.BadRequest("refused: " + e.getMessage(), e);
    }
}
