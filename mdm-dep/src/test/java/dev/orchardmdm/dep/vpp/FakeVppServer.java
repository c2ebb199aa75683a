package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.dep.support.Fixtures;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.RecordedRequest;

/**
 * A strict stand-in for Apple's Apps and Books v2 service: bearer token check (answering 9622), the client config of
 * Zentral's captured answer, a small {@code maxSerialNumbers} enforced on associate/disassociate, paged assets and
 * assignments with a {@code versionId} that can change mid-walk, rate limiting and scripted hostile answers.
 */
final class FakeVppServer extends Dispatcher {

    private final ObjectMapper mapper = new ObjectMapper();
    private final Set<String> validTokens = new HashSet<>();
    private final List<ObjectNode> assets = new ArrayList<>();
    private final List<ObjectNode> assignments = new ArrayList<>();
    private final Deque<MockResponse> scripted = new ArrayDeque<>();
    private ObjectNode clientConfig;
    private final int maxSerialNumbers;
    private final int pageSize;
    private String versionId = "v1";
    private int changeVersionAfterPages = -1;
    private int rateLimited;
    private String retryAfter;

    final List<JsonNode> managementCalls = new ArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();

    FakeVppServer(String token, int maxSerialNumbers, int pageSize) throws Exception {
        validTokens.add(token);
        this.maxSerialNumbers = maxSerialNumbers;
        this.pageSize = pageSize;
        clientConfig = (ObjectNode) mapper.readTree(Fixtures.bytes("server_token_client_config_response.json"));
    }

    synchronized void replaceToken(String oldToken, String newToken) {
        validTokens.remove(oldToken);
        validTokens.add(newToken);
    }

    synchronized void addAssets(int count) {
        for (int i = 0; i < count; i++) {
            String adamId = Long.toString(361_000_000L + assets.size());
            ObjectNode a = mapper.createObjectNode().put("adamId", adamId).put("pricingParam", "STDQ")
                    .put("productType", "App").put("deviceAssignable", true).put("revocable", true)
                    .put("assignedCount", 1).put("availableCount", 9).put("retiredCount", 0).put("totalCount", 10);
            a.putArray("supportedPlatforms").add("iOS").add("macOS");
            assets.add(a);
            assignments.add(mapper.createObjectNode().put("adamId", adamId).put("pricingParam", "STDQ")
                    .put("serialNumber", "SERIAL" + i));
            assignments.add(mapper.createObjectNode().put("adamId", adamId).put("pricingParam", "STDQ")
                    .put("clientUserId", "user-" + i));
        }
    }

    synchronized void changeVersionAfter(int pages) {
        changeVersionAfterPages = pages;
    }

    synchronized void rateLimit(int answers, String retryAfterValue) {
        rateLimited = answers;
        retryAfter = retryAfterValue;
    }

    synchronized void script(MockResponse... responses) {
        scripted.addAll(List.of(responses));
    }

    @Override
    public synchronized MockResponse dispatch(RecordedRequest request) {
        requests.incrementAndGet();
        if (rateLimited > 0) {
            rateLimited--;
            return new MockResponse().setResponseCode(429).setHeader("Retry-After", retryAfter);
        }
        String auth = request.getHeader("Authorization");
        if (auth == null || !auth.startsWith("Bearer ") || !validTokens.contains(auth.substring(7))) {
            unauthorized.incrementAndGet();
            return error(401, 9622, "Invalid authentication token.");
        }
        if (!scripted.isEmpty()) {
            return scripted.poll();
        }
        HttpUrl url = request.getRequestUrl();
        String path = url.encodedPath().replaceFirst("^/mdm/v2/", "");
        try {
            return switch (request.getMethod() + " " + path) {
                case "GET client/config" -> json(clientConfig);
                case "POST client/config" -> updateConfig(mapper.readTree(request.getBody().readUtf8()));
                case "GET service/config" -> serviceConfig();
                case "GET assets" -> page(url, assets, "assets");
                case "GET assignments" -> page(url, assignments, "assignments");
                case "POST assets/associate", "POST assets/disassociate" ->
                        manage(mapper.readTree(request.getBody().readUtf8()));
                default -> error(404, 9600, "Missing required argument.");
            };
        } catch (Exception e) {
            return error(400, 9602, "Invalid argument.");
        }
    }

