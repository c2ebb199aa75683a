package dev.orchardmdm.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server started as {@code java … dev.orchardmdm.server.Main} in a process of its own: with
 * {@code ORCHARD_LOG_FORMAT=json} (or {@code log.format}) every line on standard error is one JSON
 * object; by default lines are slf4j-simple's text.
 */
class LogFormatTest {
    @TempDir
    Path dir;

    /** Starts the server, returns its standard-error lines up to and including the "listening on" one. */
    private List<String> startAndReadLog(String config, String envFormat) throws Exception {
        Files.writeString(dir.resolve("orchard.json"), config);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.orchardmdm.server.Main", "--config", dir.resolve("orchard.json").toString());
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().remove("ORCHARD_LOG_FORMAT");
        if (envFormat != null) {
            pb.environment().put("ORCHARD_LOG_FORMAT", envFormat);
        }
        Process p = pb.start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader err = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = err.readLine()) != null) {
                lines.add(line);
                if (line.contains("listening on")) {
                    break;
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        assertThat(lines).as("standard error").anyMatch(l -> l.contains("listening on"));
        return lines;
    }

    private String config(String extra) {
        return "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:0\"}, \"push\": {\"enabled\": false},"
                + " \"schedule\": {\"enabled\": false}" + extra + "}";
    }

    @Test
    void jsonLogsAreOneObjectPerLine() throws Exception {
        List<String> lines = startAndReadLog(config(""), "json");
        ObjectMapper mapper = new ObjectMapper();
        for (String line : lines) {
            JsonNode event = mapper.readTree(line);
            assertThat(event.isObject()).as(line).isTrue();
            assertThat(event.has("level")).as(line).isTrue();
            assertThat(event.has("timestamp")).as(line).isTrue();
        }
        JsonNode started = mapper.readTree(lines.get(lines.size() - 1));
        assertThat(started.get("level").asText()).isEqualTo("INFO");
        assertThat(started.get("loggerName").asText()).isEqualTo("dev.orchardmdm.server.Main");
        assertThat(started.get("formattedMessage").asText()).startsWith("Orchard MDM server listening on 127.0.0.1:");
    }

    @Test
    void theConfigKeyChoosesJsonTooAndTextIsTheDefault() throws Exception {
        List<String> json = startAndReadLog(config(", \"log\": {\"format\": \"json\"}"), null);
        assertThat(json.get(json.size() - 1)).startsWith("{").endsWith("}");
        List<String> text = startAndReadLog(config(""), null);
        assertThat(text.get(text.size() - 1)).doesNotStartWith("{")
                .contains("INFO dev.orchardmdm.server.Main - Orchard MDM server listening on 127.0.0.1:");
    }
}
