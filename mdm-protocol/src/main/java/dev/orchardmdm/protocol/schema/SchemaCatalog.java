package dev.orchardmdm.protocol.schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Apple's device-management schema, parsed. {@link #bundled()} reads the copy shipped in this module (see
 * {@code SNAPSHOT.txt} beside it for the commit and OS versions; MIT licence in {@code LICENSE.txt}). Immutable.
 */
public final class SchemaCatalog {
    static final String ROOT = "/dev/orchardmdm/protocol/schema/apple/";
    private static final List<String> OSES = List.of("iOS", "macOS", "tvOS", "visionOS", "watchOS");

    private final Map<SchemaDocument.Kind, Map<String, SchemaDocument>> byKind;
    private final List<SchemaDocument> all;

    private SchemaCatalog(List<SchemaDocument> docs) {
        Map<SchemaDocument.Kind, Map<String, SchemaDocument>> m = new EnumMap<>(SchemaDocument.Kind.class);
        for (SchemaDocument.Kind k : SchemaDocument.Kind.values()) {
            m.put(k, new LinkedHashMap<>());
        }
        for (SchemaDocument d : docs) {
            m.get(d.kind()).putIfAbsent(d.name(), d);
        }
        m.replaceAll((k, v) -> Collections.unmodifiableMap(v));
        this.byKind = Collections.unmodifiableMap(m);
        this.all = List.copyOf(docs);
    }

    private static final class Holder {
        static final SchemaCatalog BUNDLED = loadBundled();
    }

    /** The schema bundled with this module (parsed once, on first use). */
    public static SchemaCatalog bundled() {
        return Holder.BUNDLED;
    }

    private static SchemaCatalog loadBundled() {
        List<SchemaDocument> docs = new ArrayList<>();
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(10_000);
        for (String file : resourceText("index.txt").split("\n")) {
            if (file.isBlank()) {
                continue;
            }
            Yaml yaml = new Yaml(new SafeConstructor(options));
            Object root = yaml.load(resourceText(file.trim()));
            if (root instanceof Map<?, ?> map) {
                docs.add(parseDocument(file.trim(), map));
            }
        }
        return new SchemaCatalog(docs);
    }

