package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.EnrollmentId;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSession;
import dev.orchardmdm.store.SessionKind;
import dev.orchardmdm.store.SessionStatus;
import dev.orchardmdm.store.Store;
import java.util.Objects;
import java.util.Optional;

/**
 * The identity-binding decorator: every request's certificate (already chained to the SCEP CA by
 * the transport) must name an enrollment session ({@code MDM$<TYPE>$<secret>}) that exists and
 * has the right type. Before Authenticate the session must be ready to authenticate and not bound
 * to another device; a session binds to one UDID (and serial number where known) at its first
 * Authenticate. A UDID that is already enrolled moves only to a session that proves it: one pinned
 * to that UDID by an Apple attestation (OTA phase 2, ADE MachineInfo) or a re-enrollment session
 * issued for that device. After Authenticate, the message's UDID (or EnrollmentID) and the
 * certificate fingerprint must match the device and certificate bound at Authenticate, the session
 * must be the device's latest and the device must not have checked out. Otherwise
 * {@link MdmException.Forbidden} (403), and nothing changes.
 */
public final class IdentityBinding implements MdmService {
    private final MdmService next;
    private final Store store;

    public IdentityBinding(MdmService next, Store store) {
        this.next = Objects.requireNonNull(next, "next");
        this.store = Objects.requireNonNull(store, "store");
    }

    @Override
    public MdmResponse checkin(MdmRequest request, CheckinMessage message) throws MdmException {
        EnrollmentSession session = session(request.identity());
        if (message instanceof CheckinMessage.Authenticate a) {
            return next.checkin(request.bound(session, authenticating(request.identity(), session, a)), message);
        }
        return next.checkin(request.bound(session, Optional.of(bound(request.identity(), session, message.id()))),
                message);
    }

    @Override
    public MdmResponse connect(MdmRequest request, CommandReport report) throws MdmException {
        EnrollmentSession session = session(request.identity());
        return next.connect(request.bound(session, Optional.of(bound(request.identity(), session, report.id()))),
                report);
    }

    private EnrollmentSession session(Identity identity) throws MdmException.Forbidden {
        SessionSecret secret = SessionSecret.parse(identity.commonName())
                .filter(s -> "MDM".equals(s.prefix()))
                .orElseThrow(() -> new MdmException.Forbidden("certificate is not an MDM enrollment identity"));
        EnrollmentSession session = store.enrollmentSessions().findBySecret(secret.secret())
                .orElseThrow(() -> new MdmException.Forbidden("unknown enrollment session"));
        if (!typeOf(session.kind()).equals(secret.type())) {
            throw new MdmException.Forbidden("enrollment session type mismatch");
        }
        return session;
    }

    /** The session type letter of a session kind, as in the certificate common name. */
    public static String typeOf(SessionKind kind) {
        return switch (kind) {
            case OTA -> "OTA";
            case DEP -> "DEP";
            case USER -> "USER";
            case REENROLLMENT -> "RE";
        };
    }

    /** Authenticate: the device the session is already bound to (a repeated Authenticate), or none. */
    private Optional<EnrolledDevice> authenticating(Identity identity, EnrollmentSession session,
                                                    CheckinMessage.Authenticate a) throws MdmException.Forbidden {
        if (a.id().channel() != EnrollmentId.Channel.DEVICE) {
            throw new MdmException.Forbidden("Authenticate must come on the device channel");
        }
        if (session.udid() != null && !session.udid().equals(a.id().deviceId())) {
            throw new MdmException.Forbidden("enrollment session is for another device");
        }
        if (session.serialNumber() != null && a.serialNumber().isPresent()
                && !session.serialNumber().equals(a.serialNumber().get())) {
            throw new MdmException.Forbidden("enrollment session is for another serial number");
        }
        if (identity.serialNumber() != null && !identity.serialNumber().isEmpty() && a.serialNumber().isPresent()
                && !identity.serialNumber().equals(a.serialNumber().get())) {
            throw new MdmException.Forbidden("certificate serial number does not match the device");
        }
        if (session.enrolledDeviceId() != null) {
            EnrolledDevice device = store.devices().findById(session.enrolledDeviceId())
                    .orElseThrow(() -> new MdmException.Forbidden("enrollment session device is gone"));
            if (!device.udid().equals(a.id().deviceId())) {
                throw new MdmException.Forbidden("enrollment session is bound to another device");
            }
            if (!identity.fingerprint().equals(session.certFingerprint())) {
                throw new MdmException.Forbidden("certificate does not match the enrollment session");
            }
            refuseCheckedOut(device);
            return Optional.of(device);
        }
        if (!session.kind().allows(session.status(), SessionStatus.AUTHENTICATED)) {
            throw new MdmException.Forbidden("enrollment session is not ready for Authenticate");
        }
        if (session.kind() == SessionKind.REENROLLMENT && session.udid() == null) {
            throw new MdmException.Forbidden("re-enrollment session was not issued for a device");
        }
        Optional<EnrolledDevice> enrolled = store.devices().findByUdid(a.id().deviceId());
        if (enrolled.isPresent() && enrolled.get().checkoutAt() == null && enrolled.get().blockedAt() == null
                && !provesDevice(session, a.id().deviceId())) {
            throw new MdmException.Forbidden("device is enrolled: only an enrollment that proves this device"
                    + " (OTA phase 2, ADE MachineInfo or a re-enrollment issued for it) may take it over");
        }
        return Optional.empty();
    }

    /**
     * Whether the session proves it belongs to the device {@code udid}: it was pinned to that UDID
     * when it started (by an Apple-signed OTA phase 2 or ADE MachineInfo, or as a re-enrollment
     * issued for the device).
     */
    static boolean provesDevice(EnrollmentSession session, String udid) {
        return session.udid() != null && session.udid().equals(udid);
    }

    private static void refuseCheckedOut(EnrolledDevice device) throws MdmException.Forbidden {
        if (device.checkoutAt() != null) {
            throw new MdmException.Forbidden("the device checked out of this enrollment");
        }
    }

    /** Any message after Authenticate: the bound device, checked against the message and certificate. */
    private EnrolledDevice bound(Identity identity, EnrollmentSession session, EnrollmentId id)
            throws MdmException.Forbidden {
        if (session.enrolledDeviceId() == null
                || (session.status() != SessionStatus.AUTHENTICATED && session.status() != SessionStatus.COMPLETED)) {
            throw new MdmException.Forbidden("enrollment session is not authenticated");
        }
        if (!identity.fingerprint().equals(session.certFingerprint())) {
            throw new MdmException.Forbidden("certificate does not match the enrollment session");
        }
        EnrolledDevice device = store.devices().findById(session.enrolledDeviceId())
                .orElseThrow(() -> new MdmException.Forbidden("enrollment session device is gone"));
        String expected = id.userEnrollment() ? device.enrollmentId() : device.udid();
        if (!expected.equals(id.deviceId())) {
            throw new MdmException.Forbidden("message device identifier does not match the enrollment session");
        }
        Optional<EnrollmentSession> latest = store.enrollmentSessions().latestForDevice(device.id());
        if (latest.isPresent() && latest.get().id() != session.id()) {
            throw new MdmException.Forbidden("enrollment session was superseded by a newer enrollment");
        }
        refuseCheckedOut(device);
        return device;
    }
}
