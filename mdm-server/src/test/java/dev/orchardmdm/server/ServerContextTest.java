package dev.orchardmdm.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.secrets.FieldContext;
import dev.orchardmdm.crypto.secrets.SecretBox;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.config.ServerConfig;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerContextTest {
    @TempDir
    Path dir;

    @Test
    void defaultsCreateDataDirectoryKeyAndSqliteDatabase() throws Exception {
        ServerConfig config = new ConfigLoader(name -> null, dir).defaults();
        byte[] sealed;
        try (ServerContext ctx = ServerContext.open(config)) {
            assertThat(ctx.dataDirectory().secretKeyFile()).exists();
            assertThat(Files.getPosixFilePermissions(ctx.dataDirectory().secretKeyFile()))
                    .isEqualTo(PosixFilePermissions.fromString("rw-------"));
            assertThat(dir.resolve("orchard-data/orchard.db")).exists();
            assertThat(ctx.store().pushCertificates().list(null)).isEmpty();
            sealed = ctx.secretBox().seal("x".getBytes(StandardCharsets.UTF_8), new FieldContext("t", "c", "1"));
        }
        // the same key is used on the next start
        try (ServerContext ctx = ServerContext.open(config)) {
            assertThat(ctx.secretBox().open(sealed, new FieldContext("t", "c", "1"))).isEqualTo("x".getBytes());
        }
    }

    @Test
    void configuredKeysArePreferredAndCheckedByIndex() throws Exception {
        String k1 = SecretBox.Key.generate().encode();
        String json = "{\"data_dir\": \"d\", \"secrets\": {\"keys\": [\"" + k1 + "\"]}}";
        ServerConfig config = new ConfigLoader(name -> null, dir).parse(json, dir);
        try (ServerContext ctx = ServerContext.open(config)) {
            assertThat(ctx.secretBox().primaryKeyId()).isEqualTo(SecretBox.Key.parse(k1).id());
            assertThat(ctx.dataDirectory().secretKeyFile()).doesNotExist();
        }
        ServerConfig bad = new ConfigLoader(name -> null, dir)
                .parse("{\"data_dir\": \"d\", \"secrets\": {\"keys\": [\"" + k1 + "\", \"nope\"]}}", dir);
        assertThatThrownBy(() -> ServerContext.open(bad))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("secrets.keys[1]"));
    }

    @Test
    void unreachableDatabaseNamesTheKey() throws Exception {
        ServerConfig config = new ConfigLoader(name -> null, dir).parse(
                "{\"data_dir\": \"d\", \"database\": {\"url\":"
                        + " \"jdbc:postgresql://127.0.0.1:1/none?user=nobody&connectTimeout=2\"}}",
                dir);
        assertThatThrownBy(() -> ServerContext.open(config))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("database.url"));
    }
}
