package dev.orchardmdm.server.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API ({@code /api/...}): composes {@link ApiModule}s, and registers every route on a
 * Javalin app behind token authentication and per-route permissions. Errors are JSON; unexpected
 * failures are a 500 without internals.
 */
public final class AdminApi {

    /** Path of the OpenAPI document (served without authentication). */
    public static final String OPENAPI_PATH = "/api/openapi.json";

    private static final Logger LOG = LoggerFactory.getLogger(AdminApi.class);

    private final ApiAuthenticator authenticator;
    private final ObjectMapper mapper;
    private final List<ApiRoute> routes;

    public AdminApi(ApiAuthenticator authenticator, List<? extends ApiModule> modules) {
        this.authenticator = Objects.requireNonNull(authenticator, "authenticator");
        this.mapper = ApiJson.newMapper();
        List<ApiRoute> all = new ArrayList<>();
        modules.forEach(m -> all.addAll(m.routes()));
        this.routes = List.copyOf(all);
    }

    /** Every authenticated route, in registration order. */
    public List<ApiRoute> routes() {
        return routes;
    }

    /** Registers the routes and the OpenAPI document on {@code routing} (a {@code Javalin} app works). */
    public void register(JavalinDefaultRoutingApi<?> routing) {
        byte[] openApi = OpenApiDocument.build(routes, mapper);
        routing.addHttpHandler(HandlerType.GET, OPENAPI_PATH,
                ctx -> ctx.status(200).contentType("application/json").result(openApi));
        // Javalin takes the first matching route: literal paths go before parameterised ones.
        List<ApiRoute> ordered = new ArrayList<>(routes);
        ordered.sort(java.util.Comparator.comparingLong(r -> r.path().chars().filter(c -> c == '{').count()));
        for (ApiRoute route : ordered) {
            routing.addHttpHandler(HandlerType.valueOf(route.method()), route.path(), ctx -> dispatch(route, ctx));
        }
    }

    private void dispatch(ApiRoute route, Context ctx) {
        ApiResponse response;
        try {
            ApiPrincipal principal = authenticator.authenticate(ctx.header("Authorization"));
            for (String permission : route.permissions()) {
                if (!principal.has(permission)) {
                    throw ApiException.forbidden(permission);
                }
            }
            response = route.endpoint().handle(new ApiCall(ctx, principal, mapper));
        } catch (ApiException e) {
            if (e.status() == 401) {
                ctx.header("WWW-Authenticate", "Token");
            }
            response = new ApiResponse(e.status(), e.body(), null, null, null);
        } catch (RuntimeException e) {
            LOG.error("admin API {} {} failed", route.method(), route.path(), e);
            response = new ApiResponse(500, java.util.Map.of("detail", "Internal server error."), null, null, null);
        }
        write(ctx, response);
    }

    private void write(Context ctx, ApiResponse r) {
        ctx.status(r.status());
        ctx.header("Cache-Control", "no-store");
        if (r.bytes() != null) {
            ctx.contentType(r.contentType());
            if (r.filename() != null) {
                ctx.header("Content-Disposition", "attachment; filename=\"" + r.filename().replace("\"", "") + "\"");
            }
            ctx.result(r.bytes());
        } else if (r.status() != 204) {
            try {
                ctx.contentType("application/json").result(mapper.writeValueAsBytes(r.json()));
            } catch (JsonProcessingException e) {
                LOG.error("admin API response not serializable", e);
                ctx.status(500).contentType("application/json")
                        .result("{\"detail\":\"Internal server error.\"}".getBytes(StandardCharsets.UTF_8));
            }
        }
    }
}
