package dev.orchardmdm.protocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Comparison of secrets in time independent of where they differ and of their lengths. */
final class ConstantTime {
    private ConstantTime() {
    }

    /** True when both are equal; compares SHA-256 digests with {@link MessageDigest#isEqual}, so lengths do not leak. */
    static boolean equal(byte[] expected, byte[] actual) {
        if (expected == null || actual == null) {
            return false;
        }
        try {
            return MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(expected),
                    MessageDigest.getInstance("SHA-256").digest(actual));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }
}
