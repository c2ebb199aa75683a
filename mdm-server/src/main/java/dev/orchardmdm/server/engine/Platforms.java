package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.schema.DeviceContext;
import dev.orchardmdm.store.EnrollmentSession;
import java.util.List;
import java.util.Optional;

/**
 * The platform of a device, from the product or model names it reports: known from the first message (Authenticate,
 * or the product it attested when it fetched its enrollment profile), refined by its inventory (DeviceInformation).
 */
final class Platforms {
    private Platforms() {
    }

    /**
     * {@code macOS}, {@code iOS}, {@code iPadOS}, {@code tvOS}, {@code watchOS}, {@code visionOS}, or empty: the
     * first of the names that identifies one.
     */
    static Optional<String> fromProduct(Optional<String> productName, Optional<String> model, Optional<String> modelName) {
        for (Optional<String> o : List.of(productName, model, modelName)) {
            Optional<String> platform = o.flatMap(Platforms::of);
            if (platform.isPresent()) {
                return platform;
            }
        }
        return Optional.empty();
    }

    /**
     * The platform at Authenticate: from what the message names ({@code ProductName}, {@code Model},
     * {@code ModelName}), else from the product the device attested during its enrollment (OTA phase 2, ADE
     * MachineInfo).
     */
    static Optional<String> atAuthenticate(CheckinMessage.Authenticate a, EnrollmentSession session) {
        Optional<String> named = fromProduct(a.productName(), a.model(), a.modelName());
        return named.isPresent() ? named : Optional.ofNullable(session.product()).flatMap(Platforms::of);
    }

    private static Optional<String> of(String product) {
        return DeviceContext.osOfProduct(product)
                .map(os -> os.equals("iOS") && product.strip().startsWith("iPad") ? "iPadOS" : os);
    }
}
