package dev.orchardmdm.crypto;

/** A well-formed structure of the wrong kind, e.g. a CMS EnvelopedData where SignedData was expected. */
public class WrongContentTypeException extends MalformedDataException {
    private static final long serialVersionUID = 1L;

    public WrongContentTypeException(String message) {
        super(message);
    }
}
