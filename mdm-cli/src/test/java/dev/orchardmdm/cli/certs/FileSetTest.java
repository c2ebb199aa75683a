package dev.orchardmdm.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.cli.CliException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSetTest {
    @TempDir
    Path dir;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void commitMovesEveryFileIntoPlaceWithItsPermissions() throws Exception {
        try (FileSet files = new FileSet()) {
            files.stage(dir.resolve("a.key"), bytes("secret"), true);
            files.stage(dir.resolve("a.csr"), bytes("public"), false);
            assertThat(dir.resolve("a.key")).doesNotExist();
            files.commit();
        }
        assertThat(dir.resolve("a.key")).hasContent("secret");
        assertThat(dir.resolve("a.csr")).hasContent("public");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.key"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("a.csr"))))
                .isEqualTo("rw-r--r--");
        try (var list = Files.list(dir)) {
            assertThat(list).hasSize(2);
        }
    }

    @Test
    void aFileAppearingBeforeCommitUndoesTheMovesAndLeavesOnlyIt() throws Exception {
        try (FileSet files = new FileSet()) {
            files.stage(dir.resolve("first"), bytes("1"), false);
            files.stage(dir.resolve("second"), bytes("2"), false);
            Files.writeString(dir.resolve("second"), "someone else's");
            assertThatThrownBy(files::commit).isInstanceOf(CliException.class)
                    .hasMessageContaining("nothing was written");
        }
        assertThat(dir.resolve("first")).doesNotExist();
        assertThat(dir.resolve("second")).hasContent("someone else's");
        try (var list = Files.list(dir)) {
            assertThat(list).containsExactly(dir.resolve("second"));
        }
    }

    @Test
    void closingWithoutCommitRemovesTheTemporaryFiles() throws Exception {
        try (FileSet files = new FileSet()) {
            files.stage(dir.resolve("x"), bytes("x"), true);
            try (var list = Files.list(dir)) {
                assertThat(list).hasSize(1);
            }
        }
        try (var list = Files.list(dir)) {
            assertThat(list).isEmpty();
        }
    }

    @Test
    void refusesToStageOverAnExistingFile() throws Exception {
        Files.writeString(dir.resolve("taken"), "old");
        try (FileSet files = new FileSet()) {
            assertThatThrownBy(() -> files.stage(dir.resolve("taken"), bytes("new"), false))
                    .isInstanceOf(CliException.class).hasMessageContaining("already exists");
        }
        assertThat(dir.resolve("taken")).hasContent("old");
    }
}
