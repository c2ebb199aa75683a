package dev.orchardmdm.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a password comes from, in this order: a file named by an option (its first line), an
 * environment variable, or a prompt without echo. Never from a plain command-line argument, which
 * other users of the machine could read in the process list.
 *
 * @param what    what the password protects, for prompts and errors (e.g. "vendor key")
 * @param file    the file given with a {@code --…-password-file} option, or null
 * @param envName the environment variable consulted when no file is given
 */
public record Passwords(String what, Path file, String envName) {
    /** Shortest password accepted for a new key (the same minimum as OpenSSL's). */
    public static final int MIN_LENGTH = 4;
    /** Largest password file read. */
    public static final int MAX_FILE_BYTES = 4096;

    public Passwords {
        Objects.requireNonNull(what);
        Objects.requireNonNull(envName);
    }

    /** The password of an existing key: asked once. */
    public char[] existing(Terminal terminal) throws CliException {
        Optional<char[]> given = given(terminal);
        if (given.isPresent()) {
            return given.get();
        }
        char[] answer = terminal.readSecret("Password of the " + what + ": ");
        if (answer.length == 0) {
            throw new CliException("no password given for the " + what);
        }
        return answer;
    }

    /** A password for a new key: asked twice when prompted; at least {@link #MIN_LENGTH} characters. */
    public char[] choose(Terminal terminal) throws CliException {
        Optional<char[]> given = given(terminal);
        char[] password;
        if (given.isPresent()) {
            password = given.get();
        } else {
            password = terminal.readSecret("Choose a password for the " + what + ": ");
            char[] again = terminal.readSecret("Repeat the password for the " + what + ": ");
            boolean same = Arrays.equals(password, again);
            Arrays.fill(again, '\0');
            if (!same) {
                Arrays.fill(password, '\0');
                throw new CliException("the two passwords for the " + what + " differ; nothing was written");
            }
        }
        if (password.length < MIN_LENGTH) {
            Arrays.fill(password, '\0');
            throw new CliException("the password for the " + what + " must have at least " + MIN_LENGTH
                    + " characters; nothing was written");
        }
        return password;
    }

    private Optional<char[]> given(Terminal terminal) throws CliException {
        if (file != null) {
            return Optional.of(readFile(file, what));
        }
        Optional<String> env = terminal.env(envName).filter(v -> !v.isEmpty());
        return env.map(String::toCharArray);
    }

    /** The first line of {@code file}, without its line ending; an empty password is refused. */
    public static char[] readFile(Path file, String what) throws CliException {
        String content;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CliException("the password file of the " + what + " (" + file + ") is larger than "
                        + MAX_FILE_BYTES + " bytes; it should hold the password on its first line");
            }
            content = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new CliException("cannot read the password file of the " + what + " (" + file + "): "
                    + e.getMessage(), e);
        }
        int end = content.indexOf('\n');
        String line = end < 0 ? content : content.substring(0, end);
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        if (line.isEmpty()) {
            throw new CliException("the password file of the " + what + " (" + file + ") is empty");
        }
        return line.toCharArray();
    }
}
