package dev.orchardmdm.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds the OpenAPI 3.0 document of the admin API from its route table. */
public final class OpenApiDocument {

    private static final Pattern PARAM = Pattern.compile("\\{([a-z_]+)}");

    private OpenApiDocument() {
    }

    /** The document as JSON bytes. */
    public static byte[] build(List<ApiRoute> routes, ObjectMapper mapper) {
        ObjectNode doc = mapper.createObjectNode();
        doc.put("openapi", "3.0.3");
        ObjectNode info = doc.putObject("info");
        info.put("title", "Orchard MDM admin API");
        info.put("version", "1");
        info.put("description", "Zentral-compatible MDM admin API. Authenticate with `Authorization: Token <token>`;"
                + " every operation lists the permissions it needs in `x-required-permissions`. Lists answer a JSON"
                + " array, or with `limit` (max 500) / `offset` the object {count, next, previous, results}.");
        ObjectNode components = doc.putObject("components");
        ObjectNode scheme = components.putObject("securitySchemes").putObject("TokenAuth");
        scheme.put("type", "apiKey").put("in", "header").put("name", "Authorization")
                .put("description", "`Token <token>`");
        ObjectNode error = components.putObject("schemas").putObject("Error");
        error.put("type", "object").put("description",
                "`{\"detail\": message}` or `{\"<field>\": [message]}` naming the refused field");
        ObjectNode paths = doc.putObject("paths");
        for (ApiRoute route : routes) {
            ObjectNode path = paths.has(route.path()) ? (ObjectNode) paths.get(route.path()) : paths.putObject(route.path());
            ObjectNode op = path.putObject(route.method().toLowerCase(Locale.ROOT));
            op.put("summary", route.summary());
            op.put("operationId", route.method().toLowerCase(Locale.ROOT) + route.path().replaceAll("[^A-Za-z0-9]+", "_"));
            ArrayNode perms = op.putArray("x-required-permissions");
            route.permissions().forEach(perms::add);
            op.putArray("security").addObject().putArray("TokenAuth");
            ArrayNode params = op.putArray("parameters");
            Matcher m = PARAM.matcher(route.path());
            while (m.find()) {
                ObjectNode p = params.addObject();
                p.put("name", m.group(1)).put("in", "path").put("required", true);
                boolean uuid = m.group(1).contains("uuid");
                p.putObject("schema").put("type", uuid ? "string" : "integer").put("format", uuid ? "uuid" : "int64");
            }
            ObjectNode responses = op.putObject("responses");
            responses.putObject(route.method().equals("DELETE") ? "204" : "200").put("description", "Success");
            for (String[] r : new String[][] {{"400", "Invalid input; the body names the field"},
                {"401", "Missing or invalid token"}, {"403", "A required permission is missing"},
                {"404", "Unknown object"}}) {
                responses.putObject(r[0]).put("description", r[1]).putObject("content")
                        .putObject("application/json").putObject("schema").put("$ref", "#/components/schemas/Error");
            }
        }
        try {
            return mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("OpenAPI document not serializable", e);
        }
    }
}
