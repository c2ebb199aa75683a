package dev.orchardmdm.server.api;

import dev.orchardmdm.server.api.audit.AuditRoutes;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import io.javalin.Javalin;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiFunction;

/**
 * A running admin API over a real store for tests, with two tokens made by mdm-store's token
 * repository: {@link #admin()} holds every permission of the routes, {@link #nobody()} none.
 */
public final class ApiFixture implements AutoCloseable {

    private final Javalin app;
    private final AdminApi api;
    private final ApiTestClient client;
    private final Store store;
    private final String admin;
    private final String nobody;

    private ApiFixture(Javalin app, AdminApi api, Store store, String admin, String nobody) {
        this.app = app;
        this.api = api;
        this.store = store;
        this.admin = admin;
        this.nobody = nobody;
        this.client = new ApiTestClient("http://127.0.0.1:" + app.port());
    }

    /** Starts the API with the modules built by {@code modules} over {@code store}, plus the audit events. */
    public static ApiFixture start(Store store, BiFunction<Store, ApiAudit, List<ApiModule>> modules) {
        ApiAudit audit = new ApiAudit(store.auditLog());
        List<ApiModule> all = new ArrayList<>(modules.apply(store, audit));
        all.add(new AuditRoutes(store.auditLog()));
        Set<String> permissions = new HashSet<>();
        all.forEach(m -> m.routes().forEach(r -> permissions.addAll(r.permissions())));
        String admin;
        String nobody;
        try {
            admin = store.apiTokens().create("admin", permissions, null).secret();
            nobody = store.apiTokens().create("nobody", Set.of(), null).secret();
        } catch (StoreException e) {
            throw new IllegalStateException(e);
        }
        AdminApi api = new AdminApi(new ApiAuthenticator(AdminApiFactory.tokenLookup(store.apiTokens())), all);
        Javalin app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.startupWatcherEnabled = false;
        });
        api.register(app);
        app.start("127.0.0.1", 0);
        return new ApiFixture(app, api, store, admin, nobody);
    }

    /** A token holding every permission of the routes. */
    public String admin() {
        return admin;
    }

    /** A token holding no permission. */
    public String nobody() {
        return nobody;
    }

    public ApiTestClient client() {
        return client;
    }

    public AdminApi api() {
        return api;
    }

    public Store store() {
        return store;
    }

    @Override
    public void close() {
        app.stop();
    }
}
