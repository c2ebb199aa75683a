package dev.orchardmdm.dep.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads the shared Zentral fixtures ({@code orchard.shared.dir}/fixtures/zentral). */
public final class Fixtures {
    private Fixtures() {
    }

    public static Path zentral(String name) {
        String shared = System.getProperty("orchard.shared.dir", "../shared");
        Path path = Path.of(shared, "fixtures", "zentral", name);
        if (!Files.isRegularFile(path)) {
            path = Path.of("..", "..", "shared", "fixtures", "zentral", name);
        }
        return path;
    }

    /** A capture of {@code src/test/resources/captures/} (sources in its README.md), as UTF-8 text. */
    public static String capture(String name) {
        try (java.io.InputStream in = Fixtures.class.getResourceAsStream("/captures/" + name)) {
            if (in == null) {
                throw new IllegalStateException("no capture " + name);
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static byte[] bytes(String name) {
        try {
            return Files.readAllBytes(zentral(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String text(String name) {
        return new String(bytes(name), java.nio.charset.StandardCharsets.UTF_8);
    }
}
