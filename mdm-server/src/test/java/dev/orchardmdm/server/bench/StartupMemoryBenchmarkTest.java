package dev.orchardmdm.server.bench;

import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.config.ConfigLoader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start time and memory of the server process on the embedded defaults (SQLite in the data
 * directory), measured from outside ({@link ServerProcess}): from the process start to its first
 * successful HTTP answer (wall time and the server's own CPU time), and its resident set size, on a
 * fresh data directory, on a second start, and with {@value #DEFAULT_FLEET} enrolled devices (rows
 * with a realistic DeviceInformation) after paging through the whole device list over the admin
 * API. Server JVM options come from {@code orchard.bench.serverJvmArgs} (e.g. the launcher's).
 *
 * <p>Run: {@code bin/bench start}.
 */
@Tag("benchmark")
class StartupMemoryBenchmarkTest {
    static final int DEFAULT_FLEET = 100_000;
    static final int FLEET = Integer.getInteger("orchard.bench.fleet", DEFAULT_FLEET);

    @TempDir
    Path dir;

    @Test
    void startAndMemory() throws Exception {
        int port = ServerProcess.freePort();
        Path config = dir.resolve("orchard.json");
        Files.writeString(config, "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:" + port + "\"}}",
                StandardCharsets.UTF_8);
        try (ServerProcess s = ServerProcess.start(config, port, dir.resolve("server-1.log"))) {
            report("first start, fresh data directory", s);
        }
        try (ServerProcess s = ServerProcess.start(config, port, dir.resolve("server-2.log"))) {
            report("second start", s);
        }
        String token;
        try (ServerContext context = ServerContext.open(new ConfigLoader(name -> null, dir).load(config))) {
            token = context.store().apiTokens().create("bench", Set.of("mdm.view_enrolleddevice"), null).secret();
        }
        long t0 = System.nanoTime();
        seed(dir.resolve("data").resolve("orchard.db"), FLEET);
        System.out.printf(Locale.ROOT, "BENCHMARK start: %d devices inserted in %.0f s%n", FLEET,
                (System.nanoTime() - t0) / 1e9);
        try (ServerProcess s = ServerProcess.start(config, port, dir.resolve("server-3.log"))) {
            report("start with " + FLEET + " devices", s);
            HttpClient http = HttpClient.newHttpClient();
            long pages = 0;
            for (int offset = 0; offset < FLEET; offset += 500) {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
                                + "/api/mdm/devices/?limit=500&offset=" + offset))
                        .header("Authorization", "Token " + token).build(), HttpResponse.BodyHandlers.ofByteArray());
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("HTTP " + r.statusCode() + ": "
                            + new String(r.body(), StandardCharsets.UTF_8));
                }
                pages++;
            }
            System.out.printf(Locale.ROOT, "BENCHMARK start: after paging through %d devices (%d pages of 500):"
                    + " server RSS %.0f MiB, server CPU so far %.0f ms (load average %s)%n", FLEET, pages, s.rssMiB(),
                    s.cpuMillis(), ServerProcess.loadAverage());
        }
    }

    private static void report(String what, ServerProcess s) throws Exception {
        System.out.printf(Locale.ROOT, "BENCHMARK start: %s: first answer after %.2f s wall, server CPU %.0f ms,"
                        + " RSS %.0f MiB (load average %s)%n", what, s.startNanos / 1e9, s.cpuMillis(), s.rssMiB(),
                ServerProcess.loadAverage());
    }

    /** Inserts {@code count} enrolled devices, each with a DeviceInformation of about 2 KB. */
    private static void seed(Path sqlite, int count) throws Exception {
        String info = "{\"QueryResponses\": {" + "\"Attribute%d\": \"value of an inventory attribute\", ".repeat(40)
                .formatted(java.util.stream.IntStream.range(0, 40).boxed().toArray()) + "\"UDID\": \"x\"}}";
        long now = System.currentTimeMillis();
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + sqlite)) {
            c.setAutoCommit(false);
            try (PreparedStatement p = c.prepareStatement("INSERT INTO enrolled_devices (udid, enrollment_id,"
                    + " serial_number, name, model, platform, os_version, build_version, device_information,"
                    + " device_information_updated_at, last_seen_at, created_at, updated_at)"
                    + " VALUES (?, ?, ?, ?, 'Mac14,2', 'macOS', '14.4', '23E214', ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    String udid = String.format(Locale.ROOT, "%08X-0000-4000-8000-%012X", i, i);
                    p.setString(1, udid);
                    p.setString(2, udid);
                    p.setString(3, String.format(Locale.ROOT, "C02%07d", i));
                    p.setString(4, "Mac " + i);
                    p.setString(5, info);
                    p.setLong(6, now);
                    p.setLong(7, now);
                    p.setLong(8, now);
                    p.setLong(9, now);
                    p.addBatch();
                    if (i % 5000 == 4999) {
                        p.executeBatch();
                    }
                }
                p.executeBatch();
            }
            c.commit();
        }
    }
}
