package dev.orchardmdm.protocol.schema;

import dev.orchardmdm.protocol.Command;
import dev.orchardmdm.protocol.EnrollmentId;
import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Checks documents against Apple's schema: the RequestType / MessageType / PayloadType exists, required keys are
 * present, values have the right type, enumerated values ({@code rangelist}), numeric ranges, repetitions and formats
 * hold. Unknown keys are warnings. Thread-safe.
 *
 * <p>Requirements are per platform: a key Apple marks required but not available on the device's OS (or OS version,
 * or with a user enrollment) is not required of it. Check-ins are validated against the platform the message itself
 * names ({@code ProductName}, {@code Model}, {@code OSVersion}, see {@link DeviceContext#fromMessage}); when the
 * platform is unknown, a required key that only some platforms send is a warning, not an error.
 *
 * <p>Command responses ({@link #validateResponse}) are checked leniently, because real devices deviate from Apple's
 * schema (a macOS DeviceInformation reports {@code OSUpdateSettings.PreviousScanResult} as an integer where the
 * schema says string): a scalar of another type, a value outside the listed ones, a missing required key are warnings
 * that name the deviation; only a wrong structure (a dictionary or array where the schema has another type) is an
 * error.
 *
 * <pre>{@code
 * SchemaValidator v = new SchemaValidator(SchemaCatalog.bundled());
 * ValidationResult r = v.validate(Commands.eraseDevice().pin("123456").build());
 * ValidationResult fit = v.checkApplicable(command, new DeviceContext("iOS", true, false, false));
 * ValidationResult checkin = v.validateCheckin(message);              // platform from the message
 * ValidationResult result = v.validateResponse("DeviceInformation", report.raw());
 * }</pre>
 */
public final class SchemaValidator {
    /** Check-in identity keys Apple marks required although only one form is ever sent. */
    private static final Set<String> CHECKIN_IDENTITY_KEYS = Set.of("UDID", "EnrollmentID", "UserID",
            "EnrollmentUserID", "UserLongName", "UserShortName", "NotOnConsole");
    /** Keys of every command report, not part of a command's response keys. */
    private static final List<String> RESPONSE_ENVELOPE_KEYS = List.of("Status", "CommandUUID", "UDID",
            "EnrollmentID", "EnrollmentUserID", "UserID", "UserLongName", "UserShortName", "NotOnConsole",
            "ErrorChain", "RequestType");
    private static final List<String> RESPONSE_STATUSES = List.of("Acknowledged", "Error", "CommandFormatError",
            "Idle", "NotNow");

    private final SchemaCatalog catalog;
    private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();

    public SchemaValidator(SchemaCatalog catalog) {
        this.catalog = catalog;
    }

    public SchemaCatalog catalog() {
        return catalog;
    }

    /** Validates a command (its Command dictionary). */
    public ValidationResult validate(Command command) {
        return validateCommandDict(command.commandDict());
    }

    /** Validates a Command dictionary ({@code RequestType} and the other keys). */
    public ValidationResult validateCommandDict(PlistDict commandDict) {
        Collector c = new Collector(false, Optional.empty());
        Object rt = commandDict.get("RequestType");
        if (!(rt instanceof String requestType)) {
            c.error("Command.RequestType", "missing or not a string");
            return c.result();
        }
        Optional<SchemaDocument> doc = catalog.command(requestType);
        if (doc.isEmpty()) {
            c.error("Command.RequestType", "unknown RequestType " + PlistDict.printable(requestType));
            return c.result();
        }
        validateDict(commandDict.without("RequestType"), doc.get().payloadKeys(), "Command", c, Set.of());
        return c.result();
    }

    /**
     * Validates a check-in message (identity keys: at least one device identifier, see {@link EnrollmentId}) against
     * the platform, OS version and enrollment type the message names ({@link DeviceContext#fromMessage}).
     */
    public ValidationResult validateCheckin(PlistDict message) {
        return validateCheckin(message, DeviceContext.fromMessage(message));
    }

    /** Validates a check-in message for a known device (e.g. the platform recorded at enrollment). */
    public ValidationResult validateCheckin(PlistDict message, DeviceContext target) {
        return validateCheckin(message, Optional.of(target));
    }

    private ValidationResult validateCheckin(PlistDict message, Optional<DeviceContext> target) {
        Collector c = new Collector(false, target.map(SchemaValidator::normalized));
        Object mt = message.get("MessageType");
        if (!(mt instanceof String messageType)) {
            c.error("MessageType", "missing or not a string");
            return c.result();
        }
        Optional<SchemaDocument> doc = catalog.checkin(messageType);
        if (doc.isEmpty()) {
            c.error("MessageType", "unknown MessageType " + PlistDict.printable(messageType));
            return c.result();
        }
        if (message.has("UDID") || message.has("EnrollmentID")) {
            try {
                EnrollmentId.from(message);
            } catch (InvalidMessageException e) {
                c.error("UDID", e.getMessage());
            }
        }
        PlistDict toCheck = message;
        for (String identity : CHECKIN_IDENTITY_KEYS) {
            if (doc.get().key(identity).isEmpty()) {
                toCheck = toCheck.without(identity); // the schema omits it, devices send it anyway
            }
        }
        validateDict(toCheck, doc.get().payloadKeys(), "", c, CHECKIN_IDENTITY_KEYS);
        return c.result();
    }

    /**
     * Validates a command response (the whole report a device sends to the connect endpoint) against the response
     * keys of {@code requestType}, leniently (see the class description). Only an {@code Acknowledged} report carries
     * response keys; the others are checked for their envelope only. The platform is unknown: keys Apple marks
     * required on some platforms only are not required.
     */
    public ValidationResult validateResponse(String requestType, PlistDict report) {
        return validateResponse(requestType, report, Optional.empty());
    }

    /** Validates a command response of a known device: keys its OS (version) does not have are not required. */
    public ValidationResult validateResponse(String requestType, PlistDict report, DeviceContext target) {
        return validateResponse(requestType, report, Optional.of(target));
    }

    private ValidationResult validateResponse(String requestType, PlistDict report, Optional<DeviceContext> target) {
        Collector c = new Collector(true, target.map(SchemaValidator::normalized));
        Optional<SchemaDocument> doc = catalog.command(requestType);
        if (doc.isEmpty()) {
            c.error("RequestType", "unknown RequestType " + PlistDict.printable(requestType));
            return c.result();
        }
        Object status = report.get("Status");
        if (!(status instanceof String s) || !RESPONSE_STATUSES.contains(s)) {
            c.error("Status", "missing or not one of " + RESPONSE_STATUSES);
            return c.result();
        }
        if (report.has("CommandUUID") && !(report.get("CommandUUID") instanceof String)) {
            c.error("CommandUUID", "expected <string>, found <" + PlistDict.typeName(report.get("CommandUUID")) + ">");
        }
        if (!"Acknowledged".equals(status)) {
            return c.result();
        }
        PlistDict body = report;
        for (String envelope : RESPONSE_ENVELOPE_KEYS) {
            if (doc.get().responseKey(envelope).isEmpty()) {
                body = body.without(envelope);
            }
        }
        validateDict(body, doc.get().responseKeys(), "", c, Set.of());
        return c.result();
    }

    /** Validates one profile payload (its PayloadType's keys plus the common payload keys). */
    public ValidationResult validateProfilePayload(PlistDict payload) {
        Collector c = new Collector(false, Optional.empty());
        validatePayload(payload, "", c);
        return c.result();
    }

    /** Validates a whole configuration profile: the top level, then every payload of PayloadContent. */
    public ValidationResult validateProfile(PlistDict profile) {
        Collector c = new Collector(false, Optional.empty());
        SchemaDocument top = catalog.profilePayload("TopLevel").orElseThrow();
        validateDict(profile, top.payloadKeys(), "", c, Set.of());
        Object content = profile.get("PayloadContent");
        if (content instanceof List<?> payloads) {
            for (int i = 0; i < payloads.size(); i++) {
                if (payloads.get(i) instanceof PlistDict p) {
                    validatePayload(p, "PayloadContent[" + i + "]", c);
                }
            }
        }
        return c.result();
    }

    private void validatePayload(PlistDict payload, String path, Collector c) {
        Object type = payload.get("PayloadType");
        String prefix = path.isEmpty() ? "" : path + ".";
        if (!(type instanceof String payloadType)) {
            c.error(prefix + "PayloadType", "missing or not a string");
            return;
        }
        Optional<SchemaDocument> doc = catalog.profilePayload(payloadType);
        if (doc.isEmpty()) {
            c.error(prefix + "PayloadType", "no schema for PayloadType " + PlistDict.printable(payloadType));
            return;
        }
        List<SchemaKey> keys = new ArrayList<>(doc.get().payloadKeys());
        Set<String> own = new java.util.HashSet<>();
        keys.forEach(k -> own.add(k.name()));
        for (SchemaKey k : catalog.profilePayload("CommonPayloadKeys").orElseThrow().payloadKeys()) {
            if (!own.contains(k.name())) {
                keys.add(k);
            }
        }
        validateDict(payload, keys, path, c, Set.of());
    }

    /** Validates a value against any schema document's payload keys (declarations, status items, DDM protocol). */
    public ValidationResult validateDocument(SchemaDocument doc, PlistDict value) {
        Collector c = new Collector(false, Optional.empty());
        validateDict(value, doc.payloadKeys(), "", c, Set.of());
        return c.result();
    }

    /**
     * Validates a declaration envelope ({@code Type, Identifier, ServerToken, Payload}) and its payload against the
     * schema of its Type; an unknown Type is an error.
     */
    public ValidationResult validateDeclaration(PlistDict declaration) {
        Collector c = new Collector(false, Optional.empty());
        SchemaDocument base = catalog.all().stream()
                .filter(d -> d.file().equals("declarative/declarations/declarationbase.yaml")).findFirst()
                .orElseThrow();
        validateDict(declaration, base.payloadKeys(), "", c, Set.of());
        if (declaration.get("Type") instanceof String type && declaration.get("Payload") instanceof PlistDict p) {
            Optional<SchemaDocument> doc = catalog.declaration(type);
            if (doc.isEmpty()) {
                c.error("Type", "unknown declaration type " + PlistDict.printable(type));
            } else {
                validateDict(p, doc.get().payloadKeys(), "Payload", c, Set.of());
            }
        }
        return c.result();
    }

    /** Validates one status item value (e.g. {@code device.operating-system.version}); unknown items warn. */
    public ValidationResult validateStatusItem(String statusItem, Object value) {
        Collector c = new Collector(false, Optional.empty());
        Optional<SchemaDocument> doc = catalog.statusItem(statusItem);
        if (doc.isEmpty()) {
            c.warn(statusItem, "unknown status item");
        } else {
            validateDict(PlistDict.of(statusItem, value), doc.get().payloadKeys(), "StatusItems", c, Set.of());
        }
        return c.result();
    }

    /**
     * Checks that a command suits a target: the command exists on the OS, supervision, user-enrollment and channel
     * requirements hold (errors); keys the OS does not support or a user enrollment forbids are warnings.
     */
    public ValidationResult checkApplicable(Command command, DeviceContext context) {
        DeviceContext target = normalized(context);
        Collector c = new Collector(false, Optional.empty());
        Optional<SchemaDocument> doc = catalog.command(command.requestType());
        if (doc.isEmpty()) {
            c.error("Command.RequestType", "unknown RequestType " + PlistDict.printable(command.requestType()));
            return c.result();
        }
        Optional<OsRequirements> req = doc.get().requirements(target.os());
        if (req.isEmpty() || !req.get().isAvailable()) {
            c.error("Command", command.requestType() + " is not available on " + target.os());
            return c.result();
        }
        OsRequirements r = req.get();
        if (r.requiresSupervision() && !target.supervised()) {
            c.error("Command", command.requestType() + " requires a supervised device on " + target.os());
        }
        if (target.userEnrollment() && r.forbiddenForUserEnrollment()) {
            c.error("Command", command.requestType() + " is not allowed with a user enrollment");
        }
        if (target.userChannel() && r.userChannel().filter(b -> !b).isPresent()) {
            c.error("Command", command.requestType() + " is not available on the user channel");
        }
        if (!target.userChannel() && r.deviceChannel().filter(b -> !b).isPresent()) {
            c.error("Command", command.requestType() + " is not available on the device channel");
        }
        for (String key : command.payload().keys()) {
            Optional<SchemaKey> k = doc.get().key(key);
            if (k.isEmpty()) {
                continue;
            }
            Optional<OsRequirements> kr = k.get().requirements(target.os());
            if (kr.isEmpty() || !kr.get().isAvailable()) {
                c.warn("Command." + key, "not supported on " + target.os() + " (available on "
                        + String.join(", ", k.get().availableOn()) + ")");
            } else if (target.userEnrollment() && kr.get().forbiddenForUserEnrollment()) {
                c.warn("Command." + key, "not allowed with a user enrollment");
            } else if (kr.get().requiresSupervision() && !target.supervised()) {
                c.warn("Command." + key, "needs a supervised device");
            }
        }
        return c.result();
    }

    // ------------------------------------------------------------------ engine

    private void validateDict(PlistDict value, List<SchemaKey> keys, String path, Collector c,
                              Set<String> relaxedRequired) {
        if (keys.isEmpty()) {
            return;
        }
        Map<String, SchemaKey> named = new HashMap<>();
        SchemaKey wildcard = null;
        for (SchemaKey k : keys) {
            if (k.isWildcard()) {
                wildcard = k;
            } else {
                named.put(k.name(), k);
            }
        }
        for (SchemaKey k : keys) {
            if (!k.isWildcard() && k.required() && !value.has(k.name()) && !relaxedRequired.contains(k.name())) {
                missingRequired(k, join(path, k.name()), c);
            }
        }
        for (Map.Entry<String, Object> e : value.asMap().entrySet()) {
            SchemaKey k = named.get(e.getKey());
            if (k == null) {
                k = wildcard;
            }
            if (k == null) {
                c.warn(join(path, e.getKey()), "unknown key");
            } else {
                SchemaKey key = k;
                c.target.flatMap(t -> unavailableReason(key, t)).ifPresent(reason ->
                        c.warn(join(path, e.getKey()), "sent although " + reason));
                validateValue(e.getValue(), k, join(path, e.getKey()), c);
            }
        }
    }

    private static String join(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    private void validateValue(Object v, SchemaKey k, String path, Collector c) {
        if (!k.type().accepts(v)) {
            boolean structural = k.type() == ValueType.DICTIONARY || k.type() == ValueType.ARRAY
                    || v instanceof PlistDict || v instanceof List<?>;
            if (c.lenient && !structural) {
                c.warn(path, "deviation: the schema says " + k.type().notation() + ", the device sent <"
                        + PlistDict.typeName(v) + "> " + shown(v));
            } else {
                c.error(path, "expected " + k.type().notation() + ", found <" + PlistDict.typeName(v) + ">");
            }
            return;
        }
        switch (k.type()) {
            case STRING -> {
                checkRangeList(v, k, path, c);
                // a scalar with subkeys: each subkey names a possible value (DeviceInformation Queries)
                if (!k.subkeys().isEmpty() && k.subkeys().stream().noneMatch(s -> s.name().equals(v))) {
                    c.warn(path, "value " + PlistDict.printable((String) v) + " not in the schema");
                }
                k.format().ifPresent(f -> {
                    if (!patterns.computeIfAbsent(f, Pattern::compile).matcher((String) v).find()) {
                        c.problem(path, "does not match the format " + f);
                    }
                });
            }
            case INTEGER, REAL -> {
                checkRangeList(v, k, path, c);
                double d = ((Number) v).doubleValue();
                if (k.min().filter(min -> d < min).isPresent() || k.max().filter(max -> d > max).isPresent()) {
                    c.problem(path, "value " + v + " out of range [" + k.min().map(String::valueOf).orElse("")
                            + ", " + k.max().map(String::valueOf).orElse("") + "]");
                }
            }
            case ARRAY -> validateArray((List<?>) v, k, path, c);
            case DICTIONARY -> validateDict((PlistDict) v, k.subkeys(), path, c, Set.of());
            default -> {
                // boolean, date, data, any: the type check is all there is
            }
        }
    }

    private static void checkRangeList(Object v, SchemaKey k, String path, Collector c) {
        if (k.rangeList().isEmpty()) {
            return;
        }
        for (Object allowed : k.rangeList()) {
            if (sameValue(allowed, v)) {
                return;
            }
        }
        c.problem(path, "value " + (v instanceof String s ? PlistDict.printable(s) : v) + " not in " + k.rangeList());
    }

    private static boolean sameValue(Object schemaValue, Object v) {
        if (schemaValue instanceof Number n && v instanceof Number m) {
            return n.doubleValue() == m.doubleValue();
        }
        return String.valueOf(schemaValue).equals(String.valueOf(v));
    }

    private void validateArray(List<?> list, SchemaKey k, String path, Collector c) {
        if (k.repetitionMin().filter(min -> list.size() < min).isPresent()
                || k.repetitionMax().filter(max -> list.size() > max).isPresent()) {
            c.problem(path, list.size() + " elements, allowed " + k.repetitionMin().orElse(0) + ".."
                    + k.repetitionMax().map(String::valueOf).orElse(""));
        }
        List<SchemaKey> subs = k.subkeys();
        for (int i = 0; i < list.size(); i++) {
            String p = path + "[" + i + "]";
            Object el = list.get(i);
            if (subs.size() == 1) {
                validateValue(el, subs.get(0), p, c);
            } else if (subs.size() > 1) {
                validateAlternative(el, subs, p, c);
            }
        }
    }

    /**
     * Arrays whose subkeys are alternatives: dictionaries told apart by a key with one allowed value (Settings'
     * {@code Item}), or scalar values named by the subkeys (DeviceInformation {@code Queries}).
     */
    private void validateAlternative(Object el, List<SchemaKey> alternatives, String path, Collector c) {
        SchemaKey first = alternatives.get(0);
        if (first.type() != ValueType.DICTIONARY) {
            if (!first.type().accepts(el)) {
                c.error(path, "expected " + first.type().notation() + ", found <" + PlistDict.typeName(el) + ">");
            } else if (alternatives.stream().noneMatch(a -> a.name().equals(String.valueOf(el)))) {
                c.warn(path, "value " + PlistDict.printable(String.valueOf(el)) + " not in the schema");
            }
            return;
        }
        if (!(el instanceof PlistDict dict)) {
            c.error(path, "expected <dictionary>, found <" + PlistDict.typeName(el) + ">");
            return;
        }
        for (SchemaKey alt : alternatives) {
            Optional<SchemaKey> discriminator = alt.subkeys().stream()
                    .filter(s -> s.required() && s.rangeList().size() == 1).findFirst();
            if (discriminator.isPresent() && sameValue(discriminator.get().rangeList().get(0),
                    dict.get(discriminator.get().name()))) {
                validateDict(dict, alt.subkeys(), path, c, Set.of());
                return;
            }
        }
        c.error(path, "matches none of " + alternatives.stream().map(SchemaKey::name).toList());
    }

    /** The schema's OS name for a context given with a platform name (iPadOS is iOS in the schema). */
    private static DeviceContext normalized(DeviceContext target) {
        return DeviceContext.osOfProduct(target.os()).filter(os -> !os.equals(target.os()))
                .map(os -> new DeviceContext(os, target.supervised(), target.userEnrollment(), target.userChannel(),
                        target.osVersion()))
                .orElse(target);
    }

    /** A required key is missing: an error where the device should have it, nothing where it cannot, else a warning. */
    private static void missingRequired(SchemaKey k, String path, Collector c) {
        if (c.target.isPresent()) {
            if (unavailableReason(k, c.target.get()).isPresent()) {
                return;
            }
            c.problem(path, "missing required key");
            return;
        }
        List<String> on = k.availableOn();
        if (on.size() < k.supportedOS().size()) {
            c.warn(path, "missing; required on " + String.join(", ", on) + " only, and the platform is unknown");
        } else {
            c.problem(path, "missing required key");
        }
    }

    /** Why a key does not apply to the target (not on its OS, not yet or no longer, forbidden), or empty. */
    private static Optional<String> unavailableReason(SchemaKey k, DeviceContext t) {
        if (k.supportedOS().isEmpty()) {
            return Optional.empty();
        }
        Optional<OsRequirements> r = k.requirements(t.os());
        if (r.isEmpty() || !r.get().isAvailable()) {
            return Optional.of("not available on " + t.os());
        }
        if (t.osVersion().isPresent()) {
            String version = t.osVersion().get();
            Optional<String> introduced = r.get().introduced().filter(v -> v.matches("[0-9.]+"));
            if (introduced.isPresent() && DeviceContext.compareVersions(version, introduced.get()) < 0) {
                return Optional.of("introduced in " + t.os() + " " + introduced.get() + " (device: " + version + ")");
            }
            Optional<String> removed = r.get().removed().filter(v -> v.matches("[0-9.]+"));
            if (removed.isPresent() && DeviceContext.compareVersions(version, removed.get()) >= 0) {
                return Optional.of("removed in " + t.os() + " " + removed.get() + " (device: " + version + ")");
            }
        }
        if (t.userEnrollment() && r.get().forbiddenForUserEnrollment()) {
            return Optional.of("not allowed with a user enrollment");
        }
        return Optional.empty();
    }

    private static String shown(Object v) {
        String s = v instanceof String str ? PlistDict.printable(str) : String.valueOf(v);
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private static final class Collector {
        private final List<ValidationResult.Issue> errors = new ArrayList<>();
        private final List<ValidationResult.Issue> warnings = new ArrayList<>();
        /** Responses: deviations of value are warnings, only structure is an error. */
        private final boolean lenient;
        private final Optional<DeviceContext> target;

        Collector(boolean lenient, Optional<DeviceContext> target) {
            this.lenient = lenient;
            this.target = target;
        }

        /** An error, or in a lenient check a warning naming the deviation. */
        void problem(String path, String message) {
            if (lenient) {
                warn(path, "deviation: " + message);
            } else {
                error(path, message);
            }
        }

        void error(String path, String message) {
            errors.add(new ValidationResult.Issue(path, message));
        }

        void warn(String path, String message) {
            warnings.add(new ValidationResult.Issue(path, message));
        }

        ValidationResult result() {
            return new ValidationResult(errors, warnings);
        }
    }
}
