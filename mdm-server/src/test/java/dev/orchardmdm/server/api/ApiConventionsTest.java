package dev.orchardmdm.server.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.server.api.audit.AuditRoutes;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import io.javalin.Javalin;
import java.util.Set;
import org.junit.jupiter.api.extension.RegisterExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The admin API conventions on a real Javalin server: auth, permissions, errors, pagination, bodies, audit. */
class ApiConventionsTest {

    static final String VIEW = "mdm.view_thing";
    static final String ADD = "mdm.add_thing";

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    static Javalin app;
    static ApiTestClient client;
    static String ALL_TOKEN;
    static String VIEW_TOKEN;

    @BeforeAll
    static void start() throws Exception {
        Store store = DBS.store(DatabaseKind.SQLITE);
        ALL_TOKEN = store.apiTokens().create("admin", Set.of(VIEW, ADD, AuditRoutes.VIEW), null).secret();
        VIEW_TOKEN = store.apiTokens().create("viewer", Set.of(VIEW), null).secret();
        ApiAudit audit = new ApiAudit(store.auditLog());
        List<Integer> things = IntStream.rangeClosed(1, 7).boxed().toList();
        ApiModule thingModule = () -> List.of(
                new ApiRoute("GET", "/api/things/", List.of(VIEW), "list things",
                        call -> Pagination.respond(call, things.stream().map(i -> Map.of("id", i)).toList())),
                new ApiRoute("GET", "/api/things/{id}/", List.of(VIEW), "get a thing", call -> {
                    long id = call.pathId("id");
                    if (id > things.size()) {
                        throw ApiException.notFound("id");
                    }
                    return ApiResponse.ok(Map.of("id", id));
                }),
                new ApiRoute("POST", "/api/things/", List.of(VIEW, ADD), "create a thing", call -> {
                    JsonBody body = call.body();
                    String name = body.string("name", 20);
                    Optional<String> password = body.optString("password", 64);
                    audit.record(call, "created", "mdm.thing", 8, Map.of("name", name,
                            "password", password.orElse("")));
                    return ApiResponse.created(Map.of("id", 8, "name", name));
                }),
                new ApiRoute("GET", "/api/things/boom/", List.of(VIEW), "fails", call -> {
                    throw new IllegalStateException("internal detail");
                }));
        AdminApi api = new AdminApi(new ApiAuthenticator(AdminApiFactory.tokenLookup(store.apiTokens())),
                List.of(thingModule, new AuditRoutes(store.auditLog())));
        app = Javalin.create(c -> c.showJavalinBanner = false);
        api.register(app);
        app.start("127.0.0.1", 0);
        client = new ApiTestClient("http://127.0.0.1:" + app.port());
    }

    @AfterAll
    static void stop() {
        app.stop();
    }

