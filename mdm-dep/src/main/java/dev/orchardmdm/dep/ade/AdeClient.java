package dev.orchardmdm.dep.ade;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AssignmentResult;
import dev.orchardmdm.dep.ClientBuilder;
import dev.orchardmdm.dep.DeviceSource;
import dev.orchardmdm.dep.SyncResult;
import dev.orchardmdm.dep.http.HttpExchange;
import dev.orchardmdm.dep.http.Json;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of Apple's legacy ADE (DEP) API for one MDM server, authenticated by its OAuth 1 server token.
 *
 * <p>It opens a session with an OAuth 1.0a HMAC-SHA1 signed {@code GET /session}, sends the session token as
 * {@code X-ADM-Auth-Session} and adopts the refreshed one from every answer; on 401/403 it opens a new session and
 * retries, a bounded number of times. 429/503 are retried as its {@link RetryPolicy} says. Every paged walk is
 * bounded. Thread-safe: one instance per server token, shared by all threads.
 *
 * <pre>{@code
 * AdeClient ade = AdeClient.builder(AdeServerToken.parse(decryptedJson)).build();
 * AdeAccount account = ade.account();
 * SyncResult r = ade.syncDevices(storedCursor, page -> store.upsert(page));
 * }</pre>
 */
public final class AdeClient implements DeviceSource<AdeDevice> {

    /** Apple's production endpoint. */
    public static final HttpUrl DEFAULT_BASE_URL = HttpUrl.get("https://mdmenrollment.apple.com/");
    /** The protocol version sent in {@code X-Server-Protocol-Version}. */
    public static final String PROTOCOL_VERSION = "3";
    /** Apple's maximum page size and batch size. */
    public static final int MAX_BATCH = 1000;

    static final String SESSION_HEADER = "X-ADM-Auth-Session";
    private static final Logger LOG = LoggerFactory.getLogger(AdeClient.class);
    private static final MediaType JSON_UTF8 = MediaType.get("application/json;charset=UTF8");
    private static final Set<String> TERMINAL_AUTH_CODES = Set.of("ACCESS_DENIED", "T_C_NOT_SIGNED");
    private static final int MAX_EMPTY_PAGES = 5;

    private final AdeServerToken token;
    private final HttpUrl baseUrl;
    private final HttpExchange http;
    private final OAuth1Signer signer;
    private final Clock clock;
    private final int maxSessionRenewals;
    private final int pageLimit;
    private final int maxPages;
    private final Object sessionLock = new Object();
    private String session;

    private AdeClient(Builder b) {
        this.token = b.token;
        this.baseUrl = b.baseUrl();
        this.clock = b.clock();
        this.http = b.exchange("ADE");
        this.signer = new OAuth1Signer(token.consumerKey(), token.consumerSecret(), token.accessToken(),
                token.accessSecret(), clock, b.random);
        this.maxSessionRenewals = b.maxSessionRenewals;
        this.pageLimit = b.pageLimit;
        this.maxPages = b.maxPages();
    }

    /** A builder for the given server token. */
    public static Builder builder(AdeServerToken token) {
        return new Builder(token);
    }

    // ------------------------------------------------------------------------------------------------ account

    /** {@code GET account}: the organisation and MDM server of this token. */
    public AdeAccount account() throws AbmException {
        return AdeAccount.fromJson(call("GET", "account", null, "account"));
    }

    // ------------------------------------------------------------------------------------------------ devices

    /** One page of {@code POST server/devices} (all devices), starting at {@code cursor} (null for the start). */
    public DevicePage fetchDevicesPage(String cursor, int limit) throws AbmException {
        return page("server/devices", cursor, limit);
    }

    /** One page of {@code POST devices/sync} (changes since {@code cursor}). */
    public DevicePage syncDevicesPage(String cursor, int limit) throws AbmException {
        Objects.requireNonNull(cursor, "a delta sync needs a cursor");
        return page("devices/sync", cursor, limit);
    }

