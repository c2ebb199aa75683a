package dev.orchardmdm.crypto.identity;

import dev.orchardmdm.crypto.InvalidDistinguishedNameException;
import dev.orchardmdm.crypto.keys.NameAttribute;
import java.io.ByteArrayOutputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * A parsed distinguished name, as sent by an mTLS proxy in {@code X-SSL-Client-S-DN}: RFC 2253
 * ({@code CN=a,O=b,2.5.4.5=#130a...}) or OpenSSL's legacy one-line form ({@code /CN=a/O=b}).
 * Attributes are kept in certificate (encoding) order. A name that repeats an attribute type is
 * rejected: it is the mark of a value with injected separators.
 *
 * @param attributes the attributes, in encoding order
 */
public record DistinguishedName(List<Attribute> attributes) {
    private static final int MAX_LENGTH = 4096;
    private static final Pattern LEGACY_ATTR = Pattern.compile("^[A-Za-z][A-Za-z0-9-]*=|^[0-9]+(\\.[0-9]+)+=");

    /**
     * One attribute of a name.
     *
     * @param oid   the attribute type's dotted OID (see {@link NameAttribute})
     * @param value the value as text
     */
    public record Attribute(String oid, String value) {
        /** The attribute type, if it is one {@link NameAttribute} names. */
        public java.util.Optional<NameAttribute> type() {
            return NameAttribute.ofOid(oid);
        }
    }

    public DistinguishedName {
        attributes = List.copyOf(attributes);
    }

    /**
     * Parses an RFC 2253 or OpenSSL one-line ({@code /}-separated) name.
     *
     * @throws InvalidDistinguishedNameException if it does not parse, is empty or too long, or repeats an attribute
     */
    public static DistinguishedName parse(String text) throws InvalidDistinguishedNameException {
        if (text == null || text.isBlank()) {
            throw new InvalidDistinguishedNameException("empty distinguished name");
        }
        if (text.length() > MAX_LENGTH) {
            throw new InvalidDistinguishedNameException("distinguished name longer than " + MAX_LENGTH);
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x20 || ch == 0x7f) {
                throw new InvalidDistinguishedNameException("control character in the distinguished name");
            }
        }
        DistinguishedName dn = text.startsWith("/") ? parseLegacy(text) : parseRfc2253(text);
        dn.checkNoRepeats();
        return dn;
    }

    /** The name of a certificate subject or issuer. */
    public static DistinguishedName of(X500Principal principal) {
        return of(X500Name.getInstance(principal.getEncoded()));
    }

    private static DistinguishedName of(X500Name name) {
        List<Attribute> out = new ArrayList<>();
        for (RDN rdn : name.getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                out.add(new Attribute(atv.getType().getId(), valueString(atv.getValue().toASN1Primitive())));
            }
        }
        return new DistinguishedName(out);
    }

    /** The value of the attribute of this type, or {@code null}. */
    public String get(NameAttribute type) {
        return get(type.oid());
    }

    /** The value of the attribute with this dotted OID, or {@code null}. */
    public String get(String oid) {
        for (Attribute a : attributes) {
            if (a.oid().equals(oid)) {
                return a.value();
            }
        }
        return null;
    }

    /** True if both names hold the same attributes with the same values (order aside). */
    public boolean sameAttributes(DistinguishedName other) {
        List<String> a = keys();
        List<String> b = other.keys();
        return a.equals(b);
    }

    private List<String> keys() {
        List<String> out = new ArrayList<>();
        for (Attribute a : attributes) {
            out.add(a.oid() + "\u0000" + a.value());
        }
        Collections.sort(out);
        return out;
    }

    private void checkNoRepeats() throws InvalidDistinguishedNameException {
        Set<String> seen = new HashSet<>();
        for (Attribute a : attributes) {
            if (!seen.add(a.oid())) {
                throw new InvalidDistinguishedNameException("attribute " + displayName(a.oid())
                        + " appears twice in the distinguished name (injected separator?)");
            }
        }
        if (attributes.isEmpty()) {
            throw new InvalidDistinguishedNameException("empty distinguished name");
        }
    }

    private static DistinguishedName parseRfc2253(String text) throws InvalidDistinguishedNameException {
        X500Principal principal;
        try {
            principal = new X500Principal(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidDistinguishedNameException("malformed RFC 2253 distinguished name: " + e.getMessage(), e);
        }
        return of(principal);
    }

    private static DistinguishedName parseLegacy(String text) throws InvalidDistinguishedNameException {
        List<String> parts = new ArrayList<>();
        for (String segment : text.substring(1).split("/", -1)) {
            if (LEGACY_ATTR.matcher(segment).find() || parts.isEmpty()) {
                parts.add(segment);
            } else {
                parts.set(parts.size() - 1, parts.get(parts.size() - 1) + "/" + segment);
            }
        }
        List<Attribute> out = new ArrayList<>();
        for (String part : parts) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new InvalidDistinguishedNameException("malformed attribute in the distinguished name");
            }
            ASN1ObjectIdentifier oid;
            try {
                oid = BCStyle.INSTANCE.attrNameToOID(part.substring(0, eq));
            } catch (IllegalArgumentException e) {
                throw new InvalidDistinguishedNameException("unknown attribute type " + part.substring(0, eq), e);
            }
            String raw = part.substring(eq + 1);
            out.add(new Attribute(oid.getId(), raw.startsWith("#") ? hexValue(raw) : unescapeLegacy(raw)));
        }
        return new DistinguishedName(out);
    }

    private static String hexValue(String raw) throws InvalidDistinguishedNameException {
        try {
            byte[] der = HexFormat.of().parseHex(raw.substring(1));
            dev.orchardmdm.crypto.keys.Asn1Nesting.check("attribute value", der, 8);
            return valueString(ASN1Primitive.fromByteArray(der));
        } catch (Exception e) {
            throw new InvalidDistinguishedNameException("malformed #hex attribute value", e);
        }
    }

    /** OpenSSL's one-line form writes non-ASCII bytes as {@code \xHH}. */
    private static String unescapeLegacy(String raw) throws InvalidDistinguishedNameException {
        if (!raw.contains("\\")) {
            return raw;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 4 <= raw.length() && raw.charAt(i + 1) == 'x') {
                try {
                    bytes.write(HexFormat.fromHexDigits(raw, i + 2, i + 4));
                } catch (IllegalArgumentException e) {
                    throw new InvalidDistinguishedNameException("malformed \\x escape in the distinguished name", e);
                }
                i += 3;
            } else {
                byte[] b = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                bytes.write(b, 0, b.length);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new InvalidDistinguishedNameException("attribute value is not UTF-8", e);
        }
    }

    private static String displayName(String oid) {
        String name = BCStyle.INSTANCE.oidToDisplayName(new ASN1ObjectIdentifier(oid));
        return name == null ? oid : name;
    }

    private static String valueString(ASN1Primitive value) {
        if (value instanceof ASN1String s) {
            return s.getString();
        }
        return IETFUtils.valueToString(value);
    }

    /** Text of the name, attributes in encoding order, values escaped as RFC 4514 requires. */
    @Override
    public String toString() {
        org.bouncycastle.asn1.x500.X500NameBuilder b = new org.bouncycastle.asn1.x500.X500NameBuilder(BCStyle.INSTANCE);
        for (Attribute a : attributes) {
            b.addRDN(new ASN1ObjectIdentifier(a.oid()), a.value());
        }
        return b.build().toString();
    }
}
