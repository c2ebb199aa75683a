package dev.orchardmdm.server.api;

import dev.orchardmdm.server.api.audit.AuditLog;
import dev.orchardmdm.server.api.audit.AuditRoutes;
import dev.orchardmdm.store.Store;
import io.javalin.Javalin;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A running admin API over a real store for tests: an {@code admin} token holding every permission
 * of the routes, and a {@code nobody} token holding none.
 */
public final class ApiFixture implements AutoCloseable {
    public static final String ADMIN = "admin-token-0123456789";
    public static final String NOBODY = "nobody-token-0123456789";

    private final Javalin app;
    private final AdminApi api;
    private final ApiTestClient client;
    private final AuditLog auditLog;
    private final Store store;

    private ApiFixture(Javalin app, AdminApi api, AuditLog auditLog, Store store) {
        this.app = app;
        this.api = api;
        this.auditLog = auditLog;
        this.store = store;
        this.client = new ApiTestClient("http://127.0.0.1:" + app.port());
    }

    /** Starts the API with the modules built by {@code modules} over {@code store}. */
    public static ApiFixture start(Store store, BiFunction<Store, ApiAudit, List<ApiModule>> modules) {
        MemoryAuditLog log = new MemoryAuditLog();
        ApiAudit audit = new ApiAudit(log, Clock.systemUTC());
        List<ApiModule> all = new ArrayList<>(modules.apply(store, audit));
        all.add(new AuditRoutes(log));
        Set<String> permissions = new HashSet<>();
        all.forEach(m -> m.routes().forEach(r -> permissions.addAll(r.permissions())));
        Map<String, ApiPrincipal> tokens = Map.of(
                ApiTokenHash.hash(ADMIN), new ApiPrincipal(1, "admin", permissions),
                ApiTokenHash.hash(NOBODY), new ApiPrincipal(2, "nobody", Set.of()));
        AdminApi api = new AdminApi(new ApiAuthenticator(h -> Optional.ofNullable(tokens.get(h))), all);
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
        });
        api.register(app);
        app.start("127.0.0.1", 0);
        return new ApiFixture(app, api, log, store);
    }

    public ApiTestClient client() {
        return client;
    }

    public AdminApi api() {
        return api;
    }

    public AuditLog auditLog() {
        return auditLog;
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        app.stop();
    }
}
