package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** Devices seeded into a test store, among them the spec's own example device. */
public final class DeviceSeeds {
    public static final String SPEC_UDID = "2A7F9BCE-9B52-4073-BE21-E419C85068E9";
    public static final String SPEC_SERIAL = "012345678910";

    private DeviceSeeds() {
    }

    /** A blueprint row (the blueprint repository is mdm-store's; this only needs an id). */
    public static long blueprint(Store store, String name) {
        return store.database().jdbi().withHandle(h -> h.createQuery(
                        "INSERT INTO blueprints (name, created_at, updated_at) VALUES (:n, 0, 0) RETURNING id")
                .bind("n", name).mapTo(Long.class).one());
    }

    /** The spec's device: John's Intel Mac mini, every flag and escrowed secret as in the spec. */
    public static EnrolledDevice specDevice(Store store) throws StoreException {
        long blueprint = blueprint(store, "spec-blueprint-" + UUID.randomUUID());
        DeviceRepository devices = store.devices();
        EnrolledDevice d = devices.authenticate(new DeviceRepository.Authentication(SPEC_UDID, SPEC_UDID, SPEC_SERIAL,
                "John’s Mac mini", "Macmini8,1", "macOS", "14.2.1", "23C71", null, "fp-spec",
                Instant.parse("2024-08-05T14:44:01Z"), blueprint, true, false));
        devices.updateFacts(d.id(), new DeviceRepository.DeviceFacts(null, null, null, null, null, null, null, null,
                false, true, null, null, true, true, true, null, null));
        devices.setDeclarativeManagement(d.id(), true, "declarations-token");
        devices.storeSecret(d.id(), DeviceSecret.BOOTSTRAP_TOKEN, "bootstrap".getBytes(StandardCharsets.UTF_8));
        devices.storeSecret(d.id(), DeviceSecret.FILEVAULT_PRK, "0000-0000-0000-0000-0000-0000");
        devices.storeSecret(d.id(), DeviceSecret.RECOVERY_PASSWORD, "000000000000");
        devices.markSeen(d.id(), "127.0.0.1");
        devices.markNotified(d.id());
        return devices.findById(d.id()).orElseThrow();
    }

    /** A device of {@code platform} (macOS Apple silicon when {@code appleSilicon}; null: not reported yet). */
    public static EnrolledDevice device(Store store, String platform, boolean appleSilicon) throws StoreException {
        String udid = UUID.randomUUID().toString().toUpperCase();
        EnrolledDevice d = store.devices().authenticate(new DeviceRepository.Authentication(udid, udid,
                "SN" + udid.substring(0, 10), platform + " device", "macOS".equals(platform) ? "Mac14,2" : "iPhone15,2",
                platform, "17.2", "21C62", null, "fp-" + udid, null, null, false, false));
        return store.devices().updateFacts(d.id(), new DeviceRepository.DeviceFacts(null, null, null, null, null, null,
                null, null, appleSilicon, null, null, null, null, null, null, null, null));
    }
}
