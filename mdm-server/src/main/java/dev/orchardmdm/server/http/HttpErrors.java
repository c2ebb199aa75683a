package dev.orchardmdm.server.http;

import dev.orchardmdm.server.engine.MdmException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where the engine's checked exceptions become HTTP answers on the device-facing
 * endpoints:
 * <ul>
 *   <li>{@link MdmException.BadRequest} → 400 (malformed input, nothing changed);</li>
 *   <li>{@link MdmException.Forbidden} → 403 (identity checks failed — never 401, which would make
 *       a device unenroll);</li>
 *   <li>{@link MdmException.Blocked} → 401 {@code Blocked} (on purpose: a blocked device drops its
 *       enrollment);</li>
 *   <li>{@link MdmException.NotFound} → 404;</li>
 *   <li>{@link MdmException.SoftwareUpdateRequired} → 403 with Apple's JSON
 *       {@code {"code": "com.apple.softwareupdate.required", "details": {...}}};</li>
 *   <li>anything else → 500 with no details (logged).</li>
 * </ul>
 * Bodies are plain text reasons. Paths and messages go through {@link Redaction} before they are
 * logged or answered: enrollment secrets travel in paths and session secrets in certificate
 * subjects, which exception messages may quote.
 */
public final class HttpErrors {
    private static final Logger LOG = LoggerFactory.getLogger(HttpErrors.class);

    private HttpErrors() {
    }

    /** Registers the exception handlers on {@code app}. */
    public static void register(Javalin app) {
        app.exception(MdmException.BadRequest.class, (e, ctx) -> reject(ctx, 400, e));
        app.exception(MdmException.Forbidden.class, (e, ctx) -> reject(ctx, 403, e));
        app.exception(MdmException.Blocked.class, (e, ctx) -> reject(ctx, 401, e));
        app.exception(MdmException.NotFound.class, (e, ctx) -> reject(ctx, 404, e));
        app.exception(MdmException.SoftwareUpdateRequired.class, (e, ctx) -> {
            LOG.info("{} {} -> 403 software update required ({})", ctx.method(), path(ctx), e.osVersion());
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("OSVersion", e.osVersion());
            if (e.buildVersion() != null) {
                details.put("BuildVersion", e.buildVersion());
            }
            ctx.status(403).json(Map.of("code", "com.apple.softwareupdate.required", "details", details));
        });
        app.exception(HttpResponseException.class, (e, ctx) -> {
            String message = Redaction.text(e.getMessage());
            LOG.info("{} {} -> {} {}", ctx.method(), path(ctx), e.getStatus(), message);
            ctx.status(e.getStatus()).contentType("text/plain").result(message == null ? "" : message);
        });
        app.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} -> 500", ctx.method(), path(ctx), Redaction.throwable(e));
            ctx.status(500).contentType("text/plain").result("Internal server error");
        });
    }

    private static void reject(Context ctx, int status, Exception e) {
        String message = Redaction.text(e.getMessage());
        LOG.info("{} {} -> {} {}", ctx.method(), path(ctx), status, message);
        ctx.status(status).contentType("text/plain").result(message == null ? "" : message);
    }

    /** The request path with its secrets redacted (never the query string). */
    static String path(Context ctx) {
        return Redaction.text(ctx.path());
    }
}
