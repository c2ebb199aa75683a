package dev.orchardmdm.server.bench;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The Orchard server as a separate operating-system process ({@code dev.orchardmdm.server.Main}
 * on this JVM's main class path, or {@code java -jar} of {@code orchard.bench.serverJar}), so that
 * a benchmark measures the server's CPU time from {@code /proc/<pid>/stat} and not its own.
 * Extra JVM options for the server come from {@code orchard.bench.serverJvmArgs} (space-separated;
 * e.g. {@code -XX:StartFlightRecording=filename=server.jfr} to profile it).
 */
final class ServerProcess implements AutoCloseable {
    /** How long a start may take (a machine shared with builds can take minutes). */
    static final long START_TIMEOUT_SECONDS = Long.getLong("orchard.bench.startTimeout", 900);
    private final Process process;
    final int port;
    /** Nanoseconds from the process start to its first successful HTTP answer. */
    final long startNanos;

    private final long clockTicksPerSecond;

    private ServerProcess(Process process, int port, long startNanos) {
        this.process = process;
        this.port = port;
        this.startNanos = startNanos;
        this.clockTicksPerSecond = clockTicksPerSecond();
    }

    /** A free local TCP port (a small race with other processes is accepted). */
    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Starts the server with {@code config} and waits until it answers GetCACert with 200. */
    static ServerProcess start(Path config, int port, Path log) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String jvmArgs = System.getProperty("orchard.bench.serverJvmArgs", "").trim();
        if (!jvmArgs.isEmpty()) {
            cmd.addAll(Arrays.asList(jvmArgs.split("\\s+")));
        }
        String jar = System.getProperty("orchard.bench.serverJar", "");
        if (!jar.isBlank()) {
            cmd.add("-jar");
            cmd.add(jar);
        } else {
            cmd.add("-cp");
            cmd.add(mainClassPath());
            cmd.add("dev.orchardmdm.server.Main");
        }
        cmd.add("--config");
        cmd.add(config.toString());
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        long deadline = t0 + TimeUnit.SECONDS.toNanos(START_TIMEOUT_SECONDS);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("server exited with " + p.exitValue() + ": " + Files.readString(log));
            }
            if (answers(port)) {
                return new ServerProcess(p, port, System.nanoTime() - t0);
            }
            Thread.sleep(10);
        }
        p.destroyForcibly();
        throw new IllegalStateException("server did not answer within " + START_TIMEOUT_SECONDS + " s: "
                + Files.readString(log));
    }

    /** This JVM's class path without test classes: the server's own classes and libraries. */
    private static String mainClassPath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(e -> !e.endsWith("test-classes") && !e.endsWith("-tests.jar"))
                .collect(Collectors.joining(File.pathSeparator));
    }

    private static boolean answers(int port) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /public/mdm/scep?operation=GetCACert HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] head = in.readNBytes(12);
            return new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 200");
        } catch (IOException e) {
            return false;
        }
    }

    long pid() {
        return process.pid();
    }

    /** The server's CPU time so far (user + system), in milliseconds, from /proc/&lt;pid&gt;/stat. */
    double cpuMillis() throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
        // the command name (field 2) is in parentheses and may hold spaces: count after the last ')'
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 (utime) and 15 (stime)
        return ticks * 1000.0 / clockTicksPerSecond;
    }

    /** The server's resident set size in MiB, from /proc/&lt;pid&gt;/status (VmRSS). */
    double rssMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }

    /** {@code getconf CLK_TCK}: the unit of /proc/&lt;pid&gt;/stat's times (100 on Linux unless told). */
    private static long clockTicksPerSecond() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").start();
            return Long.parseLong(new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        } catch (IOException | NumberFormatException e) {
            return 100;
        }
    }

    /** The 1-minute load average, from /proc/loadavg. */
    static String loadAverage() throws IOException {
        String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
        return f[0] + " " + f[1] + " " + f[2];
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
