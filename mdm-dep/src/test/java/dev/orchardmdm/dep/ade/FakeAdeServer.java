package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A strict stand-in for Apple's ADE API: it verifies OAuth 1 signatures with its own, independent implementation,
 * checks nonces and timestamps, requires the session and protocol headers, rotates the session token on every answer
 * (the previous one stops working), pages with opaque cursors, expires cursors and sessions on demand and
 * rate-limits.
 */
final class FakeAdeServer extends Dispatcher {

    static final String CONSUMER_KEY = "CK_48dd68d198350f51258e885ce9a5c37ab7f98543c4a697323d75682a6c10a32501cb247e3db08105db868f73f2c972bdb6ae77112aea803b9219eb52689d42e6";
    static final String CONSUMER_SECRET = "CS_34c7b2b531a600d99a0e4edcf4a78ded79b86ef318118c2f5bcfee1b011108c32d5302df801adbe29d446eb78f02b13144e323eb9aad51c79f01e50cb45c3a68";
    static final String ACCESS_TOKEN = "AT_927696831c59ba510cfe4ec1a69e5267c19881257d4bca2906a99d0785b785a6f6fdeb09774954fdd5e2d0ad952e3af52c6d8d2f21c924ba0caf4a031c158b89";
    static final String ACCESS_SECRET = "AS_c31afd7a09691d83548489336e8ff1cb11b82b6bca13f793344496a556b1f4972eaff4dde6deb5ac9cf076fdfa97ec97699c34d515947b9cf9ed31c99dded6ba";

    private final ObjectMapper mapper = new ObjectMapper();
    private final String consumerSecret;

    // all state guarded by "this"
    private final List<ObjectNode> devices = new ArrayList<>();
    private final Map<String, ObjectNode> bySerial = new HashMap<>();
    private final List<ObjectNode> changes = new ArrayList<>();
    private final Map<String, long[]> cursors = new HashMap<>(); // id -> {offset in devices, position in changes, full?1:0}
    private final Set<String> expiredCursors = new HashSet<>();
    private final Set<String> usedNonces = new HashSet<>();
    private final Map<String, ObjectNode> profiles = new HashMap<>();
    private final Deque<MockResponse> scripted = new ArrayDeque<>();
    private String liveSession;
    private boolean refuseEverySession;
    private String sessionRefusalCode;
    private int rateLimited;
    private String retryAfter;
    private int rateStatus = 429;
    private int cursorCounter;

    final AtomicInteger sessionRequests = new AtomicInteger();
    final AtomicInteger apiRequests = new AtomicInteger();
    final AtomicInteger rateLimitedAnswers = new AtomicInteger();

    FakeAdeServer() {
        this(CONSUMER_SECRET);
    }

    /** A server that expects the given consumer secret (the client may hold another one). */
    FakeAdeServer(String consumerSecret) {
        this.consumerSecret = consumerSecret;
    }

    static AdeServerToken token() {
        return new AdeServerToken(CONSUMER_KEY, CONSUMER_SECRET, ACCESS_TOKEN, ACCESS_SECRET,
                Instant.now().plusSeconds(86_400));
    }

    // ------------------------------------------------------------------------------------------ test controls

    synchronized void addDevices(int count) {
        int start = devices.size();
        for (int i = start; i < start + count; i++) {
            ObjectNode d = device(String.format("C0%010d", i));
            devices.add(d);
            bySerial.put(d.path("serial_number").asText(), d);
        }
    }

    synchronized void addDevice(String serial) {
        ObjectNode d = device(serial);
        devices.add(d);
        bySerial.put(serial, d);
        change(d, "added");
    }

    synchronized void modifyDevice(String serial, String assetTag) {
        ObjectNode d = find(serial);
        d.put("asset_tag", assetTag);
        change(d, "modified");
    }

    synchronized void removeDevice(String serial) {
        ObjectNode d = find(serial);
        devices.remove(d);
        bySerial.remove(serial);
        change(d, "deleted");
    }

    synchronized void expireCursors() {
        expiredCursors.addAll(cursors.keySet());
    }

    synchronized void expireSessions() {
        liveSession = null;
    }

    synchronized void refuseEverySession(boolean refuse) {
        refuseEverySession = refuse;
    }

    synchronized void refuseSessionWith(String code) {
        sessionRefusalCode = code;
    }

    synchronized void rateLimit(int answers, int status, String retryAfterValue) {
        rateLimited = answers;
        rateStatus = status;
        retryAfter = retryAfterValue;
    }

