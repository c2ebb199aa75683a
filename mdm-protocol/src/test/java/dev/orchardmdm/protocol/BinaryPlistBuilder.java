package dev.orchardmdm.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Hand-assembles binary plists (1-byte object references, 2-byte offsets) for hostile-input tests. */
final class BinaryPlistBuilder {
    private final List<byte[]> objects = new ArrayList<>();

    int asciiString(String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        byte[] o = new byte[1 + b.length];
        o[0] = (byte) (0x50 | b.length);
        System.arraycopy(b, 0, o, 1, b.length);
        return add(o);
    }

    int array(int... refs) {
        byte[] o = new byte[1 + refs.length];
        o[0] = (byte) (0xA0 | refs.length);
        for (int i = 0; i < refs.length; i++) {
            o[1 + i] = (byte) refs[i];
        }
        return add(o);
    }

    /** Reserves an index for an object defined later (for cycles). */
    int reserve() {
        objects.add(null);
        return objects.size() - 1;
    }

    void setArray(int index, int... refs) {
        int i = array(refs);
        objects.set(index, objects.remove(i));
    }

    private int add(byte[] o) {
        objects.add(o);
        return objects.size() - 1;
    }

    byte[] build(int top) {
        return build((long) top);
    }

    /** Builds with any top-object index written in the trailer (even a negative/high-bit one). */
    byte[] build(long top) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("bplist00".getBytes(StandardCharsets.US_ASCII));
        int[] offsets = new int[objects.size()];
        for (int i = 0; i < objects.size(); i++) {
            offsets[i] = out.size();
            out.writeBytes(objects.get(i));
        }
        int offsetTable = out.size();
        for (int off : offsets) {
            out.write(off >> 8);
            out.write(off & 0xff);
        }
        byte[] trailer = new byte[32];
        trailer[6] = 2;
        trailer[7] = 1;
        putLong(trailer, 8, objects.size());
        putLong(trailer, 16, top);
        putLong(trailer, 24, offsetTable);
        out.writeBytes(trailer);
        return out.toByteArray();
    }

    private static void putLong(byte[] b, int pos, long v) {
        for (int i = 7; i >= 0; i--) {
            b[pos + i] = (byte) (v & 0xff);
            v >>= 8;
        }
    }
}