    private MockResponse updateConfig(JsonNode body) {
        if (!body.path("mdmInfo").hasNonNull("id")) {
            return error(400, 9600, "Missing required argument.");
        }
        clientConfig.set("mdmInfo", body.get("mdmInfo"));
        clientConfig.put("notificationUrl", body.path("notificationUrl").asText());
        clientConfig.put("notificationAuthToken", body.path("notificationAuthToken").asText());
        clientConfig.set("subscribedNotificationTypes", body.path("notificationTypes"));
        return json(clientConfig);
    }

    private MockResponse serviceConfig() {
        ObjectNode config = mapper.createObjectNode();
        config.putObject("limits").put("maxSerialNumbers", maxSerialNumbers).put("maxAssets", 25);
        config.putObject("urls").put("contentMetadataLookup", "https://uclient-api.itunes.apple.com/WebObjects/MZStorePlatform.woa/wa/lookup");
        config.putArray("notificationTypes").add("ASSET_MANAGEMENT").add("ASSET_COUNT");
        return json(config);
    }

    private MockResponse page(HttpUrl url, List<ObjectNode> all, String field) {
        String adamId = url.queryParameter("adamId");
        List<ObjectNode> items = new ArrayList<>();
        for (ObjectNode item : all) {
            if (adamId == null || adamId.equals(item.path("adamId").asText())) {
                items.add(item);
            }
        }
        int index = Integer.parseInt(url.queryParameter("pageIndex"));
        int totalPages = Math.max(1, (items.size() + pageSize - 1) / pageSize);
        if (index < 0 || index >= totalPages) {
            return error(400, 9602, "Invalid argument.");
        }
        if (changeVersionAfterPages >= 0 && index >= changeVersionAfterPages) {
            versionId = "v2";
        }
        ObjectNode answer = mapper.createObjectNode();
        ArrayNode list = answer.putArray(field);
        items.subList(index * pageSize, Math.min(items.size(), (index + 1) * pageSize)).forEach(list::add);
        answer.put("currentPageIndex", index).put("size", items.size()).put("totalPages", totalPages)
                .put("versionId", versionId).put("uId", "981060278089131045")
                .put("tokenExpirationDate", "2027-09-26T08:30:39+0000");
        if (index + 1 < totalPages) {
            answer.put("nextPageIndex", index + 1);
        }
        return json(answer);
    }

    private MockResponse manage(JsonNode body) {
        if (!body.path("assets").isArray() || body.path("assets").isEmpty() || !body.path("serialNumbers").isArray()) {
            return error(400, 9600, "Missing required argument.");
        }
        if (body.path("serialNumbers").size() > maxSerialNumbers) {
            return error(400, 9602, "Invalid argument.");
        }
        for (JsonNode a : body.path("assets")) {
            boolean owned = assets.stream().anyMatch(x -> x.path("adamId").asText().equals(a.path("adamId").asText()));
            if (!owned) {
                return error(400, 9610, "License not found.");
            }
        }
        managementCalls.add(body);
        return json(mapper.createObjectNode().put("eventId", UUID.randomUUID().toString())
                .put("uId", "981060278089131045").put("tokenExpirationDate", "2027-09-26T08:30:39+0000"));
    }

    private MockResponse json(JsonNode node) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(node.toString());
    }

    static MockResponse error(int status, int number, String message) {
        return new MockResponse().setResponseCode(status).setHeader("Content-Type", "application/json")
                .setBody("{\"errorNumber\":" + number + ",\"errorMessage\":\"" + message + "\"}");
    }
}
