package dev.orchardmdm.protocol;

import com.dd.plist.BinaryPropertyListWriter;
import com.dd.plist.NSArray;
import com.dd.plist.NSData;
import com.dd.plist.NSDate;
import com.dd.plist.NSDictionary;
import com.dd.plist.NSNumber;
import com.dd.plist.NSObject;
import com.dd.plist.NSSet;
import com.dd.plist.NSString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Conversion between {@link PlistDict} values and dd-plist objects, and plist serialisation. */
public final class Plists {
    private Plists() {
    }

    /** Serialises a dictionary to an XML plist (UTF-8, with Apple's DOCTYPE). */
    public static byte[] toXml(PlistDict dict) {
        return toNS(dict).toXMLPropertyList().getBytes(StandardCharsets.UTF_8);
    }

    /** Serialises a dictionary to a binary plist. */
    public static byte[] toBinary(PlistDict dict) {
        try {
            return BinaryPropertyListWriter.writeToArray(toNS(dict));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Converts a normalised value (see {@link PlistDict}) to its dd-plist object. */
    public static NSObject toNS(Object v) {
        if (v instanceof PlistDict d) {
            NSDictionary out = new NSDictionary();
            for (Map.Entry<String, Object> e : d.asMap().entrySet()) {
                out.put(e.getKey(), toNS(e.getValue()));
            }
            return out;
        } else if (v instanceof List<?> list) {
            NSArray out = new NSArray(list.size());
            for (int i = 0; i < list.size(); i++) {
                out.setValue(i, toNS(list.get(i)));
            }
            return out;
        } else if (v instanceof String s) {
            return new NSString(s);
        } else if (v instanceof Long l) {
            return new NSNumber(l);
        } else if (v instanceof Double d) {
            return new NSNumber(d);
        } else if (v instanceof Boolean b) {
            return new NSNumber(b);
        } else if (v instanceof Instant i) {
            return new NSDate(Date.from(i));
        } else if (v instanceof PlistData data) {
            return new NSData(data.unsafeBytes());
        }
        return toNS(PlistDict.normalize(v));
    }

    /**
     * Converts a dd-plist object to a normalised value, enforcing {@code maxDepth} (containers nested deeper fail).
     */
    static Object fromNS(NSObject o, int depth, int maxDepth) throws ProtocolException {
        if (o instanceof NSDictionary d) {
            checkDepth(depth, maxDepth);
            LinkedHashMap<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, NSObject> e : d.entrySet()) {
                out.put(e.getKey(), fromNS(e.getValue(), depth + 1, maxDepth));
            }
            return PlistDict.wrapOwned(out);
        } else if (o instanceof NSArray a) {
            checkDepth(depth, maxDepth);
            List<Object> out = new ArrayList<>(a.count());
            for (NSObject e : a.getArray()) {
                out.add(fromNS(e, depth + 1, maxDepth));
            }
            return Collections.unmodifiableList(out);
        } else if (o instanceof NSSet s) {
            checkDepth(depth, maxDepth);
            List<Object> out = new ArrayList<>(s.count());
            for (NSObject e : s.allObjects()) {
                out.add(fromNS(e, depth + 1, maxDepth));
            }
            return Collections.unmodifiableList(out);
        } else if (o instanceof NSString s) {
            return s.getContent();
        } else if (o instanceof NSNumber n) {
            return switch (n.type()) {
                case NSNumber.BOOLEAN -> n.boolValue();
                case NSNumber.INTEGER -> n.longValue();
                default -> n.doubleValue();
            };
        } else if (o instanceof NSDate d) {
            return d.getDate().toInstant();
        } else if (o instanceof NSData d) {
            return PlistData.wrap(d.bytes());
        }
        throw new MalformedPlistException("unsupported plist object type: "
                + (o == null ? "null" : o.getClass().getSimpleName()));
    }

    private static void checkDepth(int depth, int maxDepth) throws PlistLimitExceededException {
        if (depth > maxDepth) {
            throw new PlistLimitExceededException("plist nesting deeper than " + maxDepth);
        }
    }
}
