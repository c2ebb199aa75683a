package dev.orchardmdm.crypto.keys;

import java.util.Arrays;
import java.util.Optional;

/** Attribute types of a distinguished name (X.520 / RFC 4519), by OID. */
public enum NameAttribute {
    CN("2.5.4.3"),
    SERIALNUMBER("2.5.4.5"),
    C("2.5.4.6"),
    L("2.5.4.7"),
    ST("2.5.4.8"),
    O("2.5.4.10"),
    OU("2.5.4.11"),
    /** {@code UID} (userid): the push topic of an Apple push certificate. */
    UID("0.9.2342.19200300.100.1.1"),
    DC("0.9.2342.19200300.100.1.25"),
    /** {@code emailAddress} (PKCS #9). */
    EMAIL("1.2.840.113549.1.9.1");

    private final String oid;

    NameAttribute(String oid) {
        this.oid = oid;
    }

    /** The dotted OID, e.g. {@code 2.5.4.3}. */
    public String oid() {
        return oid;
    }

    /** The attribute with this dotted OID, if it is one of these. */
    public static Optional<NameAttribute> ofOid(String oid) {
        return Arrays.stream(values()).filter(a -> a.oid.equals(oid)).findFirst();
    }
}
