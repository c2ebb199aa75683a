package dev.orchardmdm.crypto.secrets;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Secrets at rest: AES-256-GCM with a key-id prefix and the {@link FieldContext} as associated
 * data, so that a value copied into another row or column fails to decrypt. Several keys may be
 * configured; new values are sealed with the primary one, and {@link #rewrap} moves old values to
 * it (key rotation).
 *
 * <p>Sealed layout: {@code 0x01 | len(keyId) | keyId (ASCII) | nonce (12) | ciphertext + tag (16)};
 * the associated data is the header (version, length, key id) followed by
 * {@link FieldContext#associatedData()}.
 */
public final class SecretBox implements FieldCipher {
    private static final byte VERSION = 1;
    private static final int NONCE = 12;
    private static final int TAG_BITS = 128;
    private static final int MAX_SEALED = 16 << 20;

    private final Map<String, Key> keys;
    private final Key primary;
    private final SecureRandom random = new SecureRandom();

    /**
     * A box with these keys; values are sealed with the key {@code primaryId}.
     *
     * @throws IllegalArgumentException if key ids repeat or the primary is not among the keys
     */
    public SecretBox(List<Key> keys, String primaryId) {
        Map<String, Key> map = new LinkedHashMap<>();
        for (Key k : keys) {
            if (map.put(k.id(), k) != null) {
                throw new IllegalArgumentException("duplicate secret key id " + k.id());
            }
        }
        this.primary = map.get(primaryId);
        if (primary == null) {
            throw new IllegalArgumentException("the primary key " + primaryId + " is not configured");
        }
        this.keys = Map.copyOf(map);
    }

    /** A box with a single key, which is the primary. */
    public static SecretBox of(Key key) {
        return new SecretBox(List.of(key), key.id());
    }

    /** The id of the primary key. */
    public String primaryKeyId() {
        return primary.id();
    }

    @Override
    public byte[] seal(byte[] plaintext, FieldContext context) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] header = header(primary.id());
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        byte[] ct;
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, primary.secretKey(), new GCMParameterSpec(TAG_BITS, nonce));
            c.updateAAD(header);
            c.updateAAD(context.associatedData());
            ct = c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is unavailable", e);
        }
        byte[] out = new byte[header.length + NONCE + ct.length];
        System.arraycopy(header, 0, out, 0, header.length);
        System.arraycopy(nonce, 0, out, header.length, NONCE);
        System.arraycopy(ct, 0, out, header.length + NONCE, ct.length);
        return out;
    }

    @Override
    public byte[] open(byte[] sealed, FieldContext context) throws CryptoException {
        String keyId = keyIdOf(sealed);
        Key key = keys.get(keyId);
        if (key == null) {
            throw new DecryptionException("the value was sealed with key " + keyId + ", which is not configured");
        }
        int headerLength = 2 + keyId.length();
        if (sealed.length < headerLength + NONCE + TAG_BITS / 8) {
            throw new MalformedDataException("sealed value is truncated");
        }
        try {
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key.secretKey(),
                    new GCMParameterSpec(TAG_BITS, sealed, headerLength, NONCE));
            c.updateAAD(sealed, 0, headerLength);
            c.updateAAD(context.associatedData());
            return c.doFinal(sealed, headerLength + NONCE, sealed.length - headerLength - NONCE);
        } catch (javax.crypto.AEADBadTagException e) {
            throw new DecryptionException("the sealed value was tampered with or belongs to another field or row");
        } catch (GeneralSecurityException e) {
            throw new DecryptionException("cannot decrypt the sealed value", e);
        }
    }

    /**
     * Re-seals a value under the primary key (key rotation); a value already under the primary key
     * is returned unchanged.
     */
    public byte[] rewrap(byte[] sealed, FieldContext context) throws CryptoException {
        if (!needsRewrap(sealed)) {
            return sealed;
        }
        byte[] plain = open(sealed, context);
        try {
            return seal(plain, context);
        } finally {
            Arrays.fill(plain, (byte) 0);
        }
    }

    /** True if the value was sealed with a key other than the primary one. */
    public boolean needsRewrap(byte[] sealed) throws MalformedDataException {
        return !keyIdOf(sealed).equals(primary.id());
    }

    /** The id of the key a sealed value was made with. */
    public static String keyIdOf(byte[] sealed) throws MalformedDataException {
        if (sealed == null || sealed.length < 2 || sealed[0] != VERSION) {
            throw new MalformedDataException("not a SecretBox value (unknown version)");
        }
        if (sealed.length > MAX_SEALED) {
            throw new MalformedDataException("sealed value larger than " + MAX_SEALED + " bytes");
        }
        int n = sealed[1] & 0xff;
        if (n == 0 || sealed.length < 2 + n) {
            throw new MalformedDataException("sealed value is truncated");
        }
        String id = new String(sealed, 2, n, StandardCharsets.US_ASCII);
        if (!Key.ID.matcher(id).matches()) {
            throw new MalformedDataException("sealed value has an invalid key id");
        }
        return id;
    }

    private static byte[] header(String keyId) {
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] h = new byte[2 + id.length];
        h[0] = VERSION;
        h[1] = (byte) id.length;
        System.arraycopy(id, 0, h, 2, id.length);
        return h;
    }

    /**
     * A 256-bit AES key with its id. Encoded as text {@code <id>:<base64url of 32 bytes>} for
     * configuration files; {@link #toString()} never shows the key material.
     */
    public static final class Key {
        static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
        private final String id;
        private final byte[] material;

        /** A key with this id (letters, digits, {@code . _ -}; at most 64) and 32 bytes of material. */
        public Key(String id, byte[] material) {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("invalid secret key id");
            }
            if (material == null || material.length != 32) {
                throw new IllegalArgumentException("a secret key is 32 bytes");
            }
            this.id = id;
            this.material = material.clone();
        }

        /** A new random key with a random id. */
        public static Key generate() {
            SecureRandom r = new SecureRandom();
            byte[] idBytes = new byte[6];
            r.nextBytes(idBytes);
            byte[] m = new byte[32];
            r.nextBytes(m);
            return new Key("k" + HexFormat.of().formatHex(idBytes), m);
        }

        /** Parses {@code <id>:<base64 or base64url of 32 bytes>}. */
        public static Key parse(String encoded) throws MalformedDataException {
            String s = encoded == null ? "" : encoded.trim();
            int colon = s.indexOf(':');
            if (colon <= 0) {
                throw new MalformedDataException("a secret key is written <id>:<base64>");
            }
            try {
                String b64 = s.substring(colon + 1).replace('+', '-').replace('/', '_');
                return new Key(s.substring(0, colon), Base64.getUrlDecoder().decode(b64));
            } catch (IllegalArgumentException e) {
                throw new MalformedDataException("invalid secret key: " + e.getMessage());
            }
        }

        /**
         * Reads the key stored in {@code file}, or generates one and writes it there (owner read/write
         * only; the file appears complete or not at all, and a key already there is never replaced).
         */
        public static Key loadOrCreate(Path file) throws IOException, MalformedDataException {
            if (!Files.exists(file)) {
                Key k = generate();
                Path parent = file.toAbsolutePath().getParent();
                Files.createDirectories(parent);
                Path tmp;
                try {
                    tmp = Files.createTempFile(parent, ".secret", ".tmp",
                            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                } catch (UnsupportedOperationException e) {
                    tmp = Files.createTempFile(parent, ".secret", ".tmp");
                }
                try {
                    Files.writeString(tmp, k.encode() + "\n", StandardCharsets.US_ASCII);
                    // a hard link appears whole or not at all, and never replaces a key another process wrote
                    Files.createLink(file, tmp);
                    return k;
                } catch (FileAlreadyExistsException e) {
                    // another process won the race: read its key
                } catch (UnsupportedOperationException e) {
                    try {
                        Files.move(tmp, file);
                        return k;
                    } catch (FileAlreadyExistsException raced) {
                        // another process won the race: read its key
                    }
                } finally {
                    Files.deleteIfExists(tmp);
                }
            }
            return parse(Files.readString(file, StandardCharsets.US_ASCII));
        }

        /** The key id. */
        public String id() {
            return id;
        }

        /** {@code <id>:<base64url>}: a secret, to be stored like a password. */
        public String encode() {
            return id + ":" + Base64.getUrlEncoder().withoutPadding().encodeToString(material);
        }

        SecretKeySpec secretKey() {
            return new SecretKeySpec(material, "AES");
        }

        @Override
        public String toString() {
            return "SecretBox.Key[" + id + "]";
        }
    }
}
