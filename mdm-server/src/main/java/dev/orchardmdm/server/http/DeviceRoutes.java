package dev.orchardmdm.server.http;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.scep.ScepCa;
import dev.orchardmdm.crypto.scep.ScepResponse;
import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.server.ServerServices;
import dev.orchardmdm.server.engine.MdmException;
import dev.orchardmdm.server.engine.MdmRequest;
import dev.orchardmdm.server.engine.MdmResponse;
import dev.orchardmdm.server.engine.MdmService;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The device-facing MDM endpoints: {@code PUT /public/mdm/checkin/}, {@code PUT /public/mdm/connect/}
 * and the SCEP endpoint {@code /public/mdm/scep} (GET and POST). Bodies are bounded by
 * {@code server.max_body_bytes} (413 above); identity comes first, then parsing, then the engine.
 */
public final class DeviceRoutes implements RouteModule {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceRoutes.class);
    private final PlistReader reader = PlistReader.withDefaults();

    @Override
    public void register(Javalin app, ServerServices services) {
        DeviceAuthenticator authenticator = services.deviceAuthenticator();
        MdmService mdm = services.engine().service();
        app.put("/public/mdm/checkin/", ctx -> handle(ctx, authenticator, "check-in",
                body -> CheckinMessage.parse(body, reader), mdm::checkin));
        app.put("/public/mdm/connect/", ctx -> handle(ctx, authenticator, "command report",
                body -> CommandReport.parse(body, reader), mdm::connect));
        Optional<ScepCa> scep = services.scepCa();
        if (scep.isPresent()) {
            app.get("/public/mdm/scep", ctx -> scep(ctx, scep.get(), null));
            app.post("/public/mdm/scep", ctx -> scep(ctx, scep.get(), ctx.bodyAsBytes()));
        }
    }

    /** Parses a device body. */
    @FunctionalInterface
    private interface Parser<M> {
        M parse(byte[] body) throws ProtocolException;
    }

    /** Hands a parsed message to the engine. */
    @FunctionalInterface
    private interface Handler<M> {
        MdmResponse handle(MdmRequest request, M message) throws MdmException;
    }

    /** Identity first (over the raw body), then parsing, then the engine. */
    private static <M> void handle(Context ctx, DeviceAuthenticator authenticator, String what, Parser<M> parser,
                                   Handler<M> handler) throws MdmException {
        byte[] body = ctx.bodyAsBytes();
        MdmRequest request = MdmRequest.of(authenticator.authenticate(ctx, body), ctx.ip());
        M message;
        try {
            message = parser.parse(body);
        } catch (ProtocolException e) {
            throw new MdmException.BadRequest("malformed " + what + ": " + e.getMessage(), e);
        }
        write(ctx, handler.handle(request, message));
    }

    private static void scep(Context ctx, ScepCa ca, byte[] body) throws MdmException {
        ScepResponse response;
        try {
            response = ca.handle(ctx.queryParam("operation"), ctx.queryParam("message"), body);
        } catch (MalformedDataException | OversizedInputException e) {
            throw new MdmException.BadRequest("bad SCEP request: " + e.getMessage(), e);
        } catch (CryptoException e) {
            throw new MdmException.BadRequest("SCEP request refused: " + e.getMessage(), e);
        }
        if (response.failure() != null) {
            LOG.info("SCEP request refused: {}", Redaction.text(response.failure()));
        } else if (response.issued() != null) {
            LOG.info("SCEP issued a certificate to {}",
                    Redaction.text(response.issued().getSubjectX500Principal().getName()));
        }
        ctx.status(200).contentType(response.contentType()).result(response.body());
    }

    static void write(Context ctx, MdmResponse response) {
        ctx.status(response.status());
        if (response.contentType() != null) {
            ctx.contentType(response.contentType());
        }
        ctx.result(response.body());
    }
}
