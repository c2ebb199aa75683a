package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.OversizedInputException;

/** Size limits applied before any parsing of untrusted input. */
public final class Limits {
    /** Largest PEM, DER or PKCS#12 input accepted: 1 MiB. */
    public static final int MAX_ENCODED = 1 << 20;

    private Limits() {
    }

    /** Throws if {@code size} exceeds {@code limit}. */
    public static void check(String what, long size, long limit) throws OversizedInputException {
        if (size > limit) {
            throw new OversizedInputException(what, size, limit);
        }
    }
}
