package dev.orchardmdm.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class PlistReaderTest {
    private static final String HEADER = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            + "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
            + "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n";
    private final PlistReader reader = PlistReader.withDefaults();

    private static byte[] xml(String body) {
        return (HEADER + "<plist version=\"1.0\">" + body + "</plist>").getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsEveryXmlValueType() throws Exception {
        PlistDict d = reader.readDictionary(xml("<dict><key>s</key><string>a &amp; b</string>"
                + "<key>i</key><integer>-42</integer><key>r</key><real>1.5</real><key>t</key><true/>"
                + "<key>f</key><false/><key>d</key><date>2024-01-02T03:04:05Z</date>"
                + "<key>b</key><data>AAEC\n  Aw==</data><key>a</key><array><string>x</string><integer>1</integer>"
                + "</array><key>n</key><dict><key>k</key><string/></dict></dict>"));
        assertThat(d.requireString("s")).isEqualTo("a & b");
        assertThat(d.requireInteger("i")).isEqualTo(-42L);
        assertThat(d.requireReal("r")).isEqualTo(1.5);
        assertThat(d.requireBool("t")).isTrue();
        assertThat(d.requireBool("f")).isFalse();
        assertThat(d.date("d")).contains(Instant.parse("2024-01-02T03:04:05Z"));
        assertThat(d.requireData("b")).containsExactly(0, 1, 2, 3);
        assertThat(d.array("a")).containsExactly("x", 1L);
        assertThat(d.requireDict("n").requireString("k")).isEmpty();
        assertThat(d.keys()).containsExactly("s", "i", "r", "t", "f", "d", "b", "a", "n");
    }

    @Test
    void xmlAndBinaryRoundTrip() throws Exception {
        PlistDict d = PlistDict.builder().put("s", "é").put("i", 7).put("big", Long.MAX_VALUE).put("r", 2.25)
                .put("b", true).put("data", new byte[] {9, 8}).put("when", Instant.parse("2020-05-06T07:08:09Z"))
                .put("list", List.of("a", PlistDict.of("k", 1))).build();
        assertThat(reader.readDictionary(d.toXml())).isEqualTo(d);
        assertThat(reader.readDictionary(d.toBinary())).isEqualTo(d);
    }

    @Test
    void typedGettersRejectWrongTypes() throws Exception {
        PlistDict d = reader.readDictionary(xml("<dict><key>UDID</key><integer>1</integer></dict>"));
        assertThatThrownBy(() -> d.requireString("UDID")).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("must be a string");
        assertThatThrownBy(() -> d.requireString("Other")).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("missing");
    }

    @Test
    void refusesXxeExternalEntity() {
        byte[] p = ("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>"
                + "<plist><dict><key>UDID</key><string>&xxe;</string></dict></plist>")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(p)).isInstanceOf(UnsafePlistException.class);
    }

    @Test
    void refusesParameterEntityAndExternalDtdSubset() {
        byte[] p = ("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY % remote SYSTEM \"http://127.0.0.1:1/x.dtd\">"
                + "%remote;]><plist><string>x</string></plist>").getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(p)).isInstanceOf(UnsafePlistException.class);
    }

    @Test
    void neverLoadsAnExternalDtd() throws Exception {
        // a DOCTYPE naming a file that does not exist: parsing succeeds only because nothing is loaded
        byte[] p = ("<?xml version=\"1.0\"?><!DOCTYPE plist SYSTEM \"file:///nonexistent/orchard.dtd\">"
                + "<plist><dict><key>a</key><string>b</string></dict></plist>").getBytes(StandardCharsets.UTF_8);
        assertThat(reader.readDictionary(p).requireString("a")).isEqualTo("b");
    }

    @Test
    void rejectsInvalidBase64() {
        assertThatThrownBy(() -> reader.read(xml("<data>!!!!</data>"))).isInstanceOf(MalformedPlistException.class);
    }

    @Test
    void refusesBillionLaughs() {
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ENTITY lol \"lol\">");
        for (int i = 1; i < 10; i++) {
            sb.append("<!ENTITY lol").append(i).append(" \"");
            for (int j = 0; j < 10; j++) {
                sb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
            }
            sb.append("\">");
        }
        sb.append("]><plist><string>&lol9;</string></plist>");
        assertThatThrownBy(() -> reader.read(sb.toString().getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnsafePlistException.class);
    }

    @Test
    void refusesInternalSubsetWithoutEntities() {
        byte[] p = ("<?xml version=\"1.0\"?><!DOCTYPE plist [<!ELEMENT plist ANY>]><plist><string>x</string></plist>")
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> reader.read(p)).isInstanceOf(UnsafePlistException.class);
    }

    @Test
    void rejectsMalformedXml() {
        assertThatThrownBy(() -> reader.read(xml("<dict><key>a</key></dict>")))
                .isInstanceOf(MalformedPlistException.class);
        assertThatThrownBy(() -> reader.read(xml("<dict><key>a</key><string>1</string><key>a</key>"
                + "<string>2</string></dict>"))).isInstanceOf(MalformedPlistException.class)
                .hasMessageContaining("duplicate");
        assertThatThrownBy(() -> reader.read(xml("<dict><key>a</key><integer>1x</integer></dict>")))
                .isInstanceOf(MalformedPlistException.class);
        assertThatThrownBy(() -> reader.read(xml("<dict><key>a</key><foo/></dict>")))
                .isInstanceOf(MalformedPlistException.class);
        assertThatThrownBy(() -> reader.read("<plist><dict>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPlistException.class);
        assertThatThrownBy(() -> reader.read("{ a = b; }".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedPlistException.class);
        assertThatThrownBy(() -> reader.read(new byte[0])).isInstanceOf(MalformedPlistException.class);
    }

    @Test
    void rejectsWrongRootType() {
        assertThatThrownBy(() -> reader.readDictionary(xml("<array><string>x</string></array>")))
                .isInstanceOf(MalformedPlistException.class).hasMessageContaining("root must be a dictionary");
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int s = b.asciiString("hello");
        assertThatThrownBy(() -> reader.readDictionary(b.build(s))).isInstanceOf(MalformedPlistException.class)
                .hasMessageContaining("root must be a dictionary");
    }

    @Test
    void enforcesSizeLimit() {
        PlistReader small = new PlistReader(new PlistLimits(100, 8, 100));
        byte[] big = xml("<string>" + "x".repeat(200) + "</string>");
        assertThatThrownBy(() -> small.read(big)).isInstanceOf(PlistLimitExceededException.class);
    }

    @Test
    void enforcesDepthLimitInXmlAndBinary() throws Exception {
        PlistReader shallow = new PlistReader(new PlistLimits(1 << 20, 4, 1000));
        String deep = "<array>".repeat(5) + "</array>".repeat(5);
        assertThatThrownBy(() -> shallow.read(xml(deep))).isInstanceOf(PlistLimitExceededException.class);
        assertThat(shallow.read(xml("<array>".repeat(4) + "</array>".repeat(4)))).isInstanceOf(List.class);

        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int ref = b.asciiString("leaf");
        for (int i = 0; i < 5; i++) {
            ref = b.array(ref);
        }
        byte[] bin = b.build(ref);
        assertThatThrownBy(() -> shallow.read(bin)).isInstanceOf(PlistLimitExceededException.class);
    }

    @Test
    void rejectsTruncatedBinary() {
        byte[] full = PlistDict.of("UDID", "abc", "Status", "Idle").toBinary();
        for (int cut : new int[] {7, 20, full.length / 2, full.length - 1}) {
            byte[] truncated = java.util.Arrays.copyOf(full, cut);
            assertThatThrownBy(() -> reader.read(truncated)).as("cut at %d", cut)
                    .isInstanceOf(MalformedPlistException.class);
        }
    }

    @Test
    void rejectsBinaryReferenceCycle() {
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int a = b.reserve();
        int c = b.array(a);
        b.setArray(a, c);
        assertThatThrownBy(() -> reader.read(b.build(a))).isInstanceOf(MalformedPlistException.class)
                .hasMessageContaining("cycle");
    }

    @Test
    void rejectsBinaryReferenceExplosion() {
        // each array references the next one twice: 2^30 objects once expanded, from a few hundred bytes
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int ref = b.asciiString("lol");
        for (int i = 0; i < 30; i++) {
            ref = b.array(ref, ref);
        }
        byte[] bomb = b.build(ref);
        assertThat(bomb.length).isLessThan(300);
        assertThatThrownBy(() -> reader.read(bomb)).isInstanceOf(PlistLimitExceededException.class);
    }

    @Test
    void readsHandAssembledBinary() throws Exception {
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int s = b.asciiString("x");
        int a = b.array(s, s);
        assertThat(reader.read(b.build(a))).isEqualTo(List.of("x", "x"));
    }

    @Test
    void rejectsTopObjectOffsetWithHighBitSet() {
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int s = b.asciiString("x");
        b.array(s);
        for (long top : new long[] {Long.MIN_VALUE, -1L, 0x8000_0000_0000_0001L, 0xFFFF_FFFF_0000_0000L}) {
            byte[] bin = b.build(top);
            assertThatThrownBy(() -> reader.read(bin)).as("top %x", top)
                    .isInstanceOf(MalformedPlistException.class);
        }
    }

    @Test
    void everyTrailerFieldAndOffsetWithHighBitIsAProtocolError() {
        BinaryPlistBuilder b = new BinaryPlistBuilder();
        int s = b.asciiString("x");
        int top = b.array(s, s);
        byte[] good = b.build(top);
        int trailer = good.length - 32;
        // the 8-byte numbers of the trailer (object count, top object, offset table) and each byte
        // of the offset table and of the objects, set to values with the high bit set
        for (int pos = 8; pos < good.length; pos++) {
            if (pos >= trailer && pos < trailer + 6) {
                continue; // unused trailer bytes
            }
            for (int value : new int[] {0x80, 0xFF, 0x7F}) {
                byte[] bad = good.clone();
                bad[pos] = (byte) value;
                int at = pos;
                try {
                    reader.read(bad);
                } catch (ProtocolException expected) {
                    // refused as malformed: what a hostile plist must get
                } catch (RuntimeException | StackOverflowError e) {
                    throw new AssertionError("byte " + at + " = " + Integer.toHexString(value) + " escaped as " + e, e);
                }
            }
        }
        // 8-byte length fields of the trailer set to all-ones (negative as a Java long)
        for (int field : new int[] {8, 16, 24}) {
            byte[] bad = good.clone();
            java.util.Arrays.fill(bad, trailer + field, trailer + field + 8, (byte) 0xFF);
            assertThatThrownBy(() -> reader.read(bad)).as("field %d", field)
                    .isInstanceOf(MalformedPlistException.class);
        }
    }

    @Test
    void printableEscapesControlCharacters() {
        assertThat(PlistDict.printable("a\nb")).isEqualTo("'a\\x0ab'");
        assertThat(PlistDict.printable("x".repeat(200))).hasSize(125);
    }
}