    /** The next API answers (after authentication) are these, verbatim. */
    synchronized void script(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    synchronized int deviceCount() {
        return devices.size();
    }

    synchronized ObjectNode profile(String uuid) {
        return profiles.get(uuid);
    }

    synchronized String profileOf(String serial) {
        ObjectNode d = find(serial);
        return d == null ? null : d.path("profile_uuid").asText(null);
    }

    // ------------------------------------------------------------------------------------------ dispatch

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        try {
            HttpUrl url = request.getRequestUrl();
            String path = url.encodedPath();
            if (rateLimited > 0) {
                rateLimited--;
                rateLimitedAnswers.incrementAndGet();
                MockResponse r = new MockResponse().setResponseCode(rateStatus).setBody("Too Many Requests");
                return retryAfter == null ? r : r.setHeader("Retry-After", retryAfter);
            }
            if (path.equals("/session")) {
                return session(request, url);
            }
            apiRequests.incrementAndGet();
            if (!"3".equals(request.getHeader("X-Server-Protocol-Version"))) {
                return error(400, "X-Server-Protocol-Version missing");
            }
            String presented = request.getHeader("X-ADM-Auth-Session");
            if (refuseEverySession || presented == null || !presented.equals(liveSession)) {
                return error(401, "UNAUTHORIZED");
            }
            liveSession = newSession();
            MockResponse response;
            if (!scripted.isEmpty()) {
                response = scripted.poll();
            } else {
                response = route(request, path, url);
            }
            return response.setHeader("X-ADM-Auth-Session", liveSession);
        } catch (RuntimeException e) {
            return error(500, "INTERNAL_ERROR " + e);
        }
    }

    private MockResponse route(RecordedRequest request, String path, HttpUrl url) {
        String method = request.getMethod();
        if (!method.equals("GET")) {
            String type = request.getHeader("Content-Type");
            if (type == null || !type.startsWith("application/json")) {
                return error(400, "MALFORMED_REQUEST_BODY");
            }
        }
        JsonNode body = method.equals("GET") ? mapper.createObjectNode() : readBody(request);
        if (body == null) {
            return error(400, "MALFORMED_REQUEST_BODY");
        }
        return switch (method + " " + path) {
            case "GET /account" -> json(account());
            case "POST /server/devices" -> fetch(body);
            case "POST /devices/sync" -> sync(body);
            case "POST /devices" -> details(body);
            case "POST /profile" -> defineProfile(body);
            case "GET /profile" -> getProfile(url.queryParameter("profile_uuid"));
            case "POST /profile/devices" -> assign(body);
            case "DELETE /profile/devices" -> removeProfile(body);
            case "POST /devices/disown" -> disown(body);
            default -> error(404, "NOT_FOUND");
        };
    }

