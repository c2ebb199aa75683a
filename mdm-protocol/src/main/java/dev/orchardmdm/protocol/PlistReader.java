package dev.orchardmdm.protocol;

import com.dd.plist.BinaryPropertyListParser;
import com.dd.plist.NSObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.Attributes;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.XMLReader;
import org.xml.sax.ext.DefaultHandler2;

/**
 * Reads untrusted XML and binary property lists safely.
 *
 * <p>XML: a DOCTYPE is accepted only without an internal subset; any entity, element or attribute declaration,
 * any non-predefined entity reference and any attempt to load an external resource is refused with
 * {@link UnsafePlistException} before anything is expanded. Binary: the object graph is checked (offsets, references,
 * cycles, and the size of the tree after expanding shared references) before it is decoded. Both are bounded by
 * {@link PlistLimits}. OpenStep/ASCII plists are not accepted. Instances are immutable and thread-safe.
 */
public final class PlistReader {
    private static final PlistReader DEFAULT = new PlistReader(PlistLimits.DEFAULT);
    private static final byte[] BPLIST = {'b', 'p', 'l', 'i', 's', 't'};

    private final PlistLimits limits;
    private final SAXParserFactory saxFactory;
    /** Reusable XML readers (creating one costs more than parsing a small plist); bounded, never shared at once. */
    private final java.util.concurrent.ArrayBlockingQueue<XMLReader> idleReaders =
            new java.util.concurrent.ArrayBlockingQueue<>(8);

    /** A reader with the given limits. */
    public PlistReader(PlistLimits limits) {
        this.limits = limits;
        this.saxFactory = secureFactory();
    }

    /** A shared reader with {@link PlistLimits#DEFAULT}. */
    public static PlistReader withDefaults() {
        return DEFAULT;
    }

    public PlistLimits limits() {
        return limits;
    }

    /** Reads a plist whose root must be a dictionary. */
    public PlistDict readDictionary(byte[] plist) throws ProtocolException {
        Object root = read(plist);
        if (!(root instanceof PlistDict dict)) {
            throw new MalformedPlistException("plist root must be a dictionary, found " + PlistDict.typeName(root));
        }
        return dict;
    }

