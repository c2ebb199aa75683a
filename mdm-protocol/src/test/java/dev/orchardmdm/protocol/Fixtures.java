package dev.orchardmdm.protocol;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Test access to the shared folder ({@code orchard.shared.dir}, set by Surefire). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path sharedDir() {
        String dir = System.getProperty("orchard.shared.dir");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared folder not found: " + p.toAbsolutePath());
        }
        return p;
    }

    /** A capture of {@code src/test/resources/captures/} (sources in its README.md). */
    public static byte[] capture(String name) {
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no capture " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] zentral(String name) {
        try {
            return Files.readAllBytes(sharedDir().resolve("fixtures/zentral").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
