package dev.orchardmdm.server.http;

import java.util.regex.Pattern;

/**
 * Removes enrollment secrets from text bound for the log or an error answer: the path segment
 * after {@code enrollments/}, {@code ota_enrollments/} and {@code dep_enroll/} (an enrollment
 * secret), and the session secret in identity common names ({@code MDM$<TYPE>$<secret>},
 * {@code OTA$<secret>}), wherever they appear (paths, certificate subjects in exception messages).
 */
public final class Redaction {
    /** What stands in for a removed secret. */
    public static final String REDACTED = "<redacted>";
    private static final Pattern PATH_SECRET = Pattern.compile("(/(?:ota_enrollments|enrollments|dep_enroll)/)[^/?#\\s]+");
    private static final Pattern CN_SECRET = Pattern.compile("(MDM\\$[A-Za-z]+\\$|OTA\\$)[^,/+;\"\\s]+");

    private Redaction() {
    }

    /** {@code text} with every enrollment and session secret replaced by {@link #REDACTED}; null stays null. */
    public static String text(String text) {
        if (text == null) {
            return null;
        }
        String out = PATH_SECRET.matcher(text).replaceAll("$1" + REDACTED);
        return CN_SECRET.matcher(out).replaceAll("$1" + REDACTED);
    }

    /**
     * A copy of {@code t} and its causes for the log: same classes' names, stack traces, messages
     * redacted (a certificate subject in a message would otherwise print the session secret).
     */
    public static Throwable throwable(Throwable t) {
        if (t == null) {
            return null;
        }
        Throwable copy = new Redacted(t.getClass().getName() + ": " + text(String.valueOf(t.getMessage())),
                throwable(t.getCause() == t ? null : t.getCause()));
        copy.setStackTrace(t.getStackTrace());
        return copy;
    }

    /** A logged stand-in for an exception whose message was redacted. */
    private static final class Redacted extends Exception {
        private static final long serialVersionUID = 1L;

        Redacted(String message, Throwable cause) {
            super(message, cause);
        }

        @Override
        public String toString() {
            return getMessage();
        }
    }
}
