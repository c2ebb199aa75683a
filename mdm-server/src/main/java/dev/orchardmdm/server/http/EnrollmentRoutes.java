package dev.orchardmdm.server.http;

import dev.orchardmdm.server.ServerServices;
import dev.orchardmdm.server.engine.EnrollmentProfiles;
import io.javalin.Javalin;
import io.javalin.http.Context;

/**
 * The enrollment endpoints under {@code /public/mdm/}, one documented flow per enrollment type
 * (an MDM profile unpinned to a device is only served to admins, through the admin API):
 * <ul>
 *   <li>{@code GET ota_enrollments/<enrollment secret>/profile/}: OTA phase 1, the Profile Service;</li>
 *   <li>{@code POST ota_enroll/}: OTA phases 2 and 3;</li>
 *   <li>{@code POST dep_enroll/<enrollment secret>/}: ADE, MachineInfo in, MDM profile out.</li>
 * </ul>
 */
public final class EnrollmentRoutes implements RouteModule {
    /** Media type of configuration profiles. */
    public static final String PROFILE = "application/x-apple-aspen-config";

    @Override
    public void register(Javalin app, ServerServices services) {
        EnrollmentProfiles profiles = services.enrollmentProfiles();
        app.get("/public/mdm/ota_enrollments/{secret}/profile/", ctx -> profile(ctx,
                profiles.profileService(profiles.enrollmentBySecret(ctx.pathParam("secret"))),
                "orchard_ota_enrollment.mobileconfig"));
        app.post("/public/mdm/ota_enroll/", ctx -> profile(ctx, profiles.otaEnroll(ctx.bodyAsBytes()), null));
        app.post("/public/mdm/dep_enroll/{secret}/", ctx -> profile(ctx,
                profiles.depEnroll(ctx.pathParam("secret"), ctx.bodyAsBytes()), null));
    }

    private static void profile(Context ctx, byte[] signed, String fileName) {
        ctx.status(200).contentType(PROFILE);
        if (fileName != null) {
            ctx.header("Content-Disposition", "attachment; filename=\"" + fileName + "\"");
        }
        ctx.result(signed);
    }
}
