package dev.orchardmdm.server.http;

import dev.orchardmdm.server.ServerServices;
import io.javalin.Javalin;

/** The device-facing endpoints under {@code /public/mdm/}. */
public final class DeviceRoutes implements RouteModule {

    @Override
    public void register(Javalin app, ServerServices services) {
        app.get("/public/mdm/health/", ctx -> ctx.contentType("text/plain").result("OK"));
    }
}
