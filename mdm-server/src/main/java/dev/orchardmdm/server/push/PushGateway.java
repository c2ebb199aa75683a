package dev.orchardmdm.server.push;

import dev.orchardmdm.apns.MdmPush;
import dev.orchardmdm.apns.PushOutcome;
import java.util.List;

/** Sends MDM pushes with one push certificate; {@link ApnsPushGateway} is the APNs one. */
public interface PushGateway extends AutoCloseable {

    /**
     * Sends {@code pushes} with the push certificate {@code pushCertificateId}; the outcomes are
     * in the same order.
     */
    List<PushOutcome> send(long pushCertificateId, List<MdmPush> pushes) throws InterruptedException;

    @Override
    default void close() {
    }
}
