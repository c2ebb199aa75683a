package dev.orchardmdm.crypto.scep;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Decides whether the challenge password of a PKCSReq is acceptable (static secret, one-time
 * dynamic challenges from a database, ...). RenewalReq requests signed by a certificate of this CA
 * are not passed through it.
 */
@FunctionalInterface
public interface ChallengeChecker {
    /** True if {@code challenge} (possibly {@code null}) admits {@code request}. */
    boolean accept(String challenge, ScepRequest request);

    /** Accepts exactly this challenge password (compared in constant time). */
    static ChallengeChecker staticChallenge(String expected) {
        Objects.requireNonNull(expected, "expected");
        byte[] want = expected.getBytes(StandardCharsets.UTF_8);
        return (challenge, request) -> challenge != null
                && MessageDigest.isEqual(want, challenge.getBytes(StandardCharsets.UTF_8));
    }
}