    private static String resourceText(String name) {
        try (InputStream in = SchemaCatalog.class.getResourceAsStream(ROOT + name)) {
            if (in == null) {
                throw new IllegalStateException("schema resource missing: " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static SchemaDocument parseDocument(String file, Map<?, ?> root) {
        Map<?, ?> payload = root.get("payload") instanceof Map<?, ?> p ? p : Map.of();
        SchemaDocument.Kind kind;
        String name;
        if (file.startsWith("mdm/commands/")) {
            kind = SchemaDocument.Kind.COMMAND;
            name = str(payload.get("requesttype"));
        } else if (file.startsWith("mdm/checkin/")) {
            kind = SchemaDocument.Kind.CHECKIN;
            name = str(payload.get("requesttype"));
        } else if (file.startsWith("mdm/profiles/")) {
            kind = SchemaDocument.Kind.PROFILE;
            name = str(payload.get("payloadtype"));
        } else if (file.startsWith("mdm/errors/")) {
            kind = SchemaDocument.Kind.ERROR;
            name = file.substring(file.lastIndexOf('/') + 1).replace(".yaml", "");
        } else if (file.startsWith("declarative/declarations/")) {
            kind = SchemaDocument.Kind.DECLARATION;
            name = str(payload.get("declarationtype"));
        } else if (file.startsWith("declarative/status/")) {
            kind = SchemaDocument.Kind.STATUS_ITEM;
            name = str(payload.get("statusitemtype"));
        } else if (file.startsWith("declarative/protocol/")) {
            kind = SchemaDocument.Kind.DDM_PROTOCOL;
            name = str(payload.get("requesttype"));
        } else {
            kind = SchemaDocument.Kind.OTHER;
            name = file.substring(file.lastIndexOf('/') + 1).replace(".yaml", "");
        }
        if (name == null || name.isEmpty()) {
            name = file;
        }
        Map<String, OsRequirements> os = mergeOs(Map.of(), payload.get("supportedOS"));
        return new SchemaDocument(kind, name, String.valueOf(root.get("title")), file, os,
                parseKeys(root.get("payloadkeys"), os, newAncestors()), parseKeys(root.get("responsekeys"), os,
                newAncestors()));
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    private static Map<String, OsRequirements> mergeOs(Map<String, OsRequirements> parent, Object supportedOS) {
        if (!(supportedOS instanceof Map<?, ?> m) || m.isEmpty()) {
            return parent;
        }
        Map<String, OsRequirements> out = new LinkedHashMap<>(parent);
        for (String os : OSES) {
            if (m.get(os) instanceof Map<?, ?> spec) {
                out.put(os, out.getOrDefault(os, OsRequirements.empty(os)).overriddenBy(spec));
            }
        }
        return Collections.unmodifiableMap(out);
    }

    private static Set<Object> newAncestors() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /**
     * Parses a list of keys. A few schemas are recursive through YAML aliases (home-screen folders, for instance):
     * a list already being parsed higher up is cut, i.e. not validated below that point.
     */
    private static List<SchemaKey> parseKeys(Object keys, Map<String, OsRequirements> parentOs,
                                             Set<Object> ancestors) {
        if (!(keys instanceof List<?> list) || !ancestors.add(list)) {
            return List.of();
        }
        List<SchemaKey> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?> k) {
                out.add(parseKey(k, parentOs, ancestors));
            }
        }
        ancestors.remove(list);
        return List.copyOf(out);
    }

    private static SchemaKey parseKey(Map<?, ?> k, Map<String, OsRequirements> parentOs, Set<Object> ancestors) {
        Map<String, OsRequirements> os = mergeOs(parentOs, k.get("supportedOS"));
        List<Object> range = k.get("rangelist") instanceof List<?> l ? List.copyOf(l) : List.of();
        Map<?, ?> r = k.get("range") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> rep = k.get("repetition") instanceof Map<?, ?> m ? m : Map.of();
        return new SchemaKey(String.valueOf(k.get("key")), ValueType.parse(str(k.get("type"))),
                "required".equals(k.get("presence")), range, num(r.get("min")), num(r.get("max")),
                num(rep.get("min")).map(Double::intValue), num(rep.get("max")).map(Double::intValue),
                Optional.ofNullable(str(k.get("format"))), Optional.ofNullable(k.get("default")), os,
                parseKeys(k.get("subkeys"), os, ancestors), k.get("title") == null ? "" : k.get("title").toString());
    }

    private static Optional<Double> num(Object o) {
        return o instanceof Number n ? Optional.of(n.doubleValue()) : Optional.empty();
    }

    /** Every document. */
    public List<SchemaDocument> all() {
        return all;
    }

    /** The documents of one kind, by name. */
    public Map<String, SchemaDocument> byKind(SchemaDocument.Kind kind) {
        return byKind.get(kind);
    }

    /** The command with this RequestType. */
    public Optional<SchemaDocument> command(String requestType) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.COMMAND).get(requestType));
    }

    /** All command schemas (one per file of {@code mdm/commands/}). */
    public Collection<SchemaDocument> commands() {
        return byKind.get(SchemaDocument.Kind.COMMAND).values();
    }

    /** The check-in message with this MessageType. */
    public Optional<SchemaDocument> checkin(String messageType) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.CHECKIN).get(messageType));
    }

    /** The profile payload with this PayloadType ({@code TopLevel} and {@code CommonPayloadKeys} included). */
    public Optional<SchemaDocument> profilePayload(String payloadType) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.PROFILE).get(payloadType));
    }

    /** The declaration with this type (e.g. {@code com.apple.configuration.passcode.settings}). */
    public Optional<SchemaDocument> declaration(String type) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.DECLARATION).get(type));
    }

    /** The status item with this type (e.g. {@code device.operating-system.version}). */
    public Optional<SchemaDocument> statusItem(String type) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.STATUS_ITEM).get(type));
    }

    /** A declarative-management protocol document: TokensResponse, DeclarationItemsResponse, StatusReport. */
    public Optional<SchemaDocument> ddmProtocol(String requestType) {
        return Optional.ofNullable(byKind.get(SchemaDocument.Kind.DDM_PROTOCOL).get(requestType));
    }
}
