package dev.orchardmdm.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordsTest {
    @TempDir
    Path dir;

    private static Terminal terminal(String stdin, Map<String, String> env) {
        return new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), null, env);
    }

    @Test
    void fileComesFirstThenEnvironmentThenPrompt() throws Exception {
        Path file = dir.resolve("pw");
        Files.writeString(file, "from-file\r\nsecond line ignored\n");
        Terminal t = terminal("from-prompt\nfrom-prompt\n", Map.of("PW", "from-env"));
        assertThat(new Passwords("key", file, "PW").existing(t)).isEqualTo("from-file".toCharArray());
        assertThat(new Passwords("key", null, "PW").existing(t)).isEqualTo("from-env".toCharArray());
        assertThat(new Passwords("key", null, "OTHER").choose(t)).isEqualTo("from-prompt".toCharArray());
    }

    @Test
    void refusesEmptyShortOversizedAndMissingAnswers() throws Exception {
        Path empty = dir.resolve("empty");
        Files.writeString(empty, "\n");
        assertThatThrownBy(() -> new Passwords("key", empty, "PW").existing(terminal("", Map.of())))
                .isInstanceOf(CliException.class).hasMessageContaining("is empty");
        Path big = dir.resolve("big");
        Files.write(big, new byte[Passwords.MAX_FILE_BYTES + 1]);
        assertThatThrownBy(() -> new Passwords("key", big, "PW").existing(terminal("", Map.of())))
                .isInstanceOf(CliException.class).hasMessageContaining("larger than");
        assertThatThrownBy(() -> new Passwords("key", null, "PW").choose(terminal("abc\nabc\n", Map.of())))
                .isInstanceOf(CliException.class).hasMessageContaining("at least 4");
        assertThatThrownBy(() -> new Passwords("key", null, "PW").existing(terminal("", Map.of())))
                .isInstanceOf(CliException.class).hasMessageContaining("end of input");
    }
}
