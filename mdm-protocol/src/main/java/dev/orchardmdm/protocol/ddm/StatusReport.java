package dev.orchardmdm.protocol.ddm;

import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.protocol.schema.ValidationResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A status report (the {@code status} endpoint's body). {@code StatusItems} arrive nested
 * ({@code {"device": {"operating-system": {"version": "17.1"}}}}); they are flattened into dotted status item names
 * ({@code device.operating-system.version}), stopping at the names Apple's schema defines, so dictionary-valued items
 * such as {@code management.client-capabilities} stay whole. Array items of incremental reports may carry
 * {@code "_removed": true}: see {@link #arrayEntries(String)}.
 *
 * @param fullReport {@code FullReport}: the report replaces all earlier status
 * @param items      status item name to value (plist value types, see {@link PlistDict})
 * @param errors     {@code Errors}
 * @param raw        the whole report
 */
public record StatusReport(boolean fullReport, Map<String, Object> items, List<StatusError> errors, PlistDict raw) {

    /** One reason of an error or of an invalid declaration. */
    public record Reason(String code, Optional<String> description, PlistDict details) {
        static List<Reason> list(PlistDict parent, String key) throws InvalidMessageException {
            List<Reason> out = new ArrayList<>();
            for (PlistDict r : parent.dictArray(key)) {
                out.add(new Reason(r.string("Code").or(() -> optString(r, "code")).orElseThrow(
                        () -> new InvalidMessageException("reason without code")),
                        r.string("Description").or(() -> optString(r, "description")),
                        r.dict("Details").or(() -> optDict(r, "details")).orElse(PlistDict.empty())));
            }
            return List.copyOf(out);
        }
    }

    /** An entry of {@code Errors}: a status item the device could not report. */
    public record StatusError(String statusItem, List<Reason> reasons) {
    }

    /** An element of an array status item; {@code removed} for {@code "_removed": true} (incremental reports). */
    public record ArrayEntry(PlistDict value, boolean removed) {
        /** The {@code identifier} key most array items carry. */
        public Optional<String> identifier() {
            return value.get("identifier") instanceof String s ? Optional.of(s) : Optional.empty();
        }
    }

    /** The state of one declaration, from {@code management.declarations}. */
    public record DeclarationStatus(Declaration.Category category, String identifier, String serverToken,
                                    boolean active, String valid, List<Reason> reasons) {
        public boolean isValid() {
            return "valid".equals(valid);
        }
    }

    public StatusReport {
        items = Collections.unmodifiableMap(new LinkedHashMap<>(items));
        errors = List.copyOf(errors);
    }

    /** Parses a status report, flattening with the bundled schema's status item names. */
    public static StatusReport parse(byte[] json) throws ProtocolException {
        return from(DdmJson.readDict(json), SchemaCatalog.bundled());
    }

    /** Decodes a status report dictionary. */
    public static StatusReport from(PlistDict d, SchemaCatalog catalog) throws InvalidMessageException {
        Map<String, Object> items = new LinkedHashMap<>();
        flatten(d.requireDict("StatusItems"), "", catalog, items);
        List<StatusError> errors = new ArrayList<>();
        for (PlistDict e : d.dictArray("Errors")) {
            errors.add(new StatusError(e.requireString("StatusItem"), Reason.list(e, "Reasons")));
        }
        return new StatusReport(d.flag("FullReport"), items, errors, d);
    }

    private static void flatten(PlistDict node, String prefix, SchemaCatalog catalog, Map<String, Object> out) {
        for (Map.Entry<String, Object> e : node.asMap().entrySet()) {
            String path = prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey();
            if (e.getValue() instanceof PlistDict child && catalog.statusItem(path).isEmpty()) {
                flatten(child, path, catalog, out);
            } else {
                out.put(path, e.getValue());
            }
        }
    }

    public Optional<Object> value(String item) {
        return Optional.ofNullable(items.get(item));
    }

    public Optional<String> string(String item) {
        return items.get(item) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Boolean> bool(String item) {
        return items.get(item) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    public Optional<PlistDict> dict(String item) {
        return items.get(item) instanceof PlistDict d ? Optional.of(d) : Optional.empty();
    }

    /** The elements of an array status item (e.g. {@code app.managed.list}); empty when absent. */
    public List<ArrayEntry> arrayEntries(String item) throws InvalidMessageException {
        Object v = items.get(item);
        if (v == null) {
            return List.of();
        }
        if (!(v instanceof List<?> list)) {
            throw new InvalidMessageException("status item " + item + " is not an array");
        }
        List<ArrayEntry> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof PlistDict entry)) {
                throw new InvalidMessageException("status item " + item + " must hold dictionaries");
            }
            out.add(new ArrayEntry(entry, entry.flag("_removed")));
        }
        return List.copyOf(out);
    }

    /** {@code device.operating-system.version}. */
    public Optional<String> osVersion() {
        return string("device.operating-system.version");
    }

    /** {@code device.operating-system.build-version}. */
    public Optional<String> buildVersion() {
        return string("device.operating-system.build-version");
    }

    /** {@code device.identifier.serial-number}. */
    public Optional<String> serialNumber() {
        return string("device.identifier.serial-number");
    }

    /** {@code device.identifier.udid}. */
    public Optional<String> udid() {
        return string("device.identifier.udid");
    }

    /** {@code management.client-capabilities}. */
    public Optional<PlistDict> clientCapabilities() {
        return dict("management.client-capabilities");
    }

    /** The declarations the device reports in {@code management.declarations}, all categories. */
    public List<DeclarationStatus> declarations() throws InvalidMessageException {
        Optional<PlistDict> d = dict("management.declarations");
        if (d.isEmpty()) {
            return List.of();
        }
        List<DeclarationStatus> out = new ArrayList<>();
        String[] keys = {"activations", "configurations", "assets", "management"};
        Declaration.Category[] cats = Declaration.Category.values();
        for (int i = 0; i < keys.length; i++) {
            for (PlistDict s : d.get().dictArray(keys[i])) {
                out.add(new DeclarationStatus(cats[i], s.requireString("identifier"), s.requireString("server-token"),
                        s.requireBool("active"), s.requireString("valid"), Reason.list(s, "reasons")));
            }
        }
        return List.copyOf(out);
    }

    /** Validates the report against Apple's StatusReport schema and every known status item's schema. */
    public ValidationResult validate(SchemaValidator validator) {
        ValidationResult top = validator.validateDocument(validator.catalog().ddmProtocol("StatusReport")
                .orElseThrow(), raw);
        List<ValidationResult.Issue> errors = new ArrayList<>(top.errors());
        List<ValidationResult.Issue> warnings = new ArrayList<>(top.warnings());
        for (Map.Entry<String, Object> e : items.entrySet()) {
            ValidationResult r = validator.validateStatusItem(e.getKey(), e.getValue());
            errors.addAll(r.errors());
            warnings.addAll(r.warnings());
        }
        return new ValidationResult(errors, warnings);
    }

    private static Optional<String> optString(PlistDict d, String key) {
        return d.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    private static Optional<PlistDict> optDict(PlistDict d, String key) {
        return d.get(key) instanceof PlistDict p ? Optional.of(p) : Optional.empty();
    }
}
