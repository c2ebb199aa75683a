package dev.orchardmdm.server.e2e;

import dev.orchardmdm.server.Main;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real server ({@link Main}) in a separate JVM, started with this test's class path against a
 * config file, so that a test can kill it with SIGKILL ({@link #kill()}) as a crash would.
 */
public final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ServerProcess(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    /** A free TCP port on the loopback interface. */
    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /**
     * Writes a config for a server on {@code port} over {@code jdbcUrl} with its data directory
     * {@code dataDir} (shared by servers that share a database: it holds the secret key), push and scheduled syncs off.
     */
    public static Path writeConfig(Path dir, String name, int port, String jdbcUrl, Path dataDir) throws IOException {
        String json = "{\"data_dir\": \"" + dataDir.toAbsolutePath() + "\", \"server\": {\"listen\": \"127.0.0.1:"
                + port + "\", \"public_url\": \"https://mdm.orchard.test\"}, \"database\": {\"url\": \"" + jdbcUrl
                + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}";
        Path file = dir.resolve(name + ".json");
        Files.writeString(file, json, StandardCharsets.UTF_8);
        return file;
    }

    /** Starts {@link Main} with {@code config} and waits (up to 60 s) until it answers HTTP on {@code port}. */
    public static ServerProcess start(Path config, int port, HttpClient http) throws Exception {
        Path log = config.resolveSibling(config.getFileName() + "." + System.nanoTime() + ".log");
        Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "--config", config.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        ServerProcess server = new ServerProcess(p, port, log);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + ":\n" + server.logText());
            }
            try {
                http.send(HttpRequest.newBuilder(URI.create(server.baseUrl() + "/public/mdm/scep?operation=GetCACaps"))
                        .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
                return server;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        server.kill();
        throw new IllegalStateException("server did not start within 60 s:\n" + server.logText());
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed or committed. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** What the server printed. */
    public String logText() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
