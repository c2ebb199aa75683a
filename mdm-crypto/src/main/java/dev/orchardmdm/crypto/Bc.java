package dev.orchardmdm.crypto;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * The Bouncy Castle provider instance that mdm-crypto passes explicitly to every JCA call. It is
 * never registered globally ({@code Security.addProvider}), so embedding applications keep their
 * own provider configuration.
 */
public final class Bc {
    /** The provider; stateless for our purposes and safe to share. */
    public static final Provider PROVIDER = new BouncyCastleProvider();

    private Bc() {
    }
}
