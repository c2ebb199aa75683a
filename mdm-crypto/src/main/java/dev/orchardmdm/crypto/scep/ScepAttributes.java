package dev.orchardmdm.crypto.scep;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;

/** The SCEP authenticated attributes (id-VeriSign pki attributes, RFC 8894 section 3.2.1). */
public final class ScepAttributes {
    private static final String BASE = "2.16.840.1.113733.1.9.";
    /** messageType (PrintableString of a decimal code). */
    public static final ASN1ObjectIdentifier MESSAGE_TYPE = new ASN1ObjectIdentifier(BASE + "2");
    /** pkiStatus: "0" SUCCESS, "2" FAILURE, "3" PENDING. */
    public static final ASN1ObjectIdentifier PKI_STATUS = new ASN1ObjectIdentifier(BASE + "3");
    /** failInfo (PrintableString of a decimal code). */
    public static final ASN1ObjectIdentifier FAIL_INFO = new ASN1ObjectIdentifier(BASE + "4");
    /** senderNonce (16-byte OCTET STRING). */
    public static final ASN1ObjectIdentifier SENDER_NONCE = new ASN1ObjectIdentifier(BASE + "5");
    /** recipientNonce (OCTET STRING). */
    public static final ASN1ObjectIdentifier RECIPIENT_NONCE = new ASN1ObjectIdentifier(BASE + "6");
    /** transactionID (PrintableString). */
    public static final ASN1ObjectIdentifier TRANSACTION_ID = new ASN1ObjectIdentifier(BASE + "7");

    private ScepAttributes() {
    }

    /** The string value of a single-valued attribute, or {@code null}. */
    public static String string(AttributeTable table, ASN1ObjectIdentifier oid) {
        ASN1Encodable v = value(table, oid);
        return v instanceof ASN1String s ? s.getString() : null;
    }

    /** The octets of a single-valued OCTET STRING attribute, or {@code null}. */
    public static byte[] octets(AttributeTable table, ASN1ObjectIdentifier oid) {
        ASN1Encodable v = value(table, oid);
        return v instanceof ASN1OctetString o ? o.getOctets() : null;
    }

    private static ASN1Encodable value(AttributeTable table, ASN1ObjectIdentifier oid) {
        if (table == null) {
            return null;
        }
        Attribute a = table.get(oid);
        if (a == null || a.getAttrValues().size() != 1) {
            return null;
        }
        return a.getAttrValues().getObjectAt(0);
    }
}
