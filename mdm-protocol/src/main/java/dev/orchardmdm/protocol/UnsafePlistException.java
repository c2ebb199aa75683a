package dev.orchardmdm.protocol;

/**
 * The XML property list carries constructs that are refused on principle: a DTD internal subset, entity
 * declarations (XXE, "billion laughs"), external entity references or processing of external resources.
 */
public class UnsafePlistException extends ProtocolException {
    private static final long serialVersionUID = 1L;

    public UnsafePlistException(String message) {
        super(message);
    }
}
