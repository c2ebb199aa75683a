package dev.orchardmdm.server.engine;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.filevault.FileVaultEscrow;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.store.DeviceRepository;
import dev.orchardmdm.store.DeviceSecret;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The per-device FileVault escrow identity, kept in the device's encrypted
 * {@code filevault_escrow_key} column as PEM (private key, then certificate). The profile that
 * turns FileVault on carries its certificate; SecurityInfo's {@code FDE_PersonalRecoveryKeyCMS} is
 * decrypted with it ({@link #decryptPrk}).
 */
public final class FileVaultEscrowKeys implements ResultProcessor.FileVaultEscrow {
    /** Validity of escrow certificates (Zentral: 20 years). */
    public static final Duration VALIDITY = Duration.ofDays(20 * 365);
    private final DeviceRepository devices;

    public FileVaultEscrowKeys(Store store) {
        this(store.devices());
    }

    public FileVaultEscrowKeys(DeviceRepository devices) {
        this.devices = Objects.requireNonNull(devices, "devices");
    }

    /** The device's escrow identity, created and stored on first call. */
    public KeyAndChain escrowIdentity(EnrolledDevice device) throws StoreException, CryptoException {
        Optional<KeyAndChain> existing = load(device);
        if (existing.isPresent()) {
            return existing.get();
        }
        KeyAndChain fresh = FileVaultEscrow.newEscrowIdentity(
                device.serialNumber() == null ? device.udid() : device.serialNumber(), VALIDITY);
        devices.storeSecret(device.id(), DeviceSecret.FILEVAULT_ESCROW_KEY, encode(fresh));
        return fresh;
    }

    @Override
    public Optional<String> decryptPrk(EnrolledDevice device, byte[] prkCms) throws StoreException, CryptoException {
        Optional<KeyAndChain> escrow = load(device);
        if (escrow.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(FileVaultEscrow.decryptRecoveryKey(prkCms, escrow.get()));
    }

    private Optional<KeyAndChain> load(EnrolledDevice device) throws StoreException, CryptoException {
        Optional<byte[]> stored = devices.secret(device.id(), DeviceSecret.FILEVAULT_ESCROW_KEY);
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        java.security.PrivateKey key = null;
        java.util.List<java.security.cert.X509Certificate> chain = new java.util.ArrayList<>();
        for (Pem.Block block : Pem.blocks(new String(stored.get(), StandardCharsets.US_ASCII))) {
            if ("CERTIFICATE".equals(block.type())) {
                chain.add(Certificates.parseDer(block.der()));
            } else if (block.type().endsWith("PRIVATE KEY")) {
                key = Pem.readPrivateKey(block.der());
            }
        }
        if (key == null || chain.isEmpty()) {
            throw new dev.orchardmdm.crypto.MalformedDataException("stored FileVault escrow identity is incomplete");
        }
        return Optional.of(new KeyAndChain(key, chain));
    }

    /** The stored form: PEM private key, then the PEM certificate chain. */
    static byte[] encode(KeyAndChain identity) {
        return (Pem.privateKey(identity.privateKey()) + Pem.certificates(identity.chain()))
                .getBytes(StandardCharsets.UTF_8);
    }
}
