package dev.orchardmdm.protocol.ddm;

import dev.orchardmdm.protocol.InvalidMessageException;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The declaration-items response: the declarations the device should have, by category, and the declarations
 * token that summarises them.
 */
public record DeclarationItems(List<Item> activations, List<Item> configurations, List<Item> assets,
                               List<Item> management, String declarationsToken) {

    /** One manifest entry: a declaration's Identifier and ServerToken. */
    public record Item(String identifier, String serverToken) {
        PlistDict toDict() {
            return PlistDict.of("Identifier", identifier, "ServerToken", serverToken);
        }
    }

    public DeclarationItems {
        activations = List.copyOf(activations);
        configurations = List.copyOf(configurations);
        assets = List.copyOf(assets);
        management = List.copyOf(management);
    }

    /** A manifest of these declarations, with the token computed by {@link #computeToken(List)}. */
    public static DeclarationItems of(List<Declaration> declarations) {
        List<Item> a = new ArrayList<>();
        List<Item> c = new ArrayList<>();
        List<Item> s = new ArrayList<>();
        List<Item> m = new ArrayList<>();
        for (Declaration d : declarations) {
            Item item = d.item();
            switch (d.category()) {
                case ACTIVATION -> a.add(item);
                case CONFIGURATION -> c.add(item);
                case ASSET -> s.add(item);
                case MANAGEMENT -> m.add(item);
            }
        }
        return new DeclarationItems(a, c, s, m, computeToken(declarations));
    }

    /**
     * A declarations token: SHA-256 over the sorted {@code category/identifier/serverToken} lines, so it changes
     * whenever any declaration is added, removed or changed, and never otherwise.
     */
    public static String computeToken(List<Declaration> declarations) {
        List<Declaration> sorted = new ArrayList<>(declarations);
        sorted.sort(Comparator.comparing((Declaration d) -> d.category().name()).thenComparing(Declaration::identifier));
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Declaration d : sorted) {
                md.update((d.category() + "/" + d.identifier() + "/" + d.serverToken() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public PlistDict toDict() {
        return PlistDict.of("Declarations", PlistDict.of("Activations", dicts(activations),
                "Configurations", dicts(configurations), "Assets", dicts(assets), "Management", dicts(management)),
                "DeclarationsToken", declarationsToken);
    }

    private static List<PlistDict> dicts(List<Item> items) {
        return items.stream().map(Item::toDict).toList();
    }

    /** The JSON document. */
    public byte[] toJson() {
        return DdmJson.write(DdmJson.toJson(toDict()));
    }

    /** Reads a declaration-items response. */
    public static DeclarationItems parse(byte[] json) throws ProtocolException {
        PlistDict d = DdmJson.readDict(json);
        PlistDict decl = d.requireDict("Declarations");
        return new DeclarationItems(items(decl, "Activations"), items(decl, "Configurations"), items(decl, "Assets"),
                items(decl, "Management"), d.requireString("DeclarationsToken"));
    }

    private static List<Item> items(PlistDict decl, String key) throws InvalidMessageException {
        List<Item> out = new ArrayList<>();
        for (PlistDict i : decl.dictArray(key)) {
            out.add(new Item(i.requireString("Identifier"), i.requireString("ServerToken")));
        }
        return out;
    }
}
