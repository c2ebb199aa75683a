package dev.orchardmdm.crypto.keys;

import dev.orchardmdm.crypto.MalformedDataException;

/**
 * A non-recursive walk over BER/DER TLVs that bounds the nesting depth before a recursive ASN.1
 * parser (Bouncy Castle's, the JDK's) sees the input: thousands of nested indefinite-length values
 * would otherwise overflow the stack. It also refuses lengths that run past their enclosing value
 * or the input, and unterminated indefinite-length values. Primitive contents are not looked into
 * (callers check nested encodings, e.g. the SCEP envelope, when they reach them).
 */
public final class Asn1Nesting {
    /** The depth accepted by the parsers of this module: real CMS, CSRs and certificates stay below 20. */
    public static final int MAX_DEPTH = 64;
    private static final long INDEFINITE = -1;

    private Asn1Nesting() {
    }

    /**
     * Checks the structure of {@code encoding} (one or more top-level values).
     *
     * @param what     what is checked, for the message
     * @param maxDepth the deepest nesting of constructed values accepted
     * @throws MalformedDataException if it is nested deeper, truncated, or its lengths are inconsistent
     */
    public static void check(String what, byte[] encoding, int maxDepth) throws MalformedDataException {
        long[] ends = new long[maxDepth];
        int depth = 0;
        int pos = 0;
        int n = encoding.length;
        while (true) {
            while (depth > 0 && ends[depth - 1] != INDEFINITE && pos == ends[depth - 1]) {
                depth--;
            }
            if (pos == n) {
                if (depth > 0) {
                    throw new MalformedDataException(what + ": truncated ASN.1 value");
                }
                return;
            }
            int tag = encoding[pos++] & 0xff;
            if (tag == 0 && depth > 0 && ends[depth - 1] == INDEFINITE) {
                // end-of-contents of the enclosing indefinite-length value
                if (pos >= n || encoding[pos] != 0) {
                    throw new MalformedDataException(what + ": bad end-of-contents");
                }
                pos++;
                depth--;
                continue;
            }
            boolean constructed = (tag & 0x20) != 0;
            if ((tag & 0x1f) == 0x1f) {
                int tagBytes = 0;
                do {
                    if (pos >= n || ++tagBytes > 4) {
                        throw new MalformedDataException(what + ": bad ASN.1 tag");
                    }
                } while ((encoding[pos++] & 0x80) != 0);
            }
            if (pos >= n) {
                throw new MalformedDataException(what + ": truncated ASN.1 value");
            }
            int first = encoding[pos++] & 0xff;
            long length;
            if (first == 0x80) {
                if (!constructed) {
                    throw new MalformedDataException(what + ": indefinite length on a primitive value");
                }
                length = INDEFINITE;
            } else if (first < 0x80) {
                length = first;
            } else {
                int lengthBytes = first & 0x7f;
                if (lengthBytes > 4 || pos + lengthBytes > n) {
                    throw new MalformedDataException(what + ": bad ASN.1 length");
                }
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (encoding[pos++] & 0xff);
                }
            }
            long limit = depth > 0 && ends[depth - 1] != INDEFINITE ? ends[depth - 1] : n;
            if (length != INDEFINITE && pos + length > limit) {
                throw new MalformedDataException(what + ": ASN.1 length runs past its enclosing value");
            }
            if (constructed) {
                if (depth == maxDepth) {
                    throw new MalformedDataException(what + ": ASN.1 values nested deeper than " + maxDepth);
                }
                ends[depth++] = length == INDEFINITE ? INDEFINITE : pos + length;
            } else {
                pos += (int) length;
            }
        }
    }
}
