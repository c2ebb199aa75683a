package dev.orchardmdm.crypto.scep;

/** SCEP failInfo values (RFC 8894 section 3.2.1.4.5). */
public enum FailInfo {
    /** Unrecognized or unsupported algorithm. */
    BAD_ALG(0),
    /** Integrity check (signature or decryption) failed. */
    BAD_MESSAGE_CHECK(1),
    /** Transaction not permitted or supported (e.g. a wrong challenge password). */
    BAD_REQUEST(2),
    /** Message time field was not sufficiently close to the system time. */
    BAD_TIME(3),
    /** No certificate could be identified matching the provided criteria. */
    BAD_CERT_ID(4);

    private final int code;

    FailInfo(int code) {
        this.code = code;
    }

    /** The numeric code sent in the failInfo attribute. */
    public int code() {
        return code;
    }

    /** The value for a code, or {@code null}. */
    public static FailInfo of(int code) {
        for (FailInfo f : values()) {
            if (f.code == code) {
                return f;
            }
        }
        return null;
    }
}