    /**
     * Walks every device ({@code cursor == null}) or the changes since {@code cursor}, page by page; falls back to a
     * full walk when Apple answers {@code EXPIRED_CURSOR}. A walk longer than the configured page bound, or one whose
     * cursor stops moving, ends with an {@link AbmResponseException}.
     */
    @Override
    public SyncResult syncDevices(String cursor, Consumer<? super List<AdeDevice>> handler) throws AbmException {
        Objects.requireNonNull(handler, "handler");
        if (cursor != null) {
            try {
                return walk("devices/sync", cursor, handler, false);
            } catch (AbmApiException e) {
                if (!"EXPIRED_CURSOR".equals(e.errorCode().orElse(null))) {
                    throw e;
                }
                LOG.info("ADE sync cursor expired, falling back to a full fetch");
                return walk("server/devices", null, handler, true);
            }
        }
        return walk("server/devices", null, handler, false);
    }

    private SyncResult walk(String path, String startCursor, Consumer<? super List<AdeDevice>> handler,
                            boolean cursorExpired) throws AbmException {
        boolean full = path.equals("server/devices");
        String cursor = startCursor;
        long count = 0;
        int emptyPages = 0;
        for (int pages = 1; pages <= maxPages; pages++) {
            DevicePage page = page(path, cursor, pageLimit);
            if (pages > 1 || !full) {
                // a delta walk may legitimately start and end on the same cursor when nothing changed
                if (page.moreToFollow() && Objects.equals(page.cursor(), cursor)) {
                    throw new AbmResponseException("ADE " + path + ": the cursor did not move, paging would not end",
                            200);
                }
            }
            handler.accept(page.devices());
            count += page.devices().size();
            emptyPages = page.devices().isEmpty() ? emptyPages + 1 : 0;
            if (!page.moreToFollow()) {
                return new SyncResult(full, page.cursor() != null ? page.cursor() : cursor, count, pages,
                        cursorExpired);
            }
            if (page.cursor() == null) {
                throw new AbmResponseException("ADE " + path + ": more_to_follow without a cursor", 200);
            }
            if (emptyPages > MAX_EMPTY_PAGES) {
                throw new AbmResponseException("ADE " + path + ": " + emptyPages
                        + " empty pages in a row with more_to_follow, paging would not end", 200);
            }
            cursor = page.cursor();
        }
        throw new AbmResponseException("ADE " + path + ": more than " + maxPages + " pages, giving up", 200);
    }

    private DevicePage page(String path, String cursor, int limit) throws AbmException {
        if (limit < 1 || limit > MAX_BATCH) {
            throw new IllegalArgumentException("limit must be within 1.." + MAX_BATCH);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("limit", limit);
        if (cursor != null) {
            body.put("cursor", cursor);
        }
        JsonNode node = call("POST", path, body, path);
        String what = "ADE " + path;
        JsonNode devices = node.get("devices");
        if (devices != null && devices.isArray() && devices.size() > limit) {
            throw new AbmResponseException(what + ": " + devices.size() + " devices for a limit of " + limit, 200);
        }
        return DevicePage.fromJson(node, what);
    }

    /** {@code POST devices}: details of the given devices, in batches of {@value #MAX_BATCH}. */
    public DeviceDetails deviceDetails(Collection<String> serialNumbers) throws AbmException {
        DeviceDetails details = new DeviceDetails(Map.of(), Map.of());
        for (List<String> batch : batches(serialNumbers)) {
            details = details.merge(DeviceDetails.fromJson(
                    call("POST", "devices", Map.of("devices", batch), "devices")));
        }
        return details;
    }

    /** {@code POST devices/disown}: releases the devices from the organisation (irreversible). */
    public AssignmentResult disownDevices(Collection<String> serialNumbers) throws AbmException {
        AssignmentResult result = new AssignmentResult("disown", Map.of());
        for (List<String> batch : batches(serialNumbers)) {
            JsonNode node = call("POST", "devices/disown", Map.of("devices", batch), "devices/disown");
            result = result.merge(new AssignmentResult("disown", statuses(node, "devices/disown")));
        }
        return result;
    }

    // ------------------------------------------------------------------------------------------------ profiles

    /**
     * {@code POST profile}: defines a profile. When it lists more than {@value #MAX_BATCH} devices, the first batch is
     * sent with the definition and the others are assigned afterwards.
     */
    public DefinedProfile defineProfile(AdeProfile profile) throws AbmException {
        List<String> devices = profile.devices() == null ? List.of() : profile.devices();
        List<List<String>> batches = batches(devices);
        AdeProfile first = profile.withDevices(batches.isEmpty() ? null : batches.get(0));
        JsonNode node = call("POST", "profile", first, "profile");
        String uuid = Json.text(node, "profile_uuid", "ADE profile");
        AssignmentResult result = new AssignmentResult(uuid,
                node.has("devices") ? statuses(node, "profile") : Map.of());
        for (int i = 1; i < batches.size(); i++) {
            result = result.merge(assignProfile(uuid, batches.get(i)));
        }
        return new DefinedProfile(uuid, result);
    }

    /** {@code GET profile?profile_uuid=}: the profile as Apple holds it. */
    public AdeProfile getProfile(String profileUuid) throws AbmException {
        Objects.requireNonNull(profileUuid, "profileUuid");
        JsonNode node = call("GET", "profile?profile_uuid=" + OAuth1Signer.percentEncode(profileUuid), null,
                "profile");
        return AdeProfile.fromJson(node);
    }

    /** {@code POST profile/devices}: assigns a profile to devices, in batches. */
    public AssignmentResult assignProfile(String profileUuid, Collection<String> serialNumbers) throws AbmException {
        Objects.requireNonNull(profileUuid, "profileUuid");
        AssignmentResult result = new AssignmentResult(profileUuid, Map.of());
        for (List<String> batch : batches(serialNumbers)) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("profile_uuid", profileUuid);
            body.put("devices", batch);
            JsonNode node = call("POST", "profile/devices", body, "profile/devices");
            result = result.merge(new AssignmentResult(profileUuid, statuses(node, "profile/devices")));
        }
        return result;
    }

