package dev.orchardmdm.crypto.scep;

/** SCEP messageType values (RFC 8894 section 3.2.1.2). */
public enum MessageType {
    CERT_REP(3), RENEWAL_REQ(17), PKCS_REQ(19), CERT_POLL(20), GET_CERT(21), GET_CRL(22);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    /** The numeric code sent in the messageType attribute. */
    public int code() {
        return code;
    }

    /** The value for a code, or {@code null} if unknown. */
    public static MessageType of(int code) {
        for (MessageType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
