package dev.orchardmdm.protocol.ddm;

import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A declaration envelope: {@code {"Type", "Identifier", "ServerToken", "Payload"}}. The category (activation,
 * configuration, asset, management) follows from the Type ({@code com.apple.activation.simple}, ...).
 */
public record Declaration(String type, String identifier, String serverToken, PlistDict payload) {

    /** Declaration categories, as grouped in the declaration-items response. */
    public enum Category { ACTIVATION, CONFIGURATION, ASSET, MANAGEMENT }

    public Declaration {
        for (String s : new String[] {type, identifier, serverToken}) {
            if (s == null || s.isEmpty()) {
                throw new IllegalArgumentException("Type, Identifier and ServerToken must not be empty");
            }
        }
        categoryOf(type);
    }

    /** A declaration whose ServerToken is computed from its Type and Payload (see {@link #computeServerToken}). */
    public static Declaration of(String type, String identifier, PlistDict payload) {
        return new Declaration(type, identifier, computeServerToken(type, payload), payload);
    }

    /** SHA-256 (hex) of the Type and the canonical JSON of the Payload (keys sorted). */
    public static String computeServerToken(String type, PlistDict payload) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(type.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(DdmJson.canonical(payload));
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Category categoryOf(String type) {
        if (type.startsWith("com.apple.activation.")) {
            return Category.ACTIVATION;
        } else if (type.startsWith("com.apple.configuration.")) {
            return Category.CONFIGURATION;
        } else if (type.startsWith("com.apple.asset.")) {
            return Category.ASSET;
        } else if (type.startsWith("com.apple.management.")) {
            return Category.MANAGEMENT;
        }
        throw new IllegalArgumentException("unknown declaration category for Type " + PlistDict.printable(type));
    }

    public Category category() {
        return categoryOf(type);
    }

    /** Its entry in the declaration-items response. */
    public DeclarationItems.Item item() {
        return new DeclarationItems.Item(identifier, serverToken);
    }

    public PlistDict toDict() {
        return PlistDict.of("Type", type, "Identifier", identifier, "ServerToken", serverToken, "Payload", payload);
    }

    /** The JSON document served at {@code declaration/<category>/<identifier>}. */
    public byte[] toJson() {
        return DdmJson.write(DdmJson.toJson(toDict()));
    }

    /** Reads a declaration. */
    public static Declaration parse(byte[] json) throws ProtocolException {
        PlistDict d = DdmJson.readDict(json);
        try {
            return new Declaration(d.requireString("Type"), d.requireString("Identifier"),
                    d.requireString("ServerToken"), d.requireDict("Payload"));
        } catch (IllegalArgumentException e) {
            throw new InvalidMessageException(e.getMessage());
        }
    }
}
