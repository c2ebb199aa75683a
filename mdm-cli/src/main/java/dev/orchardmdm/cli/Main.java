package dev.orchardmdm.cli;

/** Entry point of {@code java -jar mdm-cli.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        System.exit(Mdm.run(Terminal.system(), args));
    }
}
