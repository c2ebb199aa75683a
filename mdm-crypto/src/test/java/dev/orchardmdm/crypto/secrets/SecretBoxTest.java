package dev.orchardmdm.crypto.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    static final FieldContext ROW1 = new FieldContext("enrolled_devices", "filevault_prk", "udid-1");
    static final byte[] SECRET = "ABCD-EFGH-IJKL".getBytes(StandardCharsets.UTF_8);

    @Test
    void sealsAndOpensWithKeyIdPrefix() throws Exception {
        SecretBox.Key key = SecretBox.Key.generate();
        FieldCipher box = SecretBox.of(key);
        byte[] sealed = box.seal(SECRET, ROW1);
        assertThat(SecretBox.keyIdOf(sealed)).isEqualTo(key.id());
        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("ABCD-EFGH");
        assertThat(box.open(sealed, ROW1)).isEqualTo(SECRET);
        assertThat(box.seal(SECRET, ROW1)).isNotEqualTo(sealed); // fresh nonce each time
        assertThat(box.open(box.seal(new byte[0], ROW1), ROW1)).isEmpty();
    }

    @Test
    void ciphertextCopiedToAnotherRowOrColumnFails() {
        SecretBox box = SecretBox.of(SecretBox.Key.generate());
        byte[] sealed = box.seal(SECRET, ROW1);
        assertThatThrownBy(() -> box.open(sealed, new FieldContext("enrolled_devices", "filevault_prk", "udid-2")))
                .isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> box.open(sealed, new FieldContext("enrolled_devices", "recovery_password", "udid-1")))
                .isInstanceOf(DecryptionException.class);
        byte[] tampered = sealed.clone();
        tampered[tampered.length - 1] ^= 1;
        assertThatThrownBy(() -> box.open(tampered, ROW1)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> box.open(new byte[] {1, 3, 'a', 'b'}, ROW1)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> box.open(new byte[] {9, 9, 9}, ROW1)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> box.open(new byte[0], ROW1)).isInstanceOf(MalformedDataException.class);
    }

    @Test
    void rotationRewrapsToThePrimaryKey() throws Exception {
        SecretBox.Key old = SecretBox.Key.generate();
        SecretBox.Key fresh = SecretBox.Key.generate();
        byte[] sealedOld = SecretBox.of(old).seal(SECRET, ROW1);

        SecretBox rotated = new SecretBox(List.of(old, fresh), fresh.id());
        assertThat(rotated.open(sealedOld, ROW1)).isEqualTo(SECRET);
        assertThat(rotated.needsRewrap(sealedOld)).isTrue();
        byte[] rewrapped = rotated.rewrap(sealedOld, ROW1);
        assertThat(SecretBox.keyIdOf(rewrapped)).isEqualTo(fresh.id());
        assertThat(rotated.needsRewrap(rewrapped)).isFalse();
        assertThat(rotated.rewrap(rewrapped, ROW1)).isSameAs(rewrapped);

        SecretBox onlyFresh = SecretBox.of(fresh);
        assertThat(onlyFresh.open(rewrapped, ROW1)).isEqualTo(SECRET);
        assertThatThrownBy(() -> onlyFresh.open(sealedOld, ROW1)).isInstanceOf(DecryptionException.class)
                .hasMessageContaining(old.id());
        assertThatThrownBy(() -> new SecretBox(List.of(old), fresh.id())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SecretBox(List.of(old, old), old.id())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keysEncodeParseAndPersist(@TempDir Path dir) throws Exception {
        SecretBox.Key key = SecretBox.Key.generate();
        SecretBox.Key parsed = SecretBox.Key.parse(key.encode());
        assertThat(parsed.id()).isEqualTo(key.id());
        assertThat(SecretBox.of(parsed).open(SecretBox.of(key).seal(SECRET, ROW1), ROW1)).isEqualTo(SECRET);
        assertThat(key.toString()).doesNotContain(key.encode().substring(key.id().length() + 1));
        assertThatThrownBy(() -> SecretBox.Key.parse("nocolon")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SecretBox.Key.parse("id:AAAA")).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SecretBox.Key.parse("bad id!:" + key.encode().split(":")[1]))
                .isInstanceOf(MalformedDataException.class);

        Path file = dir.resolve("data/secret.key");
        SecretBox.Key created = SecretBox.Key.loadOrCreate(file);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SecretBox.Key again = SecretBox.Key.loadOrCreate(file);
        assertThat(again.encode()).isEqualTo(created.encode());
        try (var files = Files.list(file.getParent())) {
            assertThat(files).containsExactly(file); // no temporary file left behind
        }
    }
}
