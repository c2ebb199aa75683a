package dev.orchardmdm.crypto.passwords;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import dev.orchardmdm.crypto.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * The {@code SALTED-SHA512-PBKDF2} password hash macOS expects in {@code SetAutoAdminPassword}
 * ({@code passwordHash}) and {@code AccountConfiguration.AutoSetupAdminAccounts[].passwordHash}:
 * PBKDF2-HMAC-SHA512 of the UTF-8 password, 128-byte derived key ("entropy"), 32-byte salt.
 *
 * @param entropy    the derived key (128 bytes)
 * @param salt       the salt (32 bytes)
 * @param iterations the PBKDF2 iteration count
 */
public record SaltedSha512Pbkdf2(byte[] entropy, byte[] salt, int iterations) {
    /** The iteration count used by Zentral and Apple's tools. */
    public static final int DEFAULT_ITERATIONS = 39_999;
    private static final int ENTROPY_BYTES = 128;
    private static final int SALT_BYTES = 32;
    private static final String KEY = "SALTED-SHA512-PBKDF2";

    public SaltedSha512Pbkdf2 {
        entropy = entropy.clone();
        salt = salt.clone();
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be positive");
        }
    }

    /** Hashes {@code password} with a fresh random 32-byte salt and {@value #DEFAULT_ITERATIONS} iterations. */
    public static SaltedSha512Pbkdf2 hash(char[] password) {
        byte[] salt = new byte[SALT_BYTES];
        new SecureRandom().nextBytes(salt);
        return hash(password, salt, DEFAULT_ITERATIONS);
    }

    /** Hashes {@code password} with the given salt and iteration count. */
    public static SaltedSha512Pbkdf2 hash(char[] password, byte[] salt, int iterations) {
        return new SaltedSha512Pbkdf2(derive(password, salt, iterations), salt, iterations);
    }

    private static byte[] derive(char[] password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password, salt, iterations, ENTROPY_BYTES * 8);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA512 is unavailable", e);
        } finally {
            spec.clearPassword();
        }
    }

    /** True if {@code password} hashes to this value (constant-time comparison). */
    public boolean matches(char[] password) {
        return MessageDigest.isEqual(entropy, derive(password, salt, iterations));
    }

    /** The dictionary {@code {"SALTED-SHA512-PBKDF2": {entropy, iterations, salt}}}. */
    public NSDictionary toPlist() {
        NSDictionary inner = new NSDictionary();
        inner.put("entropy", new NSData(entropy));
        inner.put("iterations", new NSNumber(iterations));
        inner.put("salt", new NSData(salt));
        NSDictionary outer = new NSDictionary();
        outer.put(KEY, inner);
        return outer;
    }

    /** The XML plist of {@link #toPlist()}: the bytes to send as the {@code passwordHash} data value. */
    public byte[] toXmlPlist() {
        return toPlist().toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads a {@code passwordHash} plist (XML or binary). */
    public static SaltedSha512Pbkdf2 fromPlist(byte[] plist) throws MalformedDataException {
        try {
            NSDictionary outer = (NSDictionary) com.dd.plist.PropertyListParser.parse(plist);
            NSDictionary inner = (NSDictionary) outer.get(KEY);
            return new SaltedSha512Pbkdf2(((NSData) inner.get("entropy")).bytes(), ((NSData) inner.get("salt")).bytes(),
                    ((NSNumber) inner.get("iterations")).intValue());
        } catch (Exception e) {
            throw new MalformedDataException("not a SALTED-SHA512-PBKDF2 plist", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SaltedSha512Pbkdf2 other && iterations == other.iterations
                && Arrays.equals(entropy, other.entropy) && Arrays.equals(salt, other.salt);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(entropy) + Arrays.hashCode(salt) + iterations;
    }

    @Override
    public String toString() {
        return "SaltedSha512Pbkdf2[iterations=" + iterations + "]";
    }
}
