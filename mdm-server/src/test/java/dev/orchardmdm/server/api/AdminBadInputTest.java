package dev.orchardmdm.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.server.api.mdm.DeviceSeeds;
import dev.orchardmdm.server.e2e.TestServer;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile admin input: every admin endpoint that takes a body (walked from the OpenAPI document)
 * answers malformed bodies — not JSON, not an object, wrong JSON types in every field the API
 * knows, unknown enum values, out-of-range numbers, deep nesting, oversized bodies — with a 4xx
 * and a message, never a 500.
 */
class AdminBadInputTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Every body field name the admin API reads. */
    private static final List<String> FIELDS = List.of("at_login_only", "blueprint", "bypass_attempts", "certificate",
            "default_location", "destroy_key_on_standby", "disallow_proximity_setup", "display_name",
            "dynamic_password", "enrollment_secret", "escrow_location_display_name", "filevault_config",
            "inventory_interval", "key_password", "legacy_profiles_via_ddm", "message", "name", "phone_number", "pin",
            "preserve_data_plan", "private_key", "prk_reveal_rotation_delay", "prk_rotation_interval_days",
            "push_certificate", "recovery_password_config", "reveal_rotation_delay", "rotate_firmware_password",
            "rotation_interval_days", "serial_numbers", "show_recovery_key", "skip_setup_items", "static_password",
            "virtual_server", "command", "platform", "type", "meta_business_unit", "tags", "quota",
            "expired_at", "udids", "realm", "os_version", "enrollment");
    /** Wrong-typed or out-of-range values put into every field. */
    private static final List<String> BAD_VALUES = List.of("true", "-1", "1e400", "99999999999999999999999",
            "\"UNKNOWN_ENUM_VALUE\"", "[]", "[1, \"x\"]", "{}", "{\"a\": {\"b\": []}}", "\"\"");

    @TempDir
    Path dir;

    @Test
    void noAdminEndpointAnswersMalformedInputWith500() throws Exception {
        try (TestServer s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "")) {
            var store = s.context.store();
            String token = store.apiTokens().create("admin", dev.orchardmdm.server.api.Permissions.all(), null)
                    .secret();
            List<EnrolledDevice> devices = List.of(DeviceSeeds.device(store, "macOS", false),
                    DeviceSeeds.device(store, "macOS", true), DeviceSeeds.device(store, "iOS", false),
                    DeviceSeeds.device(store, null, false));
            JsonNode paths = JSON.readTree(send(s, "GET", AdminApi.OPENAPI_PATH, token, null).body()).get("paths");

            List<String> bodies = new ArrayList<>(List.of("", "[]", "null", "\"text\"", "123", "{", "{\"pin\":",
                    "{}", "\u0000\u0001", "[".repeat(5000) + "]".repeat(5000),
                    "{\"name\": \"" + "x".repeat(3 * 1024 * 1024) + "\"}"));
            // every field: a list (the wrong type for all of them), an unknown enum value, and one more bad value
            for (int i = 0; i < FIELDS.size(); i++) {
                for (String value : List.of("[]", "\"UNKNOWN_ENUM_VALUE\"", BAD_VALUES.get(i % BAD_VALUES.size()))) {
                    bodies.add("{\"" + FIELDS.get(i) + "\": " + value + "}");
                }
            }
            List<String> fiveHundreds = java.util.Collections.synchronizedList(new ArrayList<>());
            List<String[]> requests = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> path = it.next();
                for (String method : List.of("post", "put", "patch")) {
                    if (!path.getValue().has(method)) {
                        continue;
                    }
                    List<String> concrete = new ArrayList<>();
                    if (path.getKey().endsWith("/erase/") || path.getKey().endsWith("/lock/")) {
                        // the platform rules differ: every kind of device, including one without a platform
                        devices.forEach(d -> concrete.add(path.getKey().replace("{id}", String.valueOf(d.id()))));
                    } else if (path.getKey().startsWith("/api/mdm/devices/{id}/")) {
                        concrete.add(path.getKey().replace("{id}", String.valueOf(devices.get(0).id())));
                    } else {
                        concrete.add(path.getKey().replace("{id}", "1")
                                .replace("{uuid}", "00000000-0000-0000-0000-000000000001"));
                    }
                    for (String url : concrete) {
                        for (String body : bodies) {
                            requests.add(new String[] {method.toUpperCase(), url, body});
                        }
                    }
                }
            }
            assertThat(requests).hasSizeGreaterThan(1000);
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
            try {
                List<java.util.concurrent.Future<?>> done = new ArrayList<>();
                for (String[] req : requests) {
                    done.add(pool.submit(() -> {
                        HttpResponse<String> r = send(s, req[0], req[1], token, req[2]);
                        if (r.statusCode() >= 500) {
                            fiveHundreds.add(req[0] + " " + req[1] + " " + abbreviate(req[2]) + " -> "
                                    + r.statusCode() + " " + abbreviate(r.body()));
                        } else if (r.statusCode() == 400) {
                            assertThat(r.body()).as("400 without a message: %s %s %s", req[0], req[1],
                                    abbreviate(req[2])).isNotBlank();
                        }
                        return null;
                    }));
                }
                for (java.util.concurrent.Future<?> f : done) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(fiveHundreds).as("requests answered with 5xx").isEmpty();
        }
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }

    private static HttpResponse<String> send(TestServer s, String method, String path, String token, String body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Token " + token).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
