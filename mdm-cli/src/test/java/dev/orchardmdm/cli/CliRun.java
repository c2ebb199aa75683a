package dev.orchardmdm.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** One run of the tool in-process, with standard input given and outputs captured. */
public record CliRun(int status, String out, String err) {

    /** Runs {@code mdm args} with {@code stdin} as standard input (no console) and {@code env}. */
    public static CliRun run(String stdin, Map<String, String> env, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Terminal terminal = new Terminal(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintWriter(out), new PrintWriter(err), null, env);
        int status = Mdm.run(terminal, args);
        return new CliRun(status, out.toString(), err.toString());
    }

    public static CliRun run(String stdin, String... args) {
        return run(stdin, Map.of(), args);
    }

    @Override
    public String toString() {
        return "status " + status + "\n--- out:\n" + out + "--- err:\n" + err;
    }
}