    /** {@code DELETE profile/devices}: removes whatever profile is assigned to the devices. */
    public AssignmentResult removeProfile(Collection<String> serialNumbers) throws AbmException {
        AssignmentResult result = new AssignmentResult("remove", Map.of());
        for (List<String> batch : batches(serialNumbers)) {
            JsonNode node = call("DELETE", "profile/devices", Map.of("devices", batch), "profile/devices");
            result = result.merge(new AssignmentResult("remove", statuses(node, "profile/devices")));
        }
        return result;
    }

    /** For ADE, "assign to this server" means assigning the server's enrollment profile. */
    @Override
    public AssignmentResult assignDevices(String enrollmentRef, Collection<String> serialNumbers)
            throws AbmException {
        return assignProfile(enrollmentRef, serialNumbers);
    }

    private static Map<String, AssignmentResult.Status> statuses(JsonNode node, String what)
            throws AbmResponseException {
        JsonNode devices = node.get("devices");
        if (devices == null || !devices.isObject()) {
            throw new AbmResponseException("ADE " + what + ": 'devices' missing or not an object", 200);
        }
        Map<String, AssignmentResult.Status> out = new HashMap<>();
        for (Map.Entry<String, JsonNode> e : devices.properties()) {
            if (!e.getValue().isTextual()) {
                throw new AbmResponseException("ADE " + what + ": status of a device is not a string", 200);
            }
            out.put(e.getKey(), AssignmentResult.Status.fromApple(e.getValue().asText()));
        }
        return out;
    }

    private static List<List<String>> batches(Collection<String> serialNumbers) {
        List<String> all = List.copyOf(serialNumbers);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += MAX_BATCH) {
            out.add(all.subList(i, Math.min(all.size(), i + MAX_BATCH)));
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ transport

    private JsonNode call(String method, String path, Object body, String what) throws AbmException {
        HttpUrl url = HttpUrl.get(baseUrl.toString() + path);
        RequestBody requestBody = body == null ? null
                : RequestBody.create(http.mapper().valueToTree(body).toString(), JSON_UTF8);
        for (int renewals = 0; ; renewals++) {
            HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(url)
                    .method(method, requestBody)
                    .header(SESSION_HEADER, currentSession())
                    .header("X-Server-Protocol-Version", PROTOCOL_VERSION)
                    .header("Content-Type", "application/json;charset=UTF8")
                    .header("User-Agent", "orchard-mdm-dep")
                    .build());
            String refreshed = reply.header(SESSION_HEADER);
            if (refreshed != null && !refreshed.isBlank()) {
                synchronized (sessionLock) {
                    session = refreshed;
                }
            }
            if (reply.successful()) {
                return http.jsonObject(reply, "ADE " + what);
            }
            String code = errorCode(reply);
            if (reply.status() == 401 || reply.status() == 403) {
                if (code != null && TERMINAL_AUTH_CODES.contains(code)) {
                    throw new AbmAuthException("ADE refused " + what + ": " + code, reply.status(), code);
                }
                if (renewals >= maxSessionRenewals) {
                    throw new AbmAuthException("ADE kept refusing " + what + " after " + renewals
                            + " new session(s)", reply.status(), code);
                }
                LOG.debug("ADE answered {} to {}, opening a new session", reply.status(), what);
                invalidateSession();
                continue;
            }
            throw new AbmApiException("ADE answered " + reply.status() + " to " + what
                    + (code != null ? ": " + code : ""), reply.status(), code);
        }
    }

