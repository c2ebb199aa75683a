package dev.orchardmdm.server;

import dev.orchardmdm.server.api.AdminRouteModule;
import dev.orchardmdm.server.http.DeviceRoutes;
import dev.orchardmdm.server.http.EnrollmentRoutes;
import dev.orchardmdm.server.http.RouteModule;
import java.util.List;

/**
 * The route modules of the server, composed in this one place.
 *
 * <p>The admin REST API (issue 7, package {@code dev.orchardmdm.server.api}) plugs in by adding
 * its module to {@link #adminModules()}; nothing else in the server needs to change.
 */
public final class RouteModules {
    private RouteModules() {
    }

    /** The device-facing endpoints under {@code /public/mdm/}. */
    public static List<RouteModule> deviceModules() {
        return List.of(new DeviceRoutes(), new EnrollmentRoutes());
    }

    /** The admin API modules (under {@code /api/}). */
    public static List<RouteModule> adminModules() {
        return List.of(new AdminRouteModule());
    }

    /** Every module, device endpoints first. */
    public static List<RouteModule> all() {
        return java.util.stream.Stream.concat(deviceModules().stream(), adminModules().stream()).toList();
    }
}
