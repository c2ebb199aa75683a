package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrollmentSession;
import java.util.Objects;
import java.util.Optional;

/**
 * A device request as the engine sees it: the verified certificate identity, where it came from,
 * and — once {@link IdentityBinding} has resolved it — the enrollment session and the bound device.
 *
 * @param identity      the certificate identity (chained to the SCEP CA by the transport layer)
 * @param remoteAddress the client address, for the device record (may be null)
 * @param session       the enrollment session named by the certificate (set by {@link IdentityBinding})
 * @param device        the device bound to that session (absent before the first Authenticate)
 */
public record MdmRequest(Identity identity, String remoteAddress, EnrollmentSession session,
                         Optional<EnrolledDevice> device) {

    public MdmRequest {
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(device, "device");
    }

    /** A request straight from the transport, not yet bound. */
    public static MdmRequest of(Identity identity, String remoteAddress) {
        return new MdmRequest(identity, remoteAddress, null, Optional.empty());
    }

    /** This request bound to its session and device. */
    public MdmRequest bound(EnrollmentSession session, Optional<EnrolledDevice> device) {
        return new MdmRequest(identity, remoteAddress, Objects.requireNonNull(session, "session"), device);
    }

    /** The bound session. @throws IllegalStateException if the request is not bound */
    public EnrollmentSession requireSession() {
        if (session == null) {
            throw new IllegalStateException("request not bound to an enrollment session");
        }
        return session;
    }

    /** The bound device. @throws IllegalStateException if none is bound */
    public EnrolledDevice requireDevice() {
        return device.orElseThrow(() -> new IllegalStateException("request not bound to a device"));
    }
}
