package dev.orchardmdm.protocol;

import java.util.HexFormat;
import java.util.Optional;

/**
 * A message a device sends to the check-in endpoint. Decoding is two-pass: {@code MessageType} first, then the
 * concrete record. Every record keeps the full {@link #raw()} dictionary beside its decoded fields, so keys this
 * library does not model still flow through.
 *
 * <pre>{@code
 * CheckinMessage msg = CheckinMessage.parse(body);
 * if (msg instanceof CheckinMessage.TokenUpdate t) {
 *     store.savePushToken(msg.id().id(), t.tokenHex(), t.pushMagic());
 * } else if (msg instanceof CheckinMessage.Authenticate a) {
 *     ...
 * }
 * }</pre>
 */
public sealed interface CheckinMessage {

    /** The enrollment identity (device or user channel) the message is for. */
    EnrollmentId id();

    /** The whole message as received. */
    PlistDict raw();

    /** The {@code MessageType} value. */
    default String messageType() {
        return raw().get("MessageType").toString();
    }

    /** Parses a check-in body with {@link PlistReader#withDefaults()}. */
    static CheckinMessage parse(byte[] body) throws ProtocolException {
        return parse(body, PlistReader.withDefaults());
    }

    /** Parses a check-in body with the given reader (limits). */
    static CheckinMessage parse(byte[] body, PlistReader reader) throws ProtocolException {
        return from(reader.readDictionary(body));
    }

    /**
     * Decodes an already-read dictionary.
     *
     * @throws UnknownMessageTypeException for a MessageType this library does not know
     * @throws InvalidMessageException     for missing or mistyped keys
     */
    static CheckinMessage from(PlistDict m) throws InvalidMessageException {
        String type = m.requireString("MessageType");
        return switch (type) {
            case "Authenticate" -> new Authenticate(EnrollmentId.from(checkedChallenge(m)), m.requireString("Topic"),
                    m.string("DeviceName"), m.string("Model"), m.string("ModelName"), m.string("ProductName"),
                    m.string("SerialNumber"), m.string("OSVersion"), m.string("BuildVersion"), m.string("IMEI"),
                    m.string("MEID"), m);
            case "TokenUpdate" -> new TokenUpdate(EnrollmentId.from(m), m.requireString("Topic"),
                    PlistData.of(m.requireData("Token")), m.requireString("PushMagic"),
                    m.data("UnlockToken").map(PlistData::of), m.bool("AwaitingConfiguration"),
                    m.bool("NotOnConsole"), m.string("UserShortName"), m.string("UserLongName"), m);
            case "CheckOut" -> new CheckOut(EnrollmentId.from(m), m.string("Topic"), m);
            case "UserAuthenticate" -> new UserAuthenticate(EnrollmentId.from(m), m.string("DigestResponse"),
                    m.string("UserShortName"), m.string("UserLongName"), m);
            case "SetBootstrapToken" -> new SetBootstrapToken(EnrollmentId.from(m),
                    m.data("BootstrapToken").map(PlistData::of), m.bool("AwaitingConfiguration"), m);
            case "GetBootstrapToken" -> new GetBootstrapToken(EnrollmentId.from(m),
                    m.bool("AwaitingConfiguration"), m);
            case "DeclarativeManagement" -> new DeclarativeManagement(EnrollmentId.from(m),
                    m.requireString("Endpoint"), m.data("Data").map(PlistData::of), m.string("UserShortName"),
                    m.string("UserLongName"), m);
            case "GetToken" -> new GetToken(EnrollmentId.from(m), m.requireString("TokenServiceType"),
                    m.dict("TokenParameters").orElse(PlistDict.empty()), m.string("UserShortName"),
                    m.string("UserLongName"), m);
            case "ReturnToService" -> new ReturnToService(EnrollmentId.from(m), m);
            default -> throw new UnknownMessageTypeException(type);
        };
    }

    /** Checks that an Authenticate's {@code Challenge}, when present, is data (macOS sends it; iOS does not). */
    private static PlistDict checkedChallenge(PlistDict m) throws InvalidMessageException {
        m.data("Challenge");
        return m;
    }

