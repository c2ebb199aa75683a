package dev.orchardmdm.crypto.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Keeps a docs page's example honest: every line of its code block must appear, in order, in a test's source. */
public final class DocsExamples {
    private DocsExamples() {
    }

    /**
     * Asserts that the first {@code ```java} block after {@code marker} in {@code docsPage} (relative to the
     * repository root) has all its non-blank lines, in order, in {@code testSource} (relative to the module).
     */
    public static void assertBlockIn(String docsPage, String marker, Path testSource) throws IOException {
        String doc = Files.readString(Path.of("..").resolve(docsPage));
        List<String> lines = Files.readString(testSource).lines().map(String::strip).toList();
        int at = doc.indexOf(marker);
        assertThat(at).as(marker + " in " + docsPage).isNotNegative();
        int start = doc.indexOf("```java", at) + "```java".length();
        int from = 0;
        for (String line : doc.substring(start, doc.indexOf("```", start)).lines().map(String::strip)
                .filter(l -> !l.isEmpty()).toList()) {
            int found = lines.subList(from, lines.size()).indexOf(line);
            assertThat(found).as("docs line not in " + testSource.getFileName() + ", in order: " + line)
                    .isNotNegative();
            from += found + 1;
        }
    }
}
