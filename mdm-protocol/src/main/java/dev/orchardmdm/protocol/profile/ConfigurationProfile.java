package dev.orchardmdm.protocol.profile;

import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.ProtocolException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * A configuration profile ({@code PayloadType: Configuration}). Build one with {@link #builder(String)}, or read one
 * with {@link #parse(byte[])}. {@link #toPlist()} gives the unsigned XML; sign it with mdm-crypto.
 *
 * <pre>{@code
 * ScepPayload scep = ScepPayload.forMdmIdentity(Payload.Common.of("org.example.mdm.scep", "Identity"), scepUrl,
 *         "Orchard", Subject.builder().add("CN", "device").build(), challenge);
 * MdmPayload mdm = MdmPayload.builder(Payload.Common.of("org.example.mdm.mdm", "MDM"), scep.payloadUuid(),
 *         topic, "https://mdm.example.org/public/mdm/connect/").checkInUrl(checkInUrl).build();
 * byte[] unsigned = ConfigurationProfile.builder("org.example.mdm").displayName("Enrollment")
 *         .payload(scep).payload(mdm).build().toPlist();
 * }</pre>
 */
public record ConfigurationProfile(String payloadIdentifier, String payloadUuid, Optional<String> displayName,
                                   Optional<String> organization, Optional<String> description,
                                   List<PlistDict> payloads, PlistDict dict) {

    public ConfigurationProfile {
        payloads = List.copyOf(payloads);
    }

    /** Starts a profile with this PayloadIdentifier and a new random PayloadUUID. */
    public static Builder builder(String payloadIdentifier) {
        return new Builder(payloadIdentifier);
    }

    /** The unsigned XML plist. */
    public byte[] toPlist() {
        return dict.toXml();
    }

    /** The PayloadType of every payload, in order. */
    public List<String> payloadTypes() {
        return payloads.stream().map(p -> String.valueOf(p.get("PayloadType"))).toList();
    }

    /** The first payload of a type. */
    public Optional<PlistDict> payload(String payloadType) {
        return payloads.stream().filter(p -> payloadType.equals(p.get("PayloadType"))).findFirst();
    }

    /** Reads an unsigned profile (a signed one must be unwrapped from its CMS envelope first). */
    public static ConfigurationProfile parse(byte[] plist) throws ProtocolException {
        return from(PlistReader.withDefaults().readDictionary(plist));
    }

    /** Decodes a profile dictionary. */
    public static ConfigurationProfile from(PlistDict d) throws InvalidMessageException {
        String type = d.requireString("PayloadType");
        if (!"Configuration".equals(type)) {
            throw new InvalidMessageException("not a configuration profile: PayloadType " + PlistDict.printable(type));
        }
        List<PlistDict> payloads = d.dictArray("PayloadContent");
        for (PlistDict p : payloads) {
            p.requireString("PayloadType");
            p.requireString("PayloadIdentifier");
            p.requireString("PayloadUUID");
        }
        return new ConfigurationProfile(d.requireString("PayloadIdentifier"), d.requireString("PayloadUUID"),
                d.string("PayloadDisplayName"), d.string("PayloadOrganization"), d.string("PayloadDescription"),
                payloads, d);
    }

    /** Builder of {@link ConfigurationProfile}. */
    public static final class Builder {
        private final String identifier;
        private String uuid = Payload.newUuid();
        private final PlistDict.Builder extra = PlistDict.builder();
        private final List<Payload> payloads = new ArrayList<>();

        private Builder(String identifier) {
            if (identifier == null || identifier.isBlank()) {
                throw new IllegalArgumentException("PayloadIdentifier must not be empty");
            }
            this.identifier = identifier;
        }

        public Builder uuid(String uuid) {
            this.uuid = uuid;
            return this;
        }

        public Builder displayName(String v) {
            extra.put("PayloadDisplayName", v);
            return this;
        }

        public Builder organization(String v) {
            extra.put("PayloadOrganization", v);
            return this;
        }

        public Builder description(String v) {
            extra.put("PayloadDescription", v);
            return this;
        }

        /** PayloadScope: {@code System} or {@code User} (macOS). */
        public Builder scope(String scope) {
            if (!scope.equals("System") && !scope.equals("User")) {
                throw new IllegalArgumentException("PayloadScope must be System or User");
            }
            extra.put("PayloadScope", scope);
            return this;
        }

        public Builder removalDisallowed(boolean v) {
            extra.put("PayloadRemovalDisallowed", v);
            return this;
        }

        /** Adds a payload; identifiers and UUIDs must be unique within the profile. */
        public Builder payload(Payload p) {
            payloads.add(p);
            return this;
        }

        /** The profile. @throws IllegalArgumentException for duplicate payload identifiers or UUIDs */
        public ConfigurationProfile build() {
            Set<String> ids = new HashSet<>();
            Set<String> uuids = new HashSet<>();
            uuids.add(uuid);
            List<PlistDict> content = new ArrayList<>();
            for (Payload p : payloads) {
                if (!ids.add(p.payloadIdentifier()) || !uuids.add(p.payloadUuid())) {
                    throw new IllegalArgumentException("duplicate PayloadIdentifier or PayloadUUID: "
                            + p.payloadIdentifier());
                }
                content.add(p.toDict());
            }
            PlistDict dict = PlistDict.builder().put("PayloadType", "Configuration").put("PayloadVersion", 1)
                    .put("PayloadIdentifier", identifier).put("PayloadUUID", uuid).putAll(extra.build())
                    .put("PayloadContent", content).build();
            try {
                return from(dict);
            } catch (InvalidMessageException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
