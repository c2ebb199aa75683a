package dev.orchardmdm.protocol;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable plist dictionary. Values are normalised to: {@link String}, {@link Long} (integer),
 * {@link Double} (real), {@link Boolean}, {@link Instant} (date), {@link PlistData} (data), {@link List} (array,
 * unmodifiable) and {@code PlistDict} (dictionary). Key order is kept.
 *
 * <p>Typed getters return {@link Optional#empty()} for a missing key and throw {@link InvalidMessageException} when
 * the key holds a value of another type; {@code require*} getters also throw for a missing key.
 */
public final class PlistDict {
    private static final PlistDict EMPTY = new PlistDict(Map.of());
    private final Map<String, Object> map;

    private PlistDict(Map<String, Object> map) {
        this.map = map;
    }

    /** The empty dictionary. */
    public static PlistDict empty() {
        return EMPTY;
    }

    /** Starts a builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Copies a Java map, normalising its values: {@code Integer/Short/Byte -> Long}, {@code Float -> Double},
     * {@code byte[] -> PlistData}, {@code Date -> Instant}, {@code Map -> PlistDict}, {@code Collection/Object[] -> List}.
     *
     * @throws IllegalArgumentException for a null or unsupported value, or a non-string key
     */
    public static PlistDict of(Map<?, ?> values) {
        if (values instanceof PlistDict.MapView view) {
            return view.owner;
        }
        Builder b = builder();
        values.forEach((k, v) -> {
            if (!(k instanceof String key)) {
                throw new IllegalArgumentException("plist dictionary keys must be strings: " + k);
            }
            b.put(key, v);
        });
        return b.build();
    }

    /** Creates a dictionary from alternating keys and values, e.g. {@code PlistDict.of("Enabled", true)}. */
    public static PlistDict of(Object... keysAndValues) {
        if (keysAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("odd number of arguments");
        }
        Builder b = builder();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            b.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return b.build();
    }

    static PlistDict wrapOwned(LinkedHashMap<String, Object> owned) {
        return owned.isEmpty() ? EMPTY : new PlistDict(Collections.unmodifiableMap(owned));
    }

    /** Normalises one plist value (see {@link #of(Map)}). */
    public static Object normalize(Object v) {
        if (v == null) {
            throw new IllegalArgumentException("plist values cannot be null");
        }
        if (v instanceof String || v instanceof Long || v instanceof Double || v instanceof Boolean
                || v instanceof Instant || v instanceof PlistData || v instanceof PlistDict) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Float f) {
            return f.doubleValue();
        }
        if (v instanceof byte[] bytes) {
            return PlistData.of(bytes);
        }
        if (v instanceof Date d) {
            return d.toInstant();
        }
        if (v instanceof Map<?, ?> m) {
            return of(m);
        }
        if (v instanceof Collection<?> c) {
            List<Object> out = new ArrayList<>(c.size());
            for (Object o : c) {
                out.add(normalize(o));
            }
            return Collections.unmodifiableList(out);
        }
        if (v instanceof Object[] arr) {
            return normalize(List.of(arr));
        }
        if (v instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException("unsupported plist value type: " + v.getClass().getName());
    }

    /** The raw value of {@code key}, or null. */
    public Object get(String key) {
        return map.get(key);
    }

    public boolean has(String key) {
        return map.containsKey(key);
    }

    public Set<String> keys() {
        return map.keySet();
    }

    public int size() {
        return map.size();
    }

    public boolean isEmpty() {
        return map.isEmpty();
    }

    /** An unmodifiable view of the entries (values are the normalised immutable types). */
    public Map<String, Object> asMap() {
        return new MapView(this);
    }

    /** A copy with {@code key} set to {@code value} (normalised). */
    public PlistDict with(String key, Object value) {
        return toBuilder().put(key, value).build();
    }

    /** A copy without {@code key}. */
    public PlistDict without(String key) {
        if (!map.containsKey(key)) {
            return this;
        }
        LinkedHashMap<String, Object> copy = new LinkedHashMap<>(map);
        copy.remove(key);
        return wrapOwned(copy);
    }

    /** A builder pre-filled with this dictionary's entries. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.map.putAll(map);
        return b;
    }

    private <T> Optional<T> typed(String key, Class<T> type, String typeName) throws InvalidMessageException {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v)) {
            throw new InvalidMessageException("key " + printable(key) + " must be " + typeName + ", found "
                    + typeName(v));
        }
        return Optional.of(type.cast(v));
    }

    private static <T> T required(Optional<T> value, String key) throws InvalidMessageException {
        if (value.isEmpty()) {
            throw new InvalidMessageException("missing required key " + printable(key));
        }
        return value.get();
    }

    public Optional<String> string(String key) throws InvalidMessageException {
        return typed(key, String.class, "a string");
    }

    public String requireString(String key) throws InvalidMessageException {
        return required(string(key), key);
    }

    public Optional<Long> integer(String key) throws InvalidMessageException {
        return typed(key, Long.class, "an integer");
    }

    public long requireInteger(String key) throws InvalidMessageException {
        return required(integer(key), key);
    }

    /** A real value; an integer value is widened. */
    public Optional<Double> real(String key) throws InvalidMessageException {
        Object v = map.get(key);
        if (v instanceof Long l) {
            return Optional.of(l.doubleValue());
        }
        return typed(key, Double.class, "a real");
    }

    public double requireReal(String key) throws InvalidMessageException {
        return required(real(key), key);
    }

    public Optional<Boolean> bool(String key) throws InvalidMessageException {
        return typed(key, Boolean.class, "a boolean");
    }

    public boolean requireBool(String key) throws InvalidMessageException {
        return required(bool(key), key);
    }

    /** A boolean, {@code false} when missing. */
    public boolean flag(String key) throws InvalidMessageException {
        return bool(key).orElse(false);
    }

    public Optional<Instant> date(String key) throws InvalidMessageException {
        return typed(key, Instant.class, "a date");
    }

    /** A data value, as a copy of its bytes. */
    public Optional<byte[]> data(String key) throws InvalidMessageException {
        return typed(key, PlistData.class, "data").map(PlistData::bytes);
    }

    public byte[] requireData(String key) throws InvalidMessageException {
        return required(data(key), key);
    }

    public Optional<PlistDict> dict(String key) throws InvalidMessageException {
        return typed(key, PlistDict.class, "a dictionary");
    }

    public PlistDict requireDict(String key) throws InvalidMessageException {
        return required(dict(key), key);
    }

    /** An array, empty when missing. */
    public List<Object> array(String key) throws InvalidMessageException {
        @SuppressWarnings("unchecked")
        Optional<List<Object>> list = typed(key, (Class<List<Object>>) (Class<?>) List.class, "an array")
                .map(l -> (List<Object>) l);
        return list.orElse(List.of());
    }

    /** An array whose elements must all be dictionaries; empty when missing. */
    public List<PlistDict> dictArray(String key) throws InvalidMessageException {
        return typedArray(key, PlistDict.class, "dictionaries");
    }

    /** An array whose elements must all be strings; empty when missing. */
    public List<String> stringArray(String key) throws InvalidMessageException {
        return typedArray(key, String.class, "strings");
    }

    private <T> List<T> typedArray(String key, Class<T> type, String what) throws InvalidMessageException {
        List<Object> raw = array(key);
        List<T> out = new ArrayList<>(raw.size());
        for (Object o : raw) {
            if (!type.isInstance(o)) {
                throw new InvalidMessageException("array " + printable(key) + " must hold " + what + ", found "
                        + typeName(o));
            }
            out.add(type.cast(o));
        }
        return List.copyOf(out);
    }

    /** Serialises to an XML plist (UTF-8). */
    public byte[] toXml() {
        return Plists.toXml(this);
    }

    /** Serialises to a binary plist ({@code bplist00}). */
    public byte[] toBinary() {
        return Plists.toBinary(this);
    }

    /** The plist type name of a normalised value ("string", "integer", ...). */
    public static String typeName(Object v) {
        if (v instanceof String) {
            return "string";
        } else if (v instanceof Long) {
            return "integer";
        } else if (v instanceof Double) {
            return "real";
        } else if (v instanceof Boolean) {
            return "boolean";
        } else if (v instanceof Instant) {
            return "date";
        } else if (v instanceof PlistData) {
            return "data";
        } else if (v instanceof List) {
            return "array";
        } else if (v instanceof PlistDict) {
            return "dictionary";
        }
        return v == null ? "nothing" : v.getClass().getSimpleName();
    }

    /** Makes device-supplied text safe for messages and logs: control characters escaped, at most 120 chars. */
    public static String printable(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder("'");
        int n = Math.min(s.length(), 120);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                sb.append(String.format("\\x%02x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.append('\'').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlistDict other && map.equals(other.map);
    }

    @Override
    public int hashCode() {
        return map.hashCode();
    }

    @Override
    public String toString() {
        return map.toString();
    }

    /** Builds a {@link PlistDict}; values are normalised as by {@link PlistDict#of(Map)}. */
    public static final class Builder {
        private final LinkedHashMap<String, Object> map = new LinkedHashMap<>();

        private Builder() {
        }

        /** Sets {@code key}. */
        public Builder put(String key, Object value) {
            if (key == null) {
                throw new IllegalArgumentException("plist keys cannot be null");
            }
            map.put(key, normalize(value));
            return this;
        }

        /** Sets {@code key} only when {@code value} is not null. */
        public Builder putIfNotNull(String key, Object value) {
            if (value != null) {
                put(key, value);
            }
            return this;
        }

        /** Sets {@code key} only when the optional holds a value. */
        public Builder putOptional(String key, Optional<?> value) {
            value.ifPresent(v -> put(key, v));
            return this;
        }

        public Builder putAll(PlistDict other) {
            map.putAll(other.map);
            return this;
        }

        public Builder remove(String key) {
            map.remove(key);
            return this;
        }

        public PlistDict build() {
            return wrapOwned(new LinkedHashMap<>(map));
        }
    }

    private static final class MapView extends java.util.AbstractMap<String, Object> {
        private final PlistDict owner;

        MapView(PlistDict owner) {
            this.owner = owner;
        }

        @Override
        public Set<Entry<String, Object>> entrySet() {
            return owner.map.entrySet();
        }

        @Override
        public Object get(Object key) {
            return owner.map.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return owner.map.containsKey(key);
        }
    }
}
