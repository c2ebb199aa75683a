package dev.orchardmdm.crypto.passwords;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.dd.plist.NSData;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.PropertyListParser;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.testing.Openssl;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SaltedSha512Pbkdf2Test {

    @Test
    void matchesOpensslPbkdf2(@TempDir Path dir) throws Exception {
        byte[] salt = HexFormat.of().parseHex("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
        SaltedSha512Pbkdf2 h = SaltedSha512Pbkdf2.hash("ABCDEF-GHJKLM-é".toCharArray(), salt, 1000);
        String out = new String(Openssl.ok(dir, "kdf", "-keylen", "128", "-kdfopt", "digest:SHA512",
                "-kdfopt", "pass:ABCDEF-GHJKLM-é", "-kdfopt", "hexsalt:" + HexFormat.of().formatHex(salt),
                "-kdfopt", "iter:1000", "PBKDF2"), StandardCharsets.UTF_8).trim().replace(":", "");
        assertThat(HexFormat.of().formatHex(h.entropy())).isEqualToIgnoringCase(out);
        assertThat(h.entropy()).hasSize(128);
    }

    @Test
    void plistHasTheShapeMacOsExpectsAndRoundTrips() throws Exception {
        SaltedSha512Pbkdf2 h = SaltedSha512Pbkdf2.hash("Z6QJ2H-8NTPRW".toCharArray());
        assertThat(h.salt()).hasSize(32);
        assertThat(h.iterations()).isEqualTo(39_999);
        assertThat(h.matches("Z6QJ2H-8NTPRW".toCharArray())).isTrue();
        assertThat(h.matches("Z6QJ2H-8NTPRX".toCharArray())).isFalse();
        byte[] xml = h.toXmlPlist();
        NSDictionary outer = (NSDictionary) PropertyListParser.parse(xml);
        assertThat(outer.allKeys()).containsExactly("SALTED-SHA512-PBKDF2");
        NSDictionary inner = (NSDictionary) outer.get("SALTED-SHA512-PBKDF2");
        assertThat(((NSData) inner.get("entropy")).bytes()).isEqualTo(h.entropy());
        assertThat(((NSData) inner.get("salt")).bytes()).isEqualTo(h.salt());
        assertThat(((NSNumber) inner.get("iterations")).intValue()).isEqualTo(39_999);
        assertThat(SaltedSha512Pbkdf2.fromPlist(xml)).isEqualTo(h);
        assertThat(h.toString()).doesNotContain("entropy=");
        assertThatThrownBy(() -> SaltedSha512Pbkdf2.fromPlist("<plist><dict/></plist>".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedDataException.class);
    }
}