    /** Reads a plist with any root type; returns a normalised value (see {@link PlistDict}). */
    public Object read(byte[] plist) throws ProtocolException {
        if (plist == null || plist.length == 0) {
            throw new MalformedPlistException("empty plist");
        }
        if (plist.length > limits.maxBytes()) {
            throw new PlistLimitExceededException("plist larger than " + limits.maxBytes() + " bytes");
        }
        if (startsWith(plist, BPLIST)) {
            return readBinary(plist);
        }
        return readXml(plist);
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        if (b.length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // ---------------------------------------------------------------- binary

    private Object readBinary(byte[] plist) throws ProtocolException {
        new BinaryGraphCheck(plist, limits).check();
        NSObject root;
        try {
            root = BinaryPropertyListParser.parse(plist);
        } catch (Exception | StackOverflowError e) {
            throw new MalformedPlistException("invalid binary plist: " + e.getClass().getSimpleName(), e);
        }
        if (root == null) {
            throw new MalformedPlistException("invalid binary plist: no root object");
        }
        return Plists.fromNS(root, 1, limits.maxDepth());
    }

    /** Structural validation of a {@code bplist00} document before dd-plist decodes it. */
    private static final class BinaryGraphCheck {
        private final byte[] b;
        private final PlistLimits limits;
        private int offsetSize;
        private int refSize;
        private int numObjects;
        private long offsetTable;
        private int[][] children;
        private long[] expanded;   // expanded tree size, 0 = not computed
        private byte[] state;      // 0 new, 1 in progress, 2 done

        BinaryGraphCheck(byte[] b, PlistLimits limits) {
            this.b = b;
            this.limits = limits;
        }

        void check() throws ProtocolException {
            if (b.length < 8 + 32 || b[6] != '0' || b[7] != '0') {
                throw new MalformedPlistException("invalid binary plist: bad header or truncated");
            }
            int t = b.length - 32;
            offsetSize = b[t + 6] & 0xff;
            refSize = b[t + 7] & 0xff;
            long objects = uint(t + 8, 8);
            long top = uint(t + 16, 8);
            offsetTable = uint(t + 24, 8);
            if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) {
                throw new MalformedPlistException("invalid binary plist trailer");
            }
            // uint() never returns a negative value, so these comparisons are unsigned
            if (objects < 1 || objects > limits.maxObjects() || top < 0 || top >= objects || offsetTable < 8
                    || offsetTable + objects * offsetSize > t) {
                throw new MalformedPlistException("invalid binary plist trailer (truncated?)");
            }
            numObjects = (int) objects;
            children = new int[numObjects][];
            expanded = new long[numObjects];
            state = new byte[numObjects];
            walk((int) top, 1);
        }

        private long walk(int obj, int depth) throws ProtocolException {
            if (state[obj] == 2) {
                return expanded[obj];
            }
            if (state[obj] == 1) {
                throw new MalformedPlistException("binary plist contains a reference cycle");
            }
            int[] refs = refs(obj);
            if (refs.length > 0 && depth > limits.maxDepth()) {
                throw new PlistLimitExceededException("plist nesting deeper than " + limits.maxDepth());
            }
            state[obj] = 1;
            long total = 1;
            for (int r : refs) {
                total += walk(r, depth + 1);
                if (total > limits.maxObjects()) {
                    throw new PlistLimitExceededException("plist holds more than " + limits.maxObjects()
                            + " objects");
                }
            }
            state[obj] = 2;
            expanded[obj] = total;
            return total;
        }

        /** The object references of a container object; empty for scalars (whose extent is also checked). */
        private int[] refs(int obj) throws ProtocolException {
            if (children[obj] != null) {
                return children[obj];
            }
            long off = uint(offsetTable + (long) obj * offsetSize, offsetSize);
            if (off < 8 || off >= offsetTable) {
                throw new MalformedPlistException("binary plist object offset out of range");
            }
            int pos = (int) off;
            int marker = b[pos] & 0xff;
            int type = marker >> 4;
            int info = marker & 0x0f;
            int[] out;
            switch (type) {
                case 0x0 -> out = new int[0];
                case 0x1, 0x2 -> {
                    need(pos + 1, 1L << info);
                    out = new int[0];
                }
                case 0x3 -> {
                    need(pos + 1, 8);
                    out = new int[0];
                }
                case 0x4, 0x5, 0x6, 0x7 -> {
                    long[] lc = lengthAndStart(pos, info);
                    long unit = type == 0x6 ? 2 : 1;
                    need(lc[1], lc[0] * unit);
                    out = new int[0];
                }
                case 0x8 -> {
                    need(pos + 1, info + 1);
                    out = new int[0];
                }
                case 0xA, 0xB, 0xC, 0xD -> {
                    long[] lc = lengthAndStart(pos, info);
                    long count = type == 0xD ? lc[0] * 2 : lc[0];
                    if (count > limits.maxObjects()) {
                        throw new PlistLimitExceededException("plist container too large");
                    }
                    need(lc[1], count * refSize);
                    out = new int[(int) count];
                    for (int i = 0; i < count; i++) {
                        long ref = uint(lc[1] + (long) i * refSize, refSize);
                        if (ref < 0 || ref >= numObjects) {
                            throw new MalformedPlistException("binary plist object reference out of range");
                        }
                        out[i] = (int) ref;
                    }
                }
                default -> throw new MalformedPlistException("binary plist: unknown object type " + type);
            }
            children[obj] = out;
            return out;
        }

        /** [length, start of content]. */
        private long[] lengthAndStart(int pos, int info) throws ProtocolException {
            if (info != 0x0f) {
                return new long[] {info, pos + 1};
            }
            need(pos + 1, 1);
            int intMarker = b[pos + 1] & 0xff;
            if ((intMarker >> 4) != 0x1 || (intMarker & 0x0f) > 3) {
                throw new MalformedPlistException("binary plist: bad length marker");
            }
            int len = 1 << (intMarker & 0x0f);
            need(pos + 2, len);
            long value = uint(pos + 2, len);
            if (value < 0 || value > Integer.MAX_VALUE) {
                throw new MalformedPlistException("binary plist: bad length");
            }
            return new long[] {value, pos + 2 + len};
        }

        private void need(long start, long length) throws MalformedPlistException {
            if (length < 0 || start < 0 || start + length > offsetTable) {
                throw new MalformedPlistException("binary plist truncated or object overlaps the offset table");
            }
        }

        /**
         * A big-endian unsigned number of {@code size} bytes (counts, offsets, references, lengths).
         * An 8-byte value with its high bit set does not fit a Java long as unsigned: refused here,
         * so that every caller compares non-negative values only.
         */
        private long uint(long pos, int size) throws MalformedPlistException {
            if (pos < 0 || pos > b.length - size) {
                throw new MalformedPlistException("binary plist truncated");
            }
            int at = (int) pos;
            long v = 0;
            for (int i = 0; i < size; i++) {
                v = (v << 8) | (b[at + i] & 0xff);
            }
            if (v < 0) {
                throw new MalformedPlistException("binary plist number out of range");
            }
            return v;
        }
    }

    // ---------------------------------------------------------------- XML

    private static SAXParserFactory secureFactory() {
        try {
            SAXParserFactory f = SAXParserFactory.newInstance();
            f.setNamespaceAware(false);
            f.setValidating(false);
            f.setXIncludeAware(false);
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f;
        } catch (ParserConfigurationException | SAXException e) {
            throw new IllegalStateException("XML parser does not support secure configuration", e);
        }
    }

    private Object readXml(byte[] plist) throws ProtocolException {
        XmlHandler handler = new XmlHandler(limits);
        try {
            XMLReader reader = idleReaders.poll();
            if (reader == null) {
                reader = saxFactory.newSAXParser().getXMLReader();
            }
            reader.setContentHandler(handler);
            reader.setErrorHandler(handler);
            reader.setEntityResolver(handler);
            reader.setDTDHandler(handler);
            reader.setProperty("http://xml.org/sax/properties/lexical-handler", handler);
            reader.setProperty("http://xml.org/sax/properties/declaration-handler", handler);
            reader.parse(new InputSource(new ByteArrayInputStream(plist)));
            idleReaders.offer(reader); // only after a clean parse
        } catch (Rejected r) {
            throw r.cause;
        } catch (SAXException | IOException e) {
            throw new MalformedPlistException("invalid XML plist: " + PlistDict.printable(e.getMessage()), e);
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
        if (handler.root == null) {
            throw new MalformedPlistException("XML plist has no value");
        }
        return handler.root;
    }

    /** Carries a ProtocolException through the SAX callbacks. */
    private static final class Rejected extends SAXException {
        private static final long serialVersionUID = 1L;
        private final transient ProtocolException cause;

        Rejected(ProtocolException cause) {
            super(cause.getMessage());
            this.cause = cause;
        }
    }

    private static final class Frame {
        final LinkedHashMap<String, Object> dict;
        final List<Object> array;
        String pendingKey;

        Frame(boolean isDict) {
            dict = isDict ? new LinkedHashMap<>() : null;
            array = isDict ? null : new ArrayList<>();
        }
    }

    private static final class XmlHandler extends DefaultHandler2 {
        private static final java.util.Set<String> PREDEFINED = java.util.Set.of("amp", "lt", "gt", "quot", "apos");
        private final PlistLimits limits;
        private final Deque<Frame> stack = new ArrayDeque<>();
        private final StringBuilder text = new StringBuilder();
        private boolean inPlist;
        private boolean plistSeen;
        private String leaf;
        private int objects;
        Object root;

        XmlHandler(PlistLimits limits) {
            this.limits = limits;
        }

        private static Rejected unsafe(String what) {
            return new Rejected(new UnsafePlistException("XML plist refused: " + what));
        }

        private static Rejected malformed(String what) {
            return new Rejected(new MalformedPlistException("invalid XML plist: " + what));
        }

        // --- DTD, entities: refuse everything but a bare DOCTYPE
        @Override
        public void startDTD(String name, String publicId, String systemId) throws SAXException {
            if (!"plist".equals(name)) {
                throw unsafe("unexpected DOCTYPE " + PlistDict.printable(name));
            }
        }

        @Override
        public void internalEntityDecl(String name, String value) throws SAXException {
            throw unsafe("entity declaration " + PlistDict.printable(name));
        }

        @Override
        public void externalEntityDecl(String name, String publicId, String systemId) throws SAXException {
            throw unsafe("external entity declaration " + PlistDict.printable(name));
        }

        @Override
        public void elementDecl(String name, String model) throws SAXException {
            throw unsafe("DTD internal subset");
        }

        @Override
        public void attributeDecl(String eName, String aName, String type, String mode, String value)
                throws SAXException {
            throw unsafe("DTD internal subset");
        }

        @Override
        public void notationDecl(String name, String publicId, String systemId) throws SAXException {
            throw unsafe("notation declaration");
        }

        @Override
        public void unparsedEntityDecl(String name, String publicId, String systemId, String notation)
                throws SAXException {
            throw unsafe("unparsed entity declaration");
        }

        @Override
        public void startEntity(String name) throws SAXException {
            if (PREDEFINED.contains(name)) {
                return;
            }
            throw unsafe("entity reference " + PlistDict.printable(name));
        }

        @Override
        public InputSource resolveEntity(String name, String publicId, String baseURI, String systemId)
                throws SAXException {
            throw unsafe("external resource " + PlistDict.printable(systemId));
        }

        @Override
        public InputSource getExternalSubset(String name, String baseURI) {
            return null;
        }

        @Override
        public void skippedEntity(String name) throws SAXException {
            throw unsafe("entity reference " + PlistDict.printable(name));
        }

        @Override
        public void fatalError(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void error(org.xml.sax.SAXParseException e) throws SAXException {
            throw e;
        }

        // --- content
        @Override
        public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
            if (leaf != null) {
                throw malformed("element <" + qName + "> inside <" + leaf + ">");
            }
            if (!inPlist) {
                if (!"plist".equals(qName) || plistSeen) {
                    throw malformed("root element must be <plist>");
                }
                inPlist = true;
                plistSeen = true;
                return;
            }
            switch (qName) {
                case "dict", "array" -> {
                    beforeValue(qName);
                    if (stack.size() + 1 > limits.maxDepth()) {
                        throw new Rejected(new PlistLimitExceededException(
                                "plist nesting deeper than " + limits.maxDepth()));
                    }
                    stack.push(new Frame("dict".equals(qName)));
                }
                case "key" -> {
                    Frame f = stack.peek();
                    if (f == null || f.dict == null || f.pendingKey != null) {
                        throw malformed("unexpected <key>");
                    }
                    leaf = qName;
                    text.setLength(0);
                }
                case "string", "integer", "real", "date", "data", "true", "false" -> {
                    beforeValue(qName);
                    leaf = qName;
                    text.setLength(0);
                }
                default -> throw malformed("unknown element <" + PlistDict.printable(qName) + ">");
            }
        }

        private void beforeValue(String element) throws SAXException {
            Frame f = stack.peek();
            if (f == null) {
                if (root != null) {
                    throw malformed("more than one root value");
                }
            } else if (f.dict != null && f.pendingKey == null) {
                throw malformed("<" + element + "> without a preceding <key>");
            }
            if (++objects > limits.maxObjects()) {
                throw new Rejected(new PlistLimitExceededException(
                        "plist holds more than " + limits.maxObjects() + " objects"));
            }
        }

        @Override
        public void characters(char[] ch, int start, int length) throws SAXException {
            if (leaf != null) {
                text.append(ch, start, length);
            } else {
                for (int i = start; i < start + length; i++) {
                    if (!Character.isWhitespace(ch[i])) {
                        throw malformed("text outside a value element");
                    }
                }
            }
        }

        @Override
        public void endElement(String uri, String localName, String qName) throws SAXException {
            if ("plist".equals(qName) && leaf == null && stack.isEmpty()) {
                inPlist = false;
                return;
            }
            if ("dict".equals(qName) || "array".equals(qName)) {
                Frame f = stack.pop();
                if (f.dict != null && f.pendingKey != null) {
                    throw malformed("<key> without a value");
                }
                addValue(f.dict != null ? PlistDict.wrapOwned(f.dict) : Collections.unmodifiableList(f.array));
                return;
            }
            String s = text.toString();
            leaf = null;
            if ("key".equals(qName)) {
                Frame f = stack.peek();
                if (f.dict.containsKey(s)) {
                    throw malformed("duplicate key " + PlistDict.printable(s));
                }
                f.pendingKey = s;
                return;
            }
            addValue(scalar(qName, s));
        }

        private Object scalar(String element, String s) throws SAXException {
            try {
                return switch (element) {
                    case "string" -> s;
                    case "integer" -> parseInteger(s.trim());
                    case "real" -> Double.parseDouble(s.trim());
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    case "date" -> Instant.parse(s.trim());
                    case "data" -> PlistData.wrap(Base64.getDecoder().decode(s.replaceAll("\\s+", "")));
                    default -> throw malformed("unknown element <" + element + ">");
                };
            } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
                throw malformed("bad <" + element + "> value " + PlistDict.printable(s));
            } catch (IllegalArgumentException e) {
                throw malformed("bad <data> value");
            }
        }

        private static Long parseInteger(String s) {
            if (s.length() > 40) {
                throw new NumberFormatException("integer too long");
            }
            if (s.startsWith("0x") || s.startsWith("0X")) {
                return new BigInteger(s.substring(2), 16).longValueExact();
            }
            return new BigInteger(s).longValueExact();
        }

        private void addValue(Object v) throws SAXException {
            Frame f = stack.peek();
            if (f == null) {
                root = v;
            } else if (f.dict != null) {
                f.dict.put(f.pendingKey, v);
                f.pendingKey = null;
            } else {
                f.array.add(v);
            }
        }
    }
}
