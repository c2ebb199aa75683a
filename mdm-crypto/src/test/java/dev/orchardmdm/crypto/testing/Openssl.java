package dev.orchardmdm.crypto.testing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the {@code openssl} command line (and other local tools) for interoperability tests. */
public final class Openssl {
    private Openssl() {
    }

    /** The result of a command: exit code, standard output and standard error. */
    public record Result(int exitCode, byte[] stdout, String stderr) {
        /** Standard output as text. */
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    /** Runs {@code openssl ARGS} in {@code dir}, with a 60 s time-out. */
    public static Result run(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return exec(dir, command);
    }

    /** Runs {@code openssl ARGS} and fails unless it exits 0; returns its standard output. */
    public static byte[] ok(Path dir, String... args) throws IOException, InterruptedException {
        Result r = run(dir, args);
        if (r.exitCode() != 0) {
            throw new AssertionError("openssl " + String.join(" ", args) + " failed (" + r.exitCode() + "): " + r.stderr());
        }
        return r.stdout();
    }

    /** Runs any local command in {@code dir} with a 60 s time-out. */
    public static Result exec(Path dir, List<String> command) throws IOException, InterruptedException {
        Path err = Files.createTempFile(dir, "stderr", ".txt");
        Path out = Files.createTempFile(dir, "stdout", ".bin");
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(err.toFile()).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("timed out: " + command);
        }
        Result r = new Result(p.exitValue(), Files.readAllBytes(out), Files.readString(err));
        Files.delete(err);
        Files.delete(out);
        return r;
    }
}
