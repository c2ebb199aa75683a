package dev.orchardmdm.crypto;

/** The input is larger than the configured or built-in limit; it was not parsed. */
public class OversizedInputException extends CryptoException {
    private static final long serialVersionUID = 1L;

    public OversizedInputException(String what, long size, long limit) {
        super(what + " is " + size + " bytes, more than the limit of " + limit);
    }
}
