package dev.orchardmdm.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a command talks to: standard output and error, the console for prompts without echo, the
 * standard input for prompts when there is no console (pipes, tests), and the environment.
 * One instance per run of the tool; nothing here is static.
 */
public final class Terminal {
    private final InputStream in;
    private final PrintWriter out;
    private final PrintWriter err;
    private final Console console;
    private final Map<String, String> env;
    private BufferedReader stdinReader;

    /**
     * @param in      standard input, read for prompts when {@code console} is null
     * @param out     standard output: results, and nothing else
     * @param err     standard error: prompts, messages, errors
     * @param console the interactive console (prompts without echo), or null
     * @param env     the environment variables
     */
    public Terminal(InputStream in, PrintWriter out, PrintWriter err, Console console, Map<String, String> env) {
        this.in = Objects.requireNonNull(in);
        this.out = Objects.requireNonNull(out);
        this.err = Objects.requireNonNull(err);
        this.console = console;
        this.env = Map.copyOf(env);
    }

    /** The terminal of the running process. */
    public static Terminal system() {
        return new Terminal(System.in,
                new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8),
                System.console(), System.getenv());
    }

    public PrintWriter out() {
        return out;
    }

    public PrintWriter err() {
        return err;
    }

    /** The value of an environment variable, if set. */
    public Optional<String> env(String name) {
        return Optional.ofNullable(env.get(name));
    }

    /**
     * Asks for a secret: on the console without echo, or else as one line of standard input
     * (the prompt then goes to standard error).
     *
     * @throws CliException when the input ends before an answer
     */
    public char[] readSecret(String prompt) throws CliException {
        if (console != null) {
            char[] answer = console.readPassword("%s", prompt);
            if (answer == null) {
                throw new CliException("no answer to the prompt \"" + prompt.strip() + "\" (end of input)");
            }
            return answer;
        }
        err.print(prompt);
        err.flush();
        try {
            if (stdinReader == null) {
                stdinReader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            }
            String line = stdinReader.readLine();
            if (line == null) {
                throw new CliException("no answer to the prompt \"" + prompt.strip() + "\" (end of input)");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new CliException("cannot read the standard input: " + e.getMessage(), e);
        } finally {
            err.println();
        }
    }
}
