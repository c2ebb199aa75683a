package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Clock;
import java.time.Duration;
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
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A strict stand-in for Apple's OAuth 2 token endpoint and the School and Business Manager API. The token endpoint
 * checks the form fields and the client assertion as Apple documents it (ES256 signature verified with the account's
 * public key, {@code kid}, {@code sub} = {@code iss} = client id, {@code aud}, {@code iat}, {@code exp} within
 * 180 days, a {@code jti} never seen before, the scope of the account's kind) and issues expiring bearer tokens. The
 * API serves {@code orgDevices}, {@code mdmServers} (with their device linkages) and {@code orgDeviceActivities}
 * with cursor pagination, rate limiting and scripted hostile answers.
 */
final class FakeAbmApiServer extends Dispatcher {

    static final String TOKEN_PATH = "/auth/oauth2/v2/token";
    private static final Pattern B64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final int DEFAULT_LIMIT = 100;

    private final ObjectMapper mapper = new ObjectMapper();
    private final String clientId;
    private final String keyId;
    private final PublicKey publicKey;
    private final HttpUrl origin;
    private final Clock clock;
    private final Set<String> seenJti = new HashSet<>();
    private final Map<String, Instant> tokens = new HashMap<>();
    private final Map<String, ObjectNode> devices = new LinkedHashMap<>();
    private final Map<String, String> assignedServer = new HashMap<>();
    private final Map<String, ObjectNode> servers = new LinkedHashMap<>();
    private final Map<String, Activity> activities = new HashMap<>();
    private final Deque<MockResponse> scripted = new ArrayDeque<>();
    private long expiresIn = 3600;
    private int rateLimited;
    private String retryAfter;
    private boolean cursorOnly;
    private int activityPolls = 1;

    final List<String> rejections = new ArrayList<>();
    final List<String> grantedScopes = new ArrayList<>();
    final List<JsonNode> activityRequests = new ArrayList<>();
    final List<Integer> limitsAsked = new ArrayList<>();
    final AtomicInteger tokensIssued = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final AtomicInteger apiRequests = new AtomicInteger();

    private static final class Activity {
        final String id;
        final String type;
        final String server;
        final List<String> devices;
        int pollsLeft;
        String status = "IN_PROGRESS";
        String subStatus = "SUBMITTED";

        Activity(String id, String type, String server, List<String> devices, int pollsLeft) {
            this.id = id;
            this.type = type;
            this.server = server;
            this.devices = devices;
            this.pollsLeft = pollsLeft;
        }
    }

    FakeAbmApiServer(String clientId, String keyId, PublicKey publicKey, HttpUrl origin, Clock clock) {
        this.clientId = clientId;
        this.keyId = keyId;
        this.publicKey = publicKey;
        this.origin = origin;
        this.clock = clock;
    }

    HttpUrl tokenUrl() {
        return origin.resolve(TOKEN_PATH);
    }

    HttpUrl apiUrl() {
        return origin.resolve("/v1/");
    }

    // ------------------------------------------------------------------------------------------------ set-up

    synchronized void addServer(String id, String name) {
        ObjectNode s = mapper.createObjectNode().put("type", "mdmServers").put("id", id);
        s.putObject("attributes").put("serverName", name).put("serverType", "MDM")
                .put("createdDateTime", "2025-05-01T03:21:44.685Z").put("updatedDateTime", "2025-05-01T03:21:46.284Z");
        servers.put(id, s);
    }

    /** Adds {@code count} devices; every {@code everyNth} one (0: none) is assigned to {@code server}. */
    synchronized List<String> addDevices(int count, String server, int everyNth) {
        String[][] kinds = {{"iPhone", "iPhone 15", "iPhone15,4"}, {"iPad", "iPad Air", "iPad13,16"},
                {"Mac", "MacBook Pro", "Mac15,3"}, {"AppleTV", "Apple TV 4K", "AppleTV14,1"}};
        List<String> added = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String serial = String.format("F%011d", devices.size());
            String[] kind = kinds[devices.size() % kinds.length];
            boolean assigned = everyNth > 0 && i % everyNth == 0;
            ObjectNode a = mapper.createObjectNode().put("serialNumber", serial)
                    .put("addedToOrgDateTime", "2025-04-30T22:05:14.192Z").putNull("releasedFromOrgDateTime")
                    .put("updatedDateTime", "2025-05-01T15:33:54.164Z").put("deviceModel", kind[1])
                    .put("productFamily", kind[0]).put("productType", kind[2]).put("deviceCapacity", "256GB")
                    .put("partNumber", "MTP43LL/A").put("orderNumber", "1234567890").put("color", "BLACK")
                    .put("status", assigned ? "ASSIGNED" : "UNASSIGNED").put("purchaseSourceType", "APPLE");
            a.putArray("imei").add("35" + String.format("%013d", devices.size()));
            devices.put(serial, a);
            if (assigned) {
                assignedServer.put(serial, server);
            }
            added.add(serial);
        }
        return added;
    }

    synchronized String assignedServerOf(String serial) {
        return assignedServer.get(serial);
    }

    synchronized void expiresIn(long seconds) {
        expiresIn = seconds;
    }

    /** Makes every token issued so far invalid (as if it had expired on Apple's side). */
    synchronized void expireAllTokens() {
        tokens.clear();
    }

    synchronized void rateLimit(int answers, String retryAfterValue) {
        rateLimited = answers;
        retryAfter = retryAfterValue;
    }

    /** Pages carry only {@code meta.paging.nextCursor}, no {@code links.next}. */
    synchronized void cursorOnly(boolean value) {
        cursorOnly = value;
    }

    /** How many status reads an activity takes to complete (a large number: it never completes in time). */
    synchronized void activityPolls(int polls) {
        activityPolls = polls;
    }

    /** Answers the next API requests (after the bearer check) with these, in order. */
    synchronized void script(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    // ------------------------------------------------------------------------------------------------ dispatch

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        HttpUrl url = request.getRequestUrl();
        if (url != null && url.encodedPath().equals(TOKEN_PATH)) {
            return token(request);
        }
        apiRequests.incrementAndGet();
        String auth = request.getHeader("Authorization");
        String bearer = auth != null && auth.startsWith("Bearer ") ? auth.substring(7) : null;
        Instant expiry = bearer == null ? null : tokens.get(bearer);
        if (expiry == null || !clock.instant().isBefore(expiry)) {
            unauthorized.incrementAndGet();
            return error(401, "UNAUTHORIZED", "Authentication credentials are missing or invalid.");
        }
        if (rateLimited > 0) {
            rateLimited--;
            MockResponse r = error(429, "RATE_LIMIT_EXCEEDED", "The request rate limit has been reached.");
            return retryAfter == null ? r : r.setHeader("Retry-After", retryAfter);
        }
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        if (url == null) {
            return error(400, "PARAMETER_ERROR.INVALID", "no URL");
        }
        List<String> path = url.pathSegments();
        if (path.isEmpty() || !path.get(0).equals("v1")) {
            return error(404, "NOT_FOUND", "unknown path");
        }
        path = path.subList(1, path.size());
        String method = request.getMethod();
        try {
            if (method.equals("GET") && path.equals(List.of("orgDevices"))) {
                return page(url, new ArrayList<>(devices.keySet()), this::deviceResource);
            }
            if (method.equals("GET") && path.size() == 2 && path.get(0).equals("orgDevices")) {
                ObjectNode d = devices.get(path.get(1));
                return d == null ? notFound() : document(deviceResource(path.get(1)));
            }
            if (method.equals("GET") && path.size() == 4 && path.get(0).equals("orgDevices")
                    && path.subList(2, 4).equals(List.of("relationships", "assignedServer"))) {
                if (!devices.containsKey(path.get(1))) {
                    return notFound();
                }
                String server = assignedServer.get(path.get(1));
                ObjectNode doc = mapper.createObjectNode();
                if (server == null) {
                    doc.putNull("data");
                } else {
                    doc.putObject("data").put("type", "mdmServers").put("id", server);
                }
                return json(200, doc);
            }
            if (method.equals("GET") && path.equals(List.of("mdmServers"))) {
                return page(url, new ArrayList<>(servers.keySet()), servers::get);
            }
            if (method.equals("GET") && path.size() == 4 && path.get(0).equals("mdmServers")
                    && path.subList(2, 4).equals(List.of("relationships", "devices"))) {
                String server = path.get(1);
                if (!servers.containsKey(server)) {
                    return notFound();
                }
                List<String> ids = devices.keySet().stream().filter(s -> server.equals(assignedServer.get(s)))
                        .toList();
                return page(url, ids, id -> mapper.createObjectNode().put("type", "orgDevices").put("id", id));
            }
            if (method.equals("POST") && path.equals(List.of("orgDeviceActivities"))) {
                return createActivity(request);
            }
            if (method.equals("GET") && path.size() == 2 && path.get(0).equals("orgDeviceActivities")) {
                Activity a = activities.get(path.get(1));
                if (a == null) {
                    return notFound();
                }
                if (a.status.equals("IN_PROGRESS") && --a.pollsLeft <= 0) {
                    complete(a);
                }
                return document(activityResource(a));
            }
        } catch (IllegalArgumentException e) {
            return error(400, "PARAMETER_ERROR.INVALID", e.getMessage());
        }
        return error(404, "NOT_FOUND", "The specified resource does not exist.");
    }

    private interface Renderer {
        ObjectNode render(String id);
    }

    private MockResponse page(HttpUrl url, List<String> ids, Renderer renderer) {
        String limitText = url.queryParameter("limit");
        int limit = limitText == null ? DEFAULT_LIMIT : Integer.parseInt(limitText);
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be within 1..1000");
        }
        limitsAsked.add(limit);
        String cursor = url.queryParameter("cursor");
        int offset = 0;
        if (cursor != null) {
            offset = Integer.parseInt(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8));
            if (offset < 0 || offset > ids.size()) {
                throw new IllegalArgumentException("bad cursor");
            }
        }
        ObjectNode doc = mapper.createObjectNode();
        ArrayNode data = doc.putArray("data");
        int end = Math.min(ids.size(), offset + limit);
        for (String id : ids.subList(offset, end)) {
            data.add(renderer.render(id));
        }
        ObjectNode links = doc.putObject("links").put("self", url.toString());
        ObjectNode paging = doc.putObject("meta").putObject("paging").put("total", ids.size()).put("limit", limit);
        if (end < ids.size()) {
            String next = Base64.getUrlEncoder().withoutPadding()
                    .encodeToString(Integer.toString(end).getBytes(StandardCharsets.UTF_8));
            paging.put("nextCursor", next);
            if (!cursorOnly) {
                links.put("next", url.newBuilder().setQueryParameter("cursor", next).build().toString());
            }
        }
        return json(200, doc);
    }

    private ObjectNode deviceResource(String serial) {
        ObjectNode d = mapper.createObjectNode().put("type", "orgDevices").put("id", serial);
        d.set("attributes", devices.get(serial).deepCopy());
        d.putObject("relationships").putObject("assignedServer").putObject("links")
                .put("self", apiUrl() + "orgDevices/" + serial + "/relationships/assignedServer");
        return d;
    }

    private MockResponse createActivity(RecordedRequest request) {
        JsonNode body;
        try {
            body = mapper.readTree(request.getBody().readUtf8());
        } catch (Exception e) {
            return error(400, "ENTITY_ERROR", "malformed JSON");
        }
        activityRequests.add(body);
        String contentType = request.getHeader("Content-Type");
        JsonNode data = body.path("data");
        String type = data.path("attributes").path("activityType").asText("");
        JsonNode server = data.path("relationships").path("mdmServer").path("data");
        JsonNode list = data.path("relationships").path("devices").path("data");
        if (contentType == null || !contentType.startsWith("application/json")
                || !data.path("type").asText().equals("orgDeviceActivities")
                || !(type.equals("ASSIGN_DEVICES") || type.equals("UNASSIGN_DEVICES"))
                || !server.path("type").asText().equals("mdmServers") || !list.isArray() || list.isEmpty()) {
            return error(400, "ENTITY_ERROR.ATTRIBUTE.INVALID", "invalid activity");
        }
        if (!servers.containsKey(server.path("id").asText())) {
            return error(404, "NOT_FOUND", "no such MDM server");
        }
        List<String> ids = new ArrayList<>();
        for (JsonNode d : list) {
            if (!d.path("type").asText().equals("orgDevices") || !d.path("id").isTextual()) {
                return error(400, "ENTITY_ERROR.RELATIONSHIP.INVALID", "invalid device");
            }
            ids.add(d.path("id").asText());
        }
        Activity a = new Activity(UUID.randomUUID().toString(), type, server.path("id").asText(), ids, activityPolls);
        activities.put(a.id, a);
        return json(201, mapper.createObjectNode().set("data", activityResource(a)));
    }

    private void complete(Activity a) {
        boolean failure = false;
        for (String serial : a.devices) {
            if (!devices.containsKey(serial)) {
                failure = true;
                continue;
            }
            if (a.type.equals("ASSIGN_DEVICES")) {
                assignedServer.put(serial, a.server);
                devices.get(serial).put("status", "ASSIGNED");
            } else if (a.server.equals(assignedServer.get(serial))) {
                assignedServer.remove(serial);
                devices.get(serial).put("status", "UNASSIGNED");
            }
        }
        a.status = "COMPLETED";
        a.subStatus = failure ? "COMPLETED_WITH_FAILURE" : "COMPLETED_WITH_SUCCESS";
    }

    private ObjectNode activityResource(Activity a) {
        ObjectNode r = mapper.createObjectNode().put("type", "orgDeviceActivities").put("id", a.id);
        ObjectNode attributes = r.putObject("attributes").put("status", a.status).put("subStatus", a.subStatus)
                .put("createdDateTime", "2025-05-01T18:22:27.106Z");
        if (!a.status.equals("IN_PROGRESS")) {
            attributes.put("completedDateTime", "2025-05-01T18:22:38.894Z")
                    .put("downloadUrl", origin.resolve("/report/" + a.id + ".csv").toString());
        }
        return r;
    }

    // ------------------------------------------------------------------------------------------------ token

    private MockResponse token(RecordedRequest request) {
        if (!request.getMethod().equals("POST")) {
            return reject("method", 405, "invalid_request");
        }
        String contentType = request.getHeader("Content-Type");
        if (contentType == null || !contentType.startsWith("application/x-www-form-urlencoded")) {
            return reject("content type " + contentType, 400, "invalid_request");
        }
        Map<String, String> form = new HashMap<>();
        for (String pair : request.getBody().readUtf8().split("&")) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return reject("malformed form", 400, "invalid_request");
            }
            String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
            if (form.put(key, URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8)) != null) {
                return reject("repeated field " + key, 400, "invalid_request");
            }
        }
        if (!form.keySet().equals(Set.of("grant_type", "client_id", "client_assertion_type", "client_assertion",
                "scope"))) {
            return reject("fields " + form.keySet(), 400, "invalid_request");
        }
        if (!"client_credentials".equals(form.get("grant_type"))) {
            return reject("grant_type", 400, "unsupported_grant_type");
        }
        if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))) {
            return reject("client_assertion_type", 400, "invalid_request");
        }
        if (!clientId.equals(form.get("client_id"))) {
            return reject("client_id", 400, "invalid_client");
        }
        String expectedScope = clientId.startsWith("BUSINESSAPI.") ? "business.api" : "school.api";
        if (!expectedScope.equals(form.get("scope"))) {
            return reject("scope " + form.get("scope"), 400, "invalid_scope");
        }
        String problem = checkAssertion(form.get("client_assertion"));
        if (problem != null) {
            return reject(problem, 400, "invalid_client");
        }
        String token = UUID.randomUUID().toString().replace("-", "") + UUID.randomUUID();
        tokens.put(token, clock.instant().plusSeconds(expiresIn));
        tokensIssued.incrementAndGet();
        grantedScopes.add(expectedScope);
        return json(200, mapper.createObjectNode().put("access_token", token).put("token_type", "Bearer")
                .put("expires_in", expiresIn).put("scope", expectedScope));
    }

    /** Apple's checks of the client assertion; null when it is good. */
    private String checkAssertion(String jwt) {
        String[] parts = jwt.split("\\.", -1);
        if (parts.length != 3) {
            return "assertion is not a compact JWS";
        }
        for (String part : parts) {
            if (!B64URL.matcher(part).matches()) {
                return "assertion is not base64url without padding";
            }
        }
        try {
            JsonNode header = mapper.readTree(Base64.getUrlDecoder().decode(parts[0]));
            JsonNode claims = mapper.readTree(Base64.getUrlDecoder().decode(parts[1]));
            if (!"ES256".equals(header.path("alg").asText()) || !keyId.equals(header.path("kid").asText())) {
                return "header alg/kid";
            }
            byte[] signature = Base64.getUrlDecoder().decode(parts[2]);
            if (signature.length != 64) {
                return "signature is not 64 bytes r||s";
            }
            Signature verifier = Signature.getInstance("SHA256withECDSAinP1363Format");
            verifier.initVerify(publicKey);
            verifier.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
            if (!verifier.verify(signature)) {
                return "signature";
            }
            if (!clientId.equals(claims.path("sub").asText()) || !clientId.equals(claims.path("iss").asText())) {
                return "sub/iss";
            }
            if (!tokenUrl().toString().equals(claims.path("aud").asText())) {
                return "aud " + claims.path("aud").asText();
            }
            if (!claims.path("iat").isIntegralNumber() || !claims.path("exp").isIntegralNumber()) {
                return "iat/exp not numbers";
            }
            long now = clock.instant().getEpochSecond();
            long iat = claims.path("iat").asLong();
            long exp = claims.path("exp").asLong();
            if (iat > now + 60 || exp <= now || exp <= iat || exp - iat > Duration.ofDays(180).toSeconds()) {
                return "iat/exp window";
            }
            String jti = claims.path("jti").asText("");
            if (jti.isEmpty() || !seenJti.add(jti)) {
                return "jti missing or replayed";
            }
            return null;
        } catch (Exception e) {
            return "assertion unreadable: " + e.getClass().getSimpleName();
        }
    }

    private MockResponse reject(String reason, int status, String error) {
        rejections.add(reason);
        return json(status, mapper.createObjectNode().put("error", error));
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private MockResponse document(ObjectNode resource) {
        ObjectNode doc = mapper.createObjectNode();
        doc.set("data", resource);
        doc.putObject("links").put("self", apiUrl().toString());
        return json(200, doc);
    }

    private MockResponse notFound() {
        return error(404, "NOT_FOUND", "The specified resource does not exist.");
    }

    private MockResponse error(int status, String code, String detail) {
        ObjectNode doc = mapper.createObjectNode();
        doc.putArray("errors").addObject().put("id", UUID.randomUUID().toString())
                .put("status", Integer.toString(status)).put("code", code).put("title", code).put("detail", detail);
        return json(status, doc);
    }

    private MockResponse json(int status, JsonNode body) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody(body.toString());
    }
}
