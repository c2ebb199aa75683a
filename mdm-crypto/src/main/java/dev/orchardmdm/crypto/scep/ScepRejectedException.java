package dev.orchardmdm.crypto.scep;

import dev.orchardmdm.crypto.CryptoException;

/** Thrown by a {@link ChallengeChecker} or {@link IssuancePolicy} to refuse a request with a failInfo. */
public class ScepRejectedException extends CryptoException {
    private static final long serialVersionUID = 1L;
    private final FailInfo failInfo;

    public ScepRejectedException(FailInfo failInfo, String message) {
        super(message);
        this.failInfo = failInfo;
    }

    /** The failInfo sent back to the client. */
    public FailInfo failInfo() {
        return failInfo;
    }
}
