package dev.orchardmdm.store.testing;

import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.PushCertificate;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.util.UUID;

/** Rows that many store tests need: a push certificate, an enrolled device. Every call makes unique rows. */
public final class Fixtures {
    private Fixtures() {
    }

    /** A push certificate with a random name and topic, no key. */
    public static PushCertificate pushCertificate(Store store) throws StoreException {
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        return store.pushCertificates().create("push-" + topic, null, null);
    }

    /** An authenticated device with a random UDID (its enrollment id is the UDID). */
    public static EnrolledDevice device(Store store) throws StoreException {
        String udid = UUID.randomUUID().toString().toUpperCase();
        return store.devices().authenticate(new DeviceRepository.Authentication(udid, udid, "SN" + udid.substring(0, 8),
                "Mac", "Mac14,2", "macOS", "14.2.1", "23C71", null, "fp-" + udid, null, null, false, false));
    }
}