    private MockResponse session(RecordedRequest request, HttpUrl url) {
        sessionRequests.incrementAndGet();
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("OAuth ")) {
            return error(401, "UNAUTHORIZED");
        }
        Map<String, String> params = new TreeMap<>();
        for (String part : authorization.substring(6).split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq < 0 || !p.endsWith("\"") || p.charAt(eq + 1) != '"') {
                return error(400, "oauth_problem=parameter_rejected");
            }
            params.put(decode(p.substring(0, eq)), decode(p.substring(eq + 2, p.length() - 1)));
        }
        if (!"ADM".equals(params.remove("realm"))) {
            return error(400, "oauth_problem=realm_missing");
        }
        String signature = params.remove("oauth_signature");
        if (signature == null || !CONSUMER_KEY.equals(params.get("oauth_consumer_key"))
                || !ACCESS_TOKEN.equals(params.get("oauth_token"))
                || !"HMAC-SHA1".equals(params.get("oauth_signature_method"))) {
            return error(401, "UNAUTHORIZED");
        }
        long timestamp = Long.parseLong(params.getOrDefault("oauth_timestamp", "0"));
        if (Math.abs(Instant.now().getEpochSecond() - timestamp) > 300) {
            return error(401, "UNAUTHORIZED");
        }
        if (!usedNonces.add(params.get("oauth_nonce"))) {
            return error(401, "UNAUTHORIZED");
        }
        for (int i = 0; i < url.querySize(); i++) {
            params.put(url.queryParameterName(i), url.queryParameterValue(i));
        }
        if (!signature.equals(expectedSignature(request.getMethod(), url, params))) {
            return error(401, "UNAUTHORIZED");
        }
        if (sessionRefusalCode != null) {
            return error(403, sessionRefusalCode);
        }
        liveSession = newSession();
        return json(mapper.createObjectNode().put("auth_session_token", liveSession));
    }

    /** Signature computed independently of the client's code: URLEncoder-based encoding, TreeMap ordering. */
    private String expectedSignature(String method, HttpUrl url, Map<String, String> sortedParams) {
        StringBuilder normalized = new StringBuilder();
        Map<String, String> encoded = new TreeMap<>();
        sortedParams.forEach((k, v) -> encoded.put(enc(k), enc(v)));
        encoded.forEach((k, v) -> normalized.append(normalized.length() == 0 ? "" : "&").append(k).append('=').append(v));
        String uri = url.scheme() + "://" + url.host() + (url.port() == 80 || url.port() == 443 ? "" : ":" + url.port())
                + url.encodedPath();
        String base = method + "&" + enc(uri) + "&" + enc(normalized.toString());
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec((enc(consumerSecret) + "&" + enc(ACCESS_SECRET)).getBytes(StandardCharsets.UTF_8),
                    "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(base.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A").replace("%7E", "~");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    private MockResponse fetch(JsonNode body) {
        int limit = body.path("limit").asInt(100);
        if (limit < 1 || limit > 1000) {
            return error(400, "INVALID_LIMIT");
        }
        long offset = 0;
        long position = changes.size();
        if (body.hasNonNull("cursor")) {
            long[] state = cursor(body.get("cursor").asText());
            if (state == null) {
                return error(400, expiredCursors.contains(body.get("cursor").asText()) ? "EXPIRED_CURSOR" : "INVALID_CURSOR");
            }
            offset = state[0];
            position = state[1];
        }
        int end = (int) Math.min(devices.size(), offset + limit);
        ArrayNode page = mapper.createArrayNode();
        for (int i = (int) offset; i < end; i++) {
            page.add(devices.get(i));
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.set("devices", page);
        answer.put("cursor", newCursor(end, position));
        answer.put("more_to_follow", end < devices.size());
        answer.put("fetched_until", "2026-11-26T06:00:00Z");
        return json(answer);
    }

    private MockResponse sync(JsonNode body) {
        int limit = body.path("limit").asInt(100);
        if (limit < 1 || limit > 1000) {
            return error(400, "INVALID_LIMIT");
        }
        if (!body.hasNonNull("cursor")) {
            return error(400, "CURSOR_REQUIRED");
        }
        String id = body.get("cursor").asText();
        long[] state = cursor(id);
        if (state == null) {
            return error(400, expiredCursors.contains(id) ? "EXPIRED_CURSOR" : "INVALID_CURSOR");
        }
        int start = (int) state[1];
        int end = Math.min(changes.size(), start + limit);
        ArrayNode page = mapper.createArrayNode();
        for (int i = start; i < end; i++) {
            page.add(changes.get(i));
        }
        ObjectNode answer = mapper.createObjectNode();
        answer.set("devices", page);
        answer.put("cursor", newCursor(0, end));
        answer.put("more_to_follow", end < changes.size());
        return json(answer);
    }

    private MockResponse details(JsonNode body) {
        ObjectNode out = mapper.createObjectNode();
        for (JsonNode serial : body.path("devices")) {
            ObjectNode d = find(serial.asText());
            if (d == null) {
                out.set(serial.asText(), mapper.createObjectNode().put("response_status", "NOT_ACCESSIBLE"));
            } else {
                out.set(serial.asText(), d.deepCopy().put("response_status", "SUCCESS"));
            }
        }
        return json(mapper.createObjectNode().set("devices", out));
    }

    private MockResponse defineProfile(JsonNode body) {
        if (!body.hasNonNull("profile_name") || !body.hasNonNull("url")) {
            return error(400, "CONFIG_NAME_REQUIRED");
        }
        if (body.path("devices").size() > 1000) {
            return error(400, "DEVICE_LIMIT_EXCEEDED");
        }
        String uuid = UUID.randomUUID().toString().replace("-", "").toUpperCase();
        ObjectNode stored = ((ObjectNode) body).deepCopy();
        stored.remove("devices");
        profiles.put(uuid, stored);
        ObjectNode answer = mapper.createObjectNode().put("profile_uuid", uuid);
        answer.set("devices", assignTo(uuid, body.path("devices")));
        return json(answer);
    }

    private MockResponse getProfile(String uuid) {
        ObjectNode p = uuid == null ? null : profiles.get(uuid);
        return p == null ? error(400, "PROFILE_NOT_FOUND") : json(p.deepCopy().put("profile_uuid", uuid));
    }

    private MockResponse assign(JsonNode body) {
        String uuid = body.path("profile_uuid").asText(null);
        if (uuid == null || !profiles.containsKey(uuid)) {
            return error(400, "PROFILE_NOT_FOUND");
        }
        if (body.path("devices").size() > 1000) {
            return error(400, "DEVICE_LIMIT_EXCEEDED");
        }
        ObjectNode answer = mapper.createObjectNode().put("profile_uuid", uuid);
        answer.set("devices", assignTo(uuid, body.path("devices")));
        return json(answer);
    }

    private ObjectNode assignTo(String uuid, JsonNode serials) {
        return perDevice(serials, d -> d.put("profile_uuid", uuid).put("profile_status", "assigned"));
    }

    private MockResponse removeProfile(JsonNode body) {
        return json(mapper.createObjectNode().set("devices", perDevice(body.path("devices"), d -> {
            d.remove("profile_uuid");
            d.put("profile_status", "removed");
        })));
    }

    private MockResponse disown(JsonNode body) {
        return json(mapper.createObjectNode().set("devices", perDevice(body.path("devices"), d -> {
            devices.remove(d);
            bySerial.remove(d.path("serial_number").asText());
            change(d, "deleted");
        })));
    }

    /** Applies {@code action} to each known device; unknown serial numbers are NOT_ACCESSIBLE. */
    private ObjectNode perDevice(JsonNode serials, java.util.function.Consumer<ObjectNode> action) {
        ObjectNode statuses = mapper.createObjectNode();
        for (JsonNode serial : serials) {
            ObjectNode d = find(serial.asText());
            if (d == null) {
                statuses.put(serial.asText(), "NOT_ACCESSIBLE");
            } else {
                action.accept(d);
                statuses.put(serial.asText(), "SUCCESS");
            }
        }
        return statuses;
    }

    private ObjectNode account() {
        ObjectNode a = mapper.createObjectNode()
                .put("server_name", "Orchard Test Server")
                .put("server_uuid", "677cd0a8-4a1b-4b06-9b2b-6f9b2e4a1f00")
                .put("admin_id", "admin@example.com")
                .put("org_name", "Orchard Org")
                .put("org_email", "it@example.com")
                .put("org_phone", "+1 555 0100")
                .put("org_address", "1 Infinite Loop")
                .put("org_id", "123456")
                .put("org_id_hash", "0123456789abcdef")
                .put("org_type", "org")
                .put("org_version", "v2");
        ArrayNode urls = a.putArray("urls");
        ObjectNode u = urls.addObject().put("uri", "/server/devices");
        u.putArray("http_method").add("POST");
        u.putObject("limit").put("default", 100).put("maximum", 1000);
        return a;
    }

    // ------------------------------------------------------------------------------------------ helpers

    private ObjectNode device(String serial) {
        ObjectNode d = mapper.createObjectNode();
        d.put("serial_number", serial)
                .put("model", "MacBook Pro")
                .put("description", "MBP 14.2 SPG/8C CPU/10C GPU")
                .put("color", "SPACE GRAY")
                .put("asset_tag", "")
                .put("os", "OSX")
                .put("device_family", "Mac")
                .put("profile_status", "empty")
                .put("device_assigned_date", "2026-01-02T03:04:05Z")
                .put("device_assigned_by", "admin@example.com");
        return d;
    }

    private void change(ObjectNode device, String op) {
        ObjectNode c = device.deepCopy();
        c.put("op_type", op).put("op_date", "2026-11-26T06:00:00Z");
        changes.add(c);
    }

    private ObjectNode find(String serial) {
        return bySerial.get(serial);
    }

    private long[] cursor(String id) {
        if (expiredCursors.contains(id)) {
            return null;
        }
        return cursors.get(id);
    }

    private String newCursor(long offset, long position) {
        String id = "MTpj" + (++cursorCounter) + "x" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        cursors.put(id, new long[] {offset, position});
        return id;
    }

    private String newSession() {
        return "AAAA" + UUID.randomUUID().toString().replace("-", "");
    }

    private JsonNode readBody(RecordedRequest request) {
        try {
            JsonNode node = mapper.readTree(request.getBody().readUtf8());
            return node != null && node.isObject() ? node : null;
        } catch (Exception e) {
            return null;
        }
    }

    private MockResponse json(JsonNode node) {
        return new MockResponse().setResponseCode(200).setHeader("Content-Type", "application/json;charset=UTF8")
                .setBody(node.toString());
    }

    private static MockResponse error(int status, String code) {
        return new MockResponse().setResponseCode(status).setBody(code);
    }

}
