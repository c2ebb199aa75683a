package dev.orchardmdm.protocol.profile;

import java.util.ArrayList;
import java.util.List;

/**
 * A certificate subject in the profile form: an array of RDNs, each an array of {@code [oid-or-name, value]}
 * pairs, e.g. {@code [[["CN", "device"]], [["O", "Acme"]]]}.
 */
public record Subject(List<List<List<String>>> rdns) {
    public Subject {
        rdns = List.copyOf(rdns.stream().map(r -> List.copyOf(r.stream().map(List::copyOf).toList())).toList());
    }

    /** A builder adding one single-valued RDN at a time. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder of {@link Subject}. */
    public static final class Builder {
        private final List<List<List<String>>> rdns = new ArrayList<>();

        /** Adds an RDN such as {@code ("CN", "MDM$OTA$secret")} or {@code ("2.5.4.5", "C02XYZ")}. */
        public Builder add(String type, String value) {
            rdns.add(List.of(List.of(type, value)));
            return this;
        }

        public Subject build() {
            return new Subject(rdns);
        }
    }
}
