package dev.orchardmdm.server.http;

import dev.orchardmdm.server.ServerServices;
import io.javalin.Javalin;

/**
 * A group of HTTP routes added to the server's Javalin app at start-up. The device endpoints and
 * the admin API are route modules; {@link dev.orchardmdm.server.RouteModules} lists them, in one
 * place.
 *
 * <p>A module registers its handlers (and, if it needs them, exception handlers for its own
 * exception types) on {@code app} and takes what it needs from {@code services}. It must not
 * start or stop the app.
 */
@FunctionalInterface
public interface RouteModule {

    /** Adds this module's routes to {@code app}. */
    void register(Javalin app, ServerServices services);
}
