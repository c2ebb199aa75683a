package dev.orchardmdm.protocol.schema;

import dev.orchardmdm.protocol.PlistDict;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/** Generates values that satisfy a schema key: the first allowed value, the range minimum, one array element... */
final class SchemaValues {
    private SchemaValues() {
    }

    /** A dictionary with the required keys of {@code keys} (all keys when {@code all}). */
    static PlistDict dict(List<SchemaKey> keys, boolean all) {
        PlistDict.Builder b = PlistDict.builder();
        for (SchemaKey k : keys) {
            if (!k.isWildcard() && (all || k.required())) {
                b.put(k.name(), value(k, all));
            }
        }
        return b.build();
    }

    static Object value(SchemaKey k, boolean all) {
        if (!k.rangeList().isEmpty()) {
            return PlistDict.normalize(k.rangeList().get(0));
        }
        return switch (k.type()) {
            case STRING -> {
                String f = k.format().orElse("");
                if (f.contains("https")) {
                    yield "https://mdm.example.com/x";
                } else if (f.contains("{12}")) {
                    yield UUID.randomUUID().toString().toUpperCase(Locale.ROOT);
                }
                yield "value";
            }
            case INTEGER -> k.min().map(Double::longValue).orElse(1L);
            case REAL -> k.min().orElse(0.5);
            case BOOLEAN -> true;
            case DATE -> Instant.parse("2024-05-06T07:08:09Z");
            case DATA -> new byte[] {1, 2, 3};
            case ANY -> "any";
            case DICTIONARY -> dict(k.subkeys(), all);
            case ARRAY -> array(k, all);
        };
    }

    private static List<Object> array(SchemaKey k, boolean all) {
        List<SchemaKey> subs = k.subkeys();
        List<Object> out = new ArrayList<>();
        if (subs.size() == 1 && subs.get(0).type() != ValueType.DICTIONARY && !subs.get(0).subkeys().isEmpty()) {
            // scalar elements whose subkeys name the possible values (DeviceInformation Queries)
            subs.get(0).subkeys().stream().limit(all ? Long.MAX_VALUE : 1).forEach(s -> out.add(s.name()));
        } else if (subs.size() == 1) {
            int n = Math.max(1, k.repetitionMin().orElse(1));
            for (int i = 0; i < n; i++) {
                out.add(value(subs.get(0), all));
            }
        } else if (subs.size() > 1) {
            for (SchemaKey alt : subs) {
                // alternatives: dictionaries (one of each), or scalar values named by the subkeys
                out.add(alt.type() == ValueType.DICTIONARY ? value(alt, all) : alt.name());
            }
        }
        return out;
    }
}
