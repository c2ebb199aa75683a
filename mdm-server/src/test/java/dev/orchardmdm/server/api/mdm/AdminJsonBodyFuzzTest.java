package dev.orchardmdm.server.api.mdm;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.protocol.Fixtures;
import dev.orchardmdm.protocol.testing.FuzzRuns;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.server.api.JsonBody;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target: admin API JSON request bodies, parsed and bound without HTTP: {@link JsonBody#parse} with the
 * admin API's mapper, then one binder chosen by the first input byte (0: the typed accessors on common field
 * names, 1: blueprint, 2: FileVault configuration, 3: recovery password configuration). Contract: a bound
 * value or an {@link ApiException} with a 4xx status; any other throwable is a finding. Seeds: a valid body
 * of each binder and the shared fixtures' JSON captures. See docs/fuzzing.md.
 */
class AdminJsonBodyFuzzTest {
    private final ObjectMapper mapper = ApiJson.newMapper();
    private final FuzzRuns runs = new FuzzRuns("admin-json");

    static Stream<Arguments> seeds() {
        return Stream.of(
                seed("blueprint", 1, "{\"name\": \"Default\", \"inventory_interval\": 86400, \"collect_apps\": 2,"
                        + " \"collect_certificates\": 1, \"collect_profiles\": 0, \"legacy_profiles_via_ddm\": true,"
                        + " \"filevault_config\": 1, \"recovery_password_config\": null, \"default_location\": 3}"),
                seed("filevault", 2, "{\"name\": \"FV\", \"escrow_location_display_name\": \"Orchard\","
                        + " \"at_login_only\": false, \"bypass_attempts\": -1, \"show_recovery_key\": true,"
                        + " \"destroy_key_on_standby\": false, \"prk_rotation_interval_days\": 90,"
                        + " \"prk_reveal_rotation_delay\": 15}"),
                seed("recovery-static", 3, "{\"name\": \"RP\", \"dynamic_password\": false,"
                        + " \"static_password\": \"12345678abc\", \"rotation_interval_days\": 0}"),
                seed("recovery-dynamic", 3, "{\"name\": \"RP\", \"rotation_interval_days\": 90,"
                        + " \"reveal_rotation_delay\": 60, \"rotate_firmware_password\": true}"),
                seed("accessors", 0, "{\"name\": \"x\", \"tags\": [\"a\", \"b\"], \"id\": 7, \"enabled\": true,"
                        + " \"count\": -3, \"nested\": {\"k\": [1, 2.5, null, {}]}}"),
                FuzzRuns.modeSeed("server_token_client_config_response.json", 0,
                        Fixtures.zentral("server_token_client_config_response.json")),
                FuzzRuns.modeSeed("software_lookup_service_response.json", 0,
                        Fixtures.zentral("software_lookup_service_response.json")));
    }

    private static Arguments seed(String name, int mode, String json) {
        return FuzzRuns.modeSeed(name, mode, json.getBytes(StandardCharsets.UTF_8));
    }

    @MethodSource("seeds")
    @FuzzTest
    void bind(byte[] input) {
        runs.count();
        if (input.length == 0) {
            return;
        }
        try {
            JsonBody body = JsonBody.parse(Arrays.copyOfRange(input, 1, input.length), mapper);
            switch (input[0] & 3) {
                case 1 -> ConfigRoutes.blueprint(body);
                case 2 -> ConfigRoutes.fileVault(body);
                case 3 -> ConfigRoutes.recovery(body);
                default -> accessors(body);
            }
        } catch (ApiException refused) {
            if (refused.status() < 400 || refused.status() > 499) {
                throw new AssertionError("a body refused with status " + refused.status(), refused);
            }
        }
    }

    private static void accessors(JsonBody body) throws ApiException {
        body.optString("name", 256);
        body.stringOrEmpty("name", 16, "");
        body.optStrings("tags", 16, 64);
        body.optId("id");
        body.optBool("enabled");
        body.optLong("count", -10, 10);
        body.optInt("count", 0, 5, 1);
        body.node();
    }

    @AfterEach
    void report(TestInfo invocation) {
        runs.report(invocation);
    }
}
