package dev.orchardmdm.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.Set;

/**
 * The server's data directory: the default SQLite database and the generated secret key
 * ({@value #SECRET_KEY_FILE}, used when the configuration has no {@code secrets.keys}). The key is
 * kept here, never in the database, so that a copy of the database alone reveals no secret.
 */
public final class DataDirectory {

    /** Name of the generated key file inside the data directory. */
    public static final String SECRET_KEY_FILE = "secret.key";

    private final Path root;

    /** @param root the data directory (created on first use) */
    public DataDirectory(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath();
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /** Creates the directory (owner-only on POSIX file systems) if it does not exist. */
    public void create() throws IOException {
        if (Files.isDirectory(root)) {
            return;
        }
        Files.createDirectories(root);
        restrict(root, PosixFilePermissions.fromString("rwx------"));
    }

    /** The generated secret key file, used when the configuration has no {@code secrets.keys}. */
    public Path secretKeyFile() {
        return root.resolve(SECRET_KEY_FILE);
    }

    private static void restrict(Path path, Set<PosixFilePermission> perms) throws IOException {
        try {
            Files.setPosixFilePermissions(path, perms);
        } catch (UnsupportedOperationException notPosix) {
            // non-POSIX file system: rely on the directory's ACLs
        }
    }
}
