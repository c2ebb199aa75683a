package dev.orchardmdm.protocol;

import java.util.Arrays;
import java.util.Base64;

/** An immutable plist {@code <data>} value (a byte string); equality is by content. */
public final class PlistData {
    private final byte[] bytes;

    private PlistData(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Wraps a copy of {@code bytes}. */
    public static PlistData of(byte[] bytes) {
        return new PlistData(bytes.clone());
    }

    static PlistData wrap(byte[] owned) {
        return new PlistData(owned);
    }

    /** A copy of the bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    public int length() {
        return bytes.length;
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    byte[] unsafeBytes() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlistData other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** Shows the length only: data values are often secrets (tokens, keys). */
    @Override
    public String toString() {
        return "<data " + bytes.length + " bytes>";
    }
}