    @Test
    void missingOrBadCredentialsAre401() {
        var none = client.get("/api/things/", null);
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.header("WWW-Authenticate")).isEqualTo("Token");
        assertThat(none.json().get("detail").asText()).isEqualTo("Authentication credentials were not provided.");
        assertThat(client.get("/api/things/", "wrong-token").status()).isEqualTo(401);
        assertThat(client.get("/api/things/", ALL_TOKEN + "x").status()).isEqualTo(401);
        assertThat(client.sendRaw("GET", "/api/things/", "Bearer " + ALL_TOKEN, null, null).status()).isEqualTo(401);
        assertThat(client.sendRaw("GET", "/api/things/", "Token a b", null, null).json().get("detail").asText())
                .isEqualTo("Invalid token header.");
        assertThat(client.sendRaw("GET", "/api/things/", "Token " + "x".repeat(300), null, null).status()).isEqualTo(401);
    }

    @Test
    void missingPermissionIs403AndNamesIt() {
        var r = client.post("/api/things/", VIEW_TOKEN, "{\"name\": \"a\"}");
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().get("missing_permission").asText()).isEqualTo(ADD);
        assertThat(client.get("/api/audit_events/", VIEW_TOKEN).status()).isEqualTo(403);
    }

    @Test
    void listIsArrayWithoutLimitAndPageWithIt() {
        JsonNode all = client.get("/api/things/", VIEW_TOKEN).json();
        assertThat(all.isArray()).isTrue();
        assertThat(all).hasSize(7);
        JsonNode page = client.get("/api/things/?limit=3&offset=3", VIEW_TOKEN).json();
        assertThat(page.get("count").asInt()).isEqualTo(7);
        assertThat(page.get("results")).hasSize(3);
        assertThat(page.get("results").get(0).get("id").asInt()).isEqualTo(4);
        assertThat(page.get("next").asText()).endsWith("/api/things/?limit=3&offset=6");
        assertThat(page.get("previous").asText()).endsWith("/api/things/?limit=3");
        JsonNode last = client.get("/api/things/?limit=3&offset=6", VIEW_TOKEN).json();
        assertThat(last.get("next").isNull()).isTrue();
        assertThat(last.get("results")).hasSize(1);
        JsonNode big = client.get("/api/things/?limit=100000", VIEW_TOKEN).json();
        assertThat(big.get("results")).hasSize(7);
        assertThat(big.get("previous").isNull()).isTrue();
        var bad = client.get("/api/things/?limit=abc", VIEW_TOKEN);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().has("limit")).isTrue();
        assertThat(client.get("/api/things/?offset=-1", VIEW_TOKEN).json().has("offset")).isTrue();
    }

    @Test
    void badIdsAre404NamingTheParameter() {
        for (String id : List.of("abc", "0", "-1", "99999999999999999999", "9")) {
            var r = client.get("/api/things/" + id + "/", VIEW_TOKEN);
            assertThat(r.status()).as(id).isEqualTo(404);
            assertThat(r.json().get("field").asText()).isEqualTo("id");
        }
        assertThat(client.get("/api/things/3/", VIEW_TOKEN).json().get("id").asInt()).isEqualTo(3);
    }

    @Test
    void malformedBodiesAre400NamingTheField() {
        assertThat(client.post("/api/things/", ALL_TOKEN, "{").json().has("non_field_errors")).isTrue();
        assertThat(client.post("/api/things/", ALL_TOKEN, "[1]").json().has("non_field_errors")).isTrue();
        assertThat(client.post("/api/things/", ALL_TOKEN, "{\"name\":\"a\",\"name\":\"b\"}").status()).isEqualTo(400);
        var missing = client.post("/api/things/", ALL_TOKEN, "{}");
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().get("name").get(0).asText()).isEqualTo("This field is required.");
        assertThat(client.post("/api/things/", ALL_TOKEN, "{\"name\": 3}").json().has("name")).isTrue();
        assertThat(client.post("/api/things/", ALL_TOKEN, "{\"name\": \"" + "a".repeat(21) + "\"}").json().has("name"))
                .isTrue();
        String deep = "[".repeat(100) + "]".repeat(100);
        assertThat(client.post("/api/things/", ALL_TOKEN, "{\"x\":" + deep + "}").status()).isEqualTo(400);
        byte[] huge = new byte[ApiCall.MAX_BODY_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        assertThat(client.sendRaw("POST", "/api/things/", "Token " + ALL_TOKEN, huge, "application/json").status())
                .isEqualTo(413);
    }

    @Test
    void changesAreAuditedWithSecretsRedacted() {
        var r = client.post("/api/things/", ALL_TOKEN, "{\"name\": \"ok\", \"password\": \"hunter2\"}");
        assertThat(r.status()).isEqualTo(201);
        JsonNode list = client.get("/api/audit_events/?object_type=mdm.thing", ALL_TOKEN).json();
        assertThat(list.isArray()).isTrue();
        JsonNode e = list.get(0);
        assertThat(e.get("actor").asText()).matches("api_token:\\d+:admin");
        assertThat(e.get("action").asText()).isEqualTo("created");
        assertThat(e.get("object_id").asText()).isEqualTo("8");
        assertThat(e.get("details").get("name").asText()).isEqualTo("ok");
        assertThat(e.get("details").get("password").asText()).isEqualTo("<redacted>");
        assertThat(e.get("created_at").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{6})?");
        assertThat(list.toString()).doesNotContain("hunter2");
        assertThat(client.get("/api/audit_events/?object_type=nothing", ALL_TOKEN).json()).isEmpty();
        client.post("/api/things/", ALL_TOKEN, "{\"name\": \"ok2\"}");
        JsonNode page = client.get("/api/audit_events/?object_type=mdm.thing&action=created&limit=1", ALL_TOKEN).json();
        int created = client.get("/api/audit_events/?object_type=mdm.thing&action=created", ALL_TOKEN).json().size();
        assertThat(page.get("count").asLong()).isEqualTo(created).isGreaterThanOrEqualTo(2);
        assertThat(page.get("results")).hasSize(1);
        assertThat(page.get("results").get(0).get("details").get("name").asText()).isEqualTo("ok2");
        assertThat(client.get("/api/audit_events/?object_type=mdm.thing&action=deleted&limit=5", ALL_TOKEN).json()
                .get("count").asLong()).isZero();
    }

    @Test
    void unexpectedFailureIs500WithoutInternals() {
        var r = client.get("/api/things/boom/", VIEW_TOKEN);
        assertThat(r.status()).isEqualTo(500);
        assertThat(r.json().toString()).doesNotContain("internal detail");
    }

    @Test
    void openApiDocumentListsEveryRouteWithItsPermissions() {
        JsonNode doc = client.get(AdminApi.OPENAPI_PATH, null).json();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.0.3");
        JsonNode post = doc.get("paths").get("/api/things/").get("post");
        assertThat(post.get("x-required-permissions")).extracting(JsonNode::asText).containsExactly(VIEW, ADD);
        assertThat(doc.get("paths").get("/api/things/{id}/").get("get").get("parameters").get(0).get("name").asText())
                .isEqualTo("id");
        assertThat(doc.get("paths").has("/api/audit_events/")).isTrue();
    }

    @Test
    void timestampsAreNaiveUtcMicroseconds() {
        assertThat(ApiTimestamps.format(Instant.parse("2024-02-17T20:31:34.848107123Z")))
                .isEqualTo("2024-02-17T20:31:34.848107");
        assertThat(ApiTimestamps.format(Instant.parse("2024-08-05T14:44:01Z"))).isEqualTo("2024-08-05T14:44:01");
        assertThat(ApiTimestamps.format(Instant.parse("2024-08-05T14:44:01.000001Z"))).isEqualTo("2024-08-05T14:44:01.000001");
        assertThat(ApiTimestamps.format(null)).isNull();
        assertThat(ApiTimestamps.parse("2024-02-17T20:31:34.848107")).isEqualTo(Instant.parse("2024-02-17T20:31:34.848107Z"));
    }
}