    /**
     * The device authenticates (first message of an enrollment). {@link #productName()} (or {@link #model()}) names
     * the hardware, hence the platform: see {@link dev.orchardmdm.protocol.schema.DeviceContext#fromMessage}.
     */
    record Authenticate(EnrollmentId id, String topic, Optional<String> deviceName, Optional<String> model,
                        Optional<String> modelName, Optional<String> productName, Optional<String> serialNumber,
                        Optional<String> osVersion, Optional<String> buildVersion, Optional<String> imei,
                        Optional<String> meid, PlistDict raw) implements CheckinMessage {
        /**
         * The {@code Challenge} a macOS device echoes from the enrollment profile's MDM payload (absent on iOS):
         * compare it with the one issued before trusting the enrollment. Checked to be data when decoded.
         */
        public Optional<PlistData> challenge() {
            return raw.get("Challenge") instanceof PlistData d ? Optional.of(d) : Optional.empty();
        }

        /** True when the device echoed {@code expected} as its Challenge; constant time, false when absent. */
        public boolean challengeMatches(byte[] expected) {
            return challenge().map(c -> ConstantTime.equal(expected, c.bytes())).orElse(false);
        }

        /** The schema OS ({@code iOS}, {@code macOS}, ...) of the product or model named, if known. */
        public Optional<String> os() {
            return dev.orchardmdm.protocol.schema.DeviceContext.fromMessage(raw)
                    .map(dev.orchardmdm.protocol.schema.DeviceContext::os);
        }
    }

    /** The device (or user) reports its push token; also carries the unlock token and awaiting-configuration. */
    record TokenUpdate(EnrollmentId id, String topic, PlistData token, String pushMagic,
                       Optional<PlistData> unlockToken, Optional<Boolean> awaitingConfiguration,
                       Optional<Boolean> notOnConsole, Optional<String> userShortName,
                       Optional<String> userLongName, PlistDict raw) implements CheckinMessage {
        /** The APNs device token as lower-case hex, the form APNs expects in its URL. */
        public String tokenHex() {
            return HexFormat.of().formatHex(token.unsafeBytes());
        }

        @Override
        public String toString() {
            return "TokenUpdate[id=" + id + ", topic=" + topic + ", token=" + token + "]";
        }
    }

    /** The MDM profile is being removed. */
    record CheckOut(EnrollmentId id, Optional<String> topic, PlistDict raw) implements CheckinMessage {
    }

    /** A macOS network user logs in and asks to be managed (user channel). */
    record UserAuthenticate(EnrollmentId id, Optional<String> digestResponse, Optional<String> userShortName,
                            Optional<String> userLongName, PlistDict raw) implements CheckinMessage {
        /** True for the first message of the exchange (no DigestResponse yet). */
        public boolean isDigestRequest() {
            return digestResponse.isEmpty();
        }
    }

    /** The device escrows its bootstrap token (absent token: clear it). */
    record SetBootstrapToken(EnrollmentId id, Optional<PlistData> bootstrapToken,
                             Optional<Boolean> awaitingConfiguration, PlistDict raw) implements CheckinMessage {
        @Override
        public String toString() {
            return "SetBootstrapToken[id=" + id + ", token=" + bootstrapToken + "]";
        }
    }

    /** The device asks for its escrowed bootstrap token; answer with {@link CheckinResponses#bootstrapToken}. */
    record GetBootstrapToken(EnrollmentId id, Optional<Boolean> awaitingConfiguration, PlistDict raw)
            implements CheckinMessage {
    }

    /**
     * A declarative-management request. {@code endpoint} is {@code tokens}, {@code declaration-items},
     * {@code status} or {@code declaration/<type>/<identifier>}; {@code data} is the JSON body (status reports).
     */
    record DeclarativeManagement(EnrollmentId id, String endpoint, Optional<PlistData> data,
                                 Optional<String> userShortName, Optional<String> userLongName, PlistDict raw)
            implements CheckinMessage {
    }

    /** The device asks for a token of a service ({@code com.apple.maid}, {@code com.apple.watch.pairing}). */
    record GetToken(EnrollmentId id, String tokenServiceType, PlistDict tokenParameters,
                    Optional<String> userShortName, Optional<String> userLongName, PlistDict raw)
            implements CheckinMessage {
    }

    /**
     * The device asks for its Return to Service configuration; answer with
     * {@link CheckinResponses.ReturnToServiceConfig#toPlist()}.
     */
    record ReturnToService(EnrollmentId id, PlistDict raw) implements CheckinMessage {
    }
}