    private String currentSession() throws AbmException {
        synchronized (sessionLock) {
            if (session == null) {
                session = openSession();
            }
            return session;
        }
    }

    private void invalidateSession() {
        synchronized (sessionLock) {
            session = null;
        }
    }

    /** {@code GET /session}, signed with OAuth 1.0a. Called with the session lock held. */
    private String openSession() throws AbmException {
        if (token.isExpired(clock.instant())) {
            throw new AbmAuthException("ADE server token expired on " + token.accessTokenExpiry()
                    + "; upload a renewed token", 0, "TOKEN_EXPIRED");
        }
        HttpUrl url = HttpUrl.get(baseUrl.toString() + "session");
        HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(url).get()
                .header("Authorization", signer.authorizationHeader("GET", url, "ADM"))
                .header("X-Server-Protocol-Version", PROTOCOL_VERSION)
                .header("User-Agent", "orchard-mdm-dep")
                .build());
        if (!reply.successful()) {
            String code = errorCode(reply);
            if (reply.status() == 400 || reply.status() == 401 || reply.status() == 403) {
                throw new AbmAuthException("ADE refused the server token (" + reply.status()
                        + (code != null ? " " + code : "") + ")", reply.status(), code);
            }
            throw new AbmApiException("ADE answered " + reply.status() + " to session", reply.status(), code);
        }
        return Json.text(http.jsonObject(reply, "ADE session"), "auth_session_token", "ADE session");
    }

    /** Apple's error bodies are a bare code ({@code EXPIRED_CURSOR}) or JSON with {@code code}/{@code error_code}. */
    static String errorCode(HttpExchange.Reply reply) {
        String text = reply.text().trim();
        if (text.length() > 4096) {
            return null;
        }
        if (text.startsWith("{")) {
            try {
                JsonNode node = new ObjectMapper().readTree(text);
                for (String f : List.of("code", "error_code", "error")) {
                    JsonNode v = node.get(f);
                    if (v != null && v.isTextual()) {
                        return v.asText();
                    }
                }
            } catch (Exception e) {
                return null;
            }
            return null;
        }
        String first = text.split("\\s", 2)[0].replaceAll("\"", "");
        return first.matches("[A-Za-z_]{2,64}") ? first.toUpperCase(Locale.ROOT) : null;
    }

    /** Builds an {@link AdeClient}. */
    public static final class Builder extends ClientBuilder<Builder> {
        private final AdeServerToken token;
        private SecureRandom random = new SecureRandom();
        private int maxSessionRenewals = 2;
        private int pageLimit = MAX_BATCH;

        private Builder(AdeServerToken token) {
            super(DEFAULT_BASE_URL, 20_000);
            this.token = Objects.requireNonNull(token, "token");
        }

        /** The source of OAuth nonces. */
        public Builder random(SecureRandom random) {
            this.random = Objects.requireNonNull(random);
            return this;
        }

        /** How many new sessions one call may open after 401/403 before giving up (default 2). */
        public Builder maxSessionRenewals(int n) {
            if (n < 0 || n > 10) {
                throw new IllegalArgumentException("maxSessionRenewals must be within 0..10");
            }
            this.maxSessionRenewals = n;
            return this;
        }

        /** Devices per page in a sync walk (1..1000, default 1000). */
        public Builder pageLimit(int limit) {
            if (limit < 1 || limit > MAX_BATCH) {
                throw new IllegalArgumentException("pageLimit must be within 1.." + MAX_BATCH);
            }
            this.pageLimit = limit;
            return this;
        }

        public AdeClient build() {
            return new AdeClient(this);
        }
    }
}
