package dev.orchardmdm.server.engine;

import java.util.Optional;

/** The platform of a device, from the product or model names it reports. */
final class Platforms {
    private Platforms() {
    }

    /** {@code macOS}, {@code iOS}, {@code iPadOS}, {@code tvOS}, {@code watchOS}, {@code visionOS}, or empty. */
    static Optional<String> fromProduct(Optional<String> productName, Optional<String> model, Optional<String> modelName) {
        for (Optional<String> o : java.util.List.of(productName, model, modelName)) {
            if (o.isEmpty()) {
                continue;
            }
            String p = o.get();
            if (p.startsWith("iPhone") || p.startsWith("iPod")) {
                return Optional.of("iOS");
            }
            if (p.startsWith("iPad")) {
                return Optional.of("iPadOS");
            }
            if (p.startsWith("AppleTV") || p.startsWith("Apple TV")) {
                return Optional.of("tvOS");
            }
            if (p.startsWith("Watch")) {
                return Optional.of("watchOS");
            }
            if (p.startsWith("RealityDevice")) {
                return Optional.of("visionOS");
            }
            if (p.startsWith("Mac") || p.startsWith("iMac") || p.startsWith("VirtualMac") || p.startsWith("Xserve")) {
                return Optional.of("macOS");
            }
        }
        return Optional.empty();
    }
}
