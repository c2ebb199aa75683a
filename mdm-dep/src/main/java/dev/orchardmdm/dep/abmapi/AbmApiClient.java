package dev.orchardmdm.dep.abmapi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.AbmTransportException;
import dev.orchardmdm.dep.AssignmentResult;
import dev.orchardmdm.dep.ClientBuilder;
import dev.orchardmdm.dep.DeviceSource;
import dev.orchardmdm.dep.RetryPolicy;
import dev.orchardmdm.dep.SyncResult;
import dev.orchardmdm.dep.http.HttpExchange;
import dev.orchardmdm.dep.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of the Apple School and Business Manager API (OAuth 2) for one API account.
 *
 * <p>It obtains access tokens with the client-credentials grant and an ES256 client assertion
 * ({@link ClientAssertion}), caches them until shortly before they expire and renews them when the API answers 401
 * (a bounded number of times per call). Lists follow the JSON:API cursor pagination ({@code links.next}, else
 * {@code meta.paging.nextCursor}) to the end, within bounds: a {@code next} link to another host, a repeated link,
 * too many empty pages or more than {@code maxPages} pages end the walk with an {@link AbmResponseException}.
 * 429/503 follow the {@link RetryPolicy}. Thread-safe: one instance per API account.
 *
 * <p>As a {@link DeviceSource} it reports the devices assigned to the MDM server configured with
 * {@link Builder#mdmServerId(String)} and assigns devices to a server through {@code orgDeviceActivities}.
 *
 * <pre>{@code
 * AbmApiCredentials account = AbmApiCredentials.fromPem(clientId, keyId, pemBytes);
 * AbmApiClient abm = AbmApiClient.builder(account).mdmServerId(serverId).build();
 * List<MdmServer> servers = abm.mdmServers();
 * SyncResult r = abm.syncDevices(null, page -> store.upsert(page));
 * AssignmentResult a = abm.assignDevices(serverId, List.of("C02XXXXXXXXX"));
 * }</pre>
 */
public final class AbmApiClient implements DeviceSource<OrgDevice> {

    /** Apple's token endpoint (also the {@code aud} of the client assertion). */
    public static final HttpUrl DEFAULT_TOKEN_URL = HttpUrl.get("https://account.apple.com/auth/oauth2/v2/token");
    /** The largest page Apple serves. */
    public static final int MAX_PAGE_LIMIT = 1000;

    private static final Logger LOG = LoggerFactory.getLogger(AbmApiClient.class);
    private static final MediaType JSON = MediaType.get("application/json");
    private static final int MAX_EMPTY_PAGES = 5;

    private final HttpUrl baseUrl;
    private final HttpExchange http;
    private final AccessTokens tokens;
    private final int maxPages;
    private final int pageLimit;
    private final int maxTokenRenewals;
    private final int activityBatchSize;
    private final int maxPolls;
    private final Duration pollInterval;
    private final RetryPolicy.Sleeper sleeper;
    private final String mdmServerId;

    private AbmApiClient(Builder b) {
        this.baseUrl = b.baseUrl();
        this.http = b.exchange("ABM API");
        this.tokens = new AccessTokens(b.credentials, b.tokenUrl, http, b.clock(), b.assertionLifetime,
                b.renewMargin);
        this.maxPages = b.maxPages();
        this.pageLimit = b.pageLimit;
        this.maxTokenRenewals = b.maxTokenRenewals;
        this.activityBatchSize = b.activityBatchSize;
        this.maxPolls = b.maxPolls;
        this.pollInterval = b.pollInterval;
        this.sleeper = b.retryPolicy().sleeper();
        this.mdmServerId = b.mdmServerId;
    }

    /** A builder for this API account; the base URL defaults to ABM's or ASM's after the client id. */
    public static Builder builder(AbmApiCredentials credentials) {
        return new Builder(credentials);
    }

    // ------------------------------------------------------------------------------------------------ devices

    /**
     * Walks every device of the organisation ({@code GET orgDevices}), page by page.
     *
     * @return a full walk's result (no cursor: this API has no change feed)
     */
    public SyncResult walkOrgDevices(Consumer<? super List<OrgDevice>> handler) throws AbmException {
        Objects.requireNonNull(handler, "handler");
        return walk(url("orgDevices"), "orgDevices", OrgDevice::fromJson, handler);
    }

    /** Every device of the organisation, collected in memory (see {@link #walkOrgDevices} for large ones). */
    public List<OrgDevice> orgDevices() throws AbmException {
        List<OrgDevice> all = new ArrayList<>();
        walkOrgDevices(all::addAll);
        return all;
    }

    /**
     * One device ({@code GET orgDevices/{id}}) with the MDM server it is assigned to
     * ({@code GET orgDevices/{id}/relationships/assignedServer}); empty when the organisation has no such device.
     */
    public Optional<OrgDevice> orgDevice(String id) throws AbmException {
        Optional<OrgDevice> device = readDevice(id);
        if (device.isEmpty()) {
            return device;
        }
        Optional<String> server = assignedServerId(id);
        return Optional.of(server.map(device.get()::withAssignedServer).orElse(device.get()));
    }

    private Optional<OrgDevice> readDevice(String id) throws AbmException {
        HttpExchange.Reply reply = call("GET", url("orgDevices", id), null, "orgDevices/{id}");
        if (reply.status() == 404) {
            return Optional.empty();
        }
        JsonNode document = json(reply, "orgDevices/{id}");
        return Optional.of(OrgDevice.fromJson(JsonApi.singleData(document, "ABM API orgDevices/{id}", false)));
    }

    /**
     * The id of the MDM server a device is assigned to, empty when it is assigned to none.
     *
     * @throws AbmApiException with status 404 when the organisation has no such device
     */
    public Optional<String> assignedServerId(String deviceId) throws AbmException {
        String what = "orgDevices/{id}/relationships/assignedServer";
        HttpExchange.Reply reply = call("GET", url("orgDevices", deviceId, "relationships", "assignedServer"), null,
                what);
        JsonNode data = JsonApi.singleData(json(reply, what), "ABM API " + what, true);
        return data == null ? Optional.empty()
                : Optional.of(JsonApi.checkIdentifier(data, MdmServer.TYPE, "ABM API " + what));
    }

    // ------------------------------------------------------------------------------------------------ servers

    /** The organisation's device management services ({@code GET mdmServers}, all pages). */
    public List<MdmServer> mdmServers() throws AbmException {
        List<MdmServer> all = new ArrayList<>();
        walk(url("mdmServers"), "mdmServers", MdmServer::fromJson, all::addAll);
        return all;
    }

    /** The ids (serial numbers) of the devices assigned to an MDM server, in Apple's order, all pages. */
    public Set<String> mdmServerDeviceIds(String serverId) throws AbmException {
        Set<String> ids = new LinkedHashSet<>();
        linkedDevices(serverId, ids);
        return ids;
    }

    private int linkedDevices(String serverId, Set<String> into) throws AbmException {
        String what = "mdmServers/{id}/relationships/devices";
        return walk(url("mdmServers", serverId, "relationships", "devices"), what,
                node -> JsonApi.checkIdentifier(node, OrgDevice.TYPE, "ABM API " + what), into::addAll).pages();
    }

    // ------------------------------------------------------------------------------------------------ activities

    /**
     * {@code POST orgDeviceActivities}: asks Apple to assign or unassign at most {@link Builder#activityBatchSize}
     * devices; Apple works on it asynchronously (see {@link #activity} and {@link #awaitActivity}).
     */
    public OrgDeviceActivity createActivity(OrgDeviceActivity.Type type, String serverId,
                                            Collection<String> deviceIds) throws AbmException {
        Objects.requireNonNull(type, "type");
        requireId(serverId, "serverId");
        List<String> ids = distinctIds(deviceIds);
        if (ids.isEmpty() || ids.size() > activityBatchSize) {
            throw new IllegalArgumentException("an activity takes 1.." + activityBatchSize + " devices");
        }
        ObjectNode body = http.mapper().createObjectNode();
        ObjectNode data = body.putObject("data").put("type", OrgDeviceActivity.TYPE);
        data.putObject("attributes").put("activityType", type.name());
        ObjectNode relationships = data.putObject("relationships");
        relationships.putObject("mdmServer").putObject("data").put("type", MdmServer.TYPE).put("id", serverId);
        ArrayNode devices = relationships.putObject("devices").putArray("data");
        ids.forEach(id -> devices.addObject().put("type", OrgDevice.TYPE).put("id", id));
        RequestBody requestBody = RequestBody.create(body.toString(), JSON);
        String what = "orgDeviceActivities";
        JsonNode document = json(call("POST", url(what), requestBody, what), what);
        return OrgDeviceActivity.fromJson(JsonApi.singleData(document, "ABM API " + what, false));
    }

    /** {@code GET orgDeviceActivities/{id}}: the activity's current state. */
    public OrgDeviceActivity activity(String activityId) throws AbmException {
        String what = "orgDeviceActivities/{id}";
        JsonNode document = json(call("GET", url("orgDeviceActivities", activityId), null, what), what);
        OrgDeviceActivity activity = OrgDeviceActivity.fromJson(JsonApi.singleData(document, "ABM API " + what,
                false));
        if (!activity.id().equals(activityId)) {
            throw new AbmResponseException("ABM API " + what + ": answered for another activity", 200);
        }
        return activity;
    }

    /**
     * Polls the activity until Apple has finished with it, at most {@link Builder#activityPolling} times; returns
     * the last state seen, which is still unfinished when the bound was reached.
     */
    public OrgDeviceActivity awaitActivity(OrgDeviceActivity activity) throws AbmException {
        OrgDeviceActivity current = Objects.requireNonNull(activity, "activity");
        for (int poll = 0; poll < maxPolls && !current.finished(); poll++) {
            try {
                sleeper.sleep(pollInterval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AbmTransportException("interrupted while polling ABM API activity " + current.id(), e);
            }
            current = activity(current.id());
        }
        return current;
    }

    /**
     * Assigns devices to an MDM server: one activity per batch, polled within bounds. Per serial number:
     * {@code SUCCESS} when the activity completed, {@code PENDING} when Apple had not finished when polling stopped,
     * {@code FAILED} when the activity failed; after a partial failure each device's assigned server is read back
     * ({@code NOT_ACCESSIBLE} for a device the organisation does not have).
     *
     * @param enrollmentRef the MDM server's id (see {@link #mdmServers()})
     */
    @Override
    public AssignmentResult assignDevices(String enrollmentRef, Collection<String> serialNumbers)
            throws AbmException {
        return runActivities(OrgDeviceActivity.Type.ASSIGN_DEVICES, enrollmentRef, serialNumbers);
    }

    /** Unassigns devices from an MDM server; outcomes as for {@link #assignDevices}. */
    public AssignmentResult unassignDevices(String serverId, Collection<String> serialNumbers) throws AbmException {
        return runActivities(OrgDeviceActivity.Type.UNASSIGN_DEVICES, serverId, serialNumbers);
    }

    private AssignmentResult runActivities(OrgDeviceActivity.Type type, String serverId,
                                           Collection<String> serialNumbers) throws AbmException {
        requireId(serverId, "serverId");
        List<String> serials = distinctIds(serialNumbers);
        AssignmentResult result = new AssignmentResult(serverId, Map.of());
        for (int i = 0; i < serials.size(); i += activityBatchSize) {
            List<String> batch = serials.subList(i, Math.min(serials.size(), i + activityBatchSize));
            OrgDeviceActivity done = awaitActivity(createActivity(type, serverId, batch));
            Map<String, AssignmentResult.Status> statuses = new LinkedHashMap<>();
            for (String serial : batch) {
                statuses.put(serial, outcome(type, serverId, serial, done));
            }
            LOG.info("ABM API {} of {} device(s) to {}: {} {}", type, batch.size(), serverId, done.status(),
                    done.subStatus());
            result = result.merge(new AssignmentResult(serverId, statuses));
        }
        return result;
    }

    private AssignmentResult.Status outcome(OrgDeviceActivity.Type type, String serverId, String serial,
                                            OrgDeviceActivity activity) throws AbmException {
        if (activity.succeeded()) {
            return AssignmentResult.Status.SUCCESS;
        }
        if (!activity.finished()) {
            return AssignmentResult.Status.PENDING;
        }
        if (!activity.status().equals("COMPLETED")) {
            return AssignmentResult.Status.FAILED;
        }
        Optional<String> now;
        try {
            now = assignedServerId(serial);
        } catch (AbmApiException e) {
            if (e.httpStatus() == 404) {
                return AssignmentResult.Status.NOT_ACCESSIBLE;
            }
            throw e;
        }
        boolean onServer = now.filter(serverId::equals).isPresent();
        boolean wanted = type == OrgDeviceActivity.Type.ASSIGN_DEVICES;
        return onServer == wanted ? AssignmentResult.Status.SUCCESS : AssignmentResult.Status.FAILED;
    }

    // ------------------------------------------------------------------------------------------------ DeviceSource

    /**
     * Reports every device assigned to the configured MDM server ({@link Builder#mdmServerId}): the server's device
     * list, completed with each device's attributes from a walk of {@code orgDevices}. This API has no change feed,
     * so {@code cursor} is ignored and every walk is full, without a cursor.
     *
     * @throws IllegalStateException when the client was built without an MDM server id
     */
    @Override
    public SyncResult syncDevices(String cursor, Consumer<? super List<OrgDevice>> handler) throws AbmException {
        Objects.requireNonNull(handler, "handler");
        if (mdmServerId == null) {
            throw new IllegalStateException("syncDevices needs the MDM server id (Builder.mdmServerId)");
        }
        Set<String> remaining = new HashSet<>();
        int pages = linkedDevices(mdmServerId, remaining);
        long[] count = {0};
        SyncResult walked = walk(url("orgDevices"), "orgDevices", OrgDevice::fromJson, page -> {
            List<OrgDevice> ours = new ArrayList<>();
            for (OrgDevice device : page) {
                if (remaining.remove(device.id())) {
                    ours.add(device.withAssignedServer(mdmServerId));
                }
            }
            if (!ours.isEmpty()) {
                count[0] += ours.size();
                handler.accept(ours);
            }
        });
        pages += walked.pages();
        // devices assigned while the walk ran: read them one by one
        List<OrgDevice> late = new ArrayList<>();
        for (String id : new TreeSet<>(remaining)) {
            Optional<OrgDevice> device = readDevice(id);
            if (device.isPresent()) {
                late.add(device.get().withAssignedServer(mdmServerId));
            }
            if (late.size() == pageLimit) {
                handler.accept(List.copyOf(late));
                count[0] += late.size();
                late.clear();
            }
        }
        if (!late.isEmpty()) {
            handler.accept(List.copyOf(late));
            count[0] += late.size();
        }
        return new SyncResult(true, null, count[0], pages, false);
    }

    // ------------------------------------------------------------------------------------------------ paging

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonNode node) throws AbmResponseException;
    }

    private <T> SyncResult walk(HttpUrl first, String what, ItemReader<T> reader, Consumer<? super List<T>> handler)
            throws AbmException {
        String name = "ABM API " + what;
        HttpUrl start = first.newBuilder().setQueryParameter("limit", Integer.toString(pageLimit)).build();
        HttpUrl next = start;
        Set<String> seen = new HashSet<>();
        Set<String> cursors = new HashSet<>();
        long count = 0;
        int emptyPages = 0;
        for (int pages = 1; pages <= maxPages; pages++) {
            if (!seen.add(next.toString())) {
                throw new AbmResponseException(name + ": the next link repeats an earlier page, paging would not end",
                        200);
            }
            JsonNode document = json(call("GET", next, null, what), what);
            JsonNode data = Json.array(document, "data", name);
            if (data.size() > pageLimit) {
                throw new AbmResponseException(name + ": " + data.size() + " items for a limit of " + pageLimit, 200);
            }
            List<T> items = new ArrayList<>(data.size());
            for (JsonNode item : data) {
                items.add(reader.read(item));
            }
            handler.accept(items);
            count += items.size();
            emptyPages = items.isEmpty() ? emptyPages + 1 : 0;
            HttpUrl following = nextPage(document, next, start, name, cursors);
            if (following == null) {
                return new SyncResult(true, null, count, pages, false);
            }
            if (emptyPages > MAX_EMPTY_PAGES) {
                throw new AbmResponseException(name + ": " + emptyPages
                        + " empty pages in a row with a next link, paging would not end", 200);
            }
            next = following;
        }
        throw new AbmResponseException(name + ": more than " + maxPages + " pages, giving up", 200);
    }

    /** The next page's URL: {@code links.next}, else {@code meta.paging.nextCursor}; null at the end. */
    private HttpUrl nextPage(JsonNode document, HttpUrl current, HttpUrl start, String name, Set<String> cursors)
            throws AbmResponseException {
        JsonNode links = document.get("links");
        String link = links != null && links.isObject() ? Json.optText(links, "next", name) : null;
        if (link != null) {
            HttpUrl url = current.resolve(link);   // absolute as Apple sends it, or relative to this page
            if (url == null) {
                throw new AbmResponseException(name + ": links.next is not a URL", 200);
            }
            if (!url.scheme().equals(baseUrl.scheme()) || !url.host().equals(baseUrl.host())
                    || url.port() != baseUrl.port() || !url.encodedPath().startsWith(baseUrl.encodedPath())) {
                throw new AbmResponseException(name + ": links.next points to " + url.host()
                        + ", outside the API; refusing to send the access token there", 200);
            }
            return url;
        }
        JsonNode meta = document.get("meta");
        JsonNode paging = meta != null && meta.isObject() ? meta.get("paging") : null;
        String cursor = paging != null && paging.isObject() ? Json.optText(paging, "nextCursor", name) : null;
        if (cursor == null) {
            return null;
        }
        if (!cursors.add(cursor)) {
            throw new AbmResponseException(name + ": meta.paging.nextCursor repeats, paging would not end", 200);
        }
        return start.newBuilder().setQueryParameter("cursor", cursor).build();
    }

    // ------------------------------------------------------------------------------------------------ transport

    private HttpUrl url(String... segments) {
        HttpUrl.Builder b = baseUrl.newBuilder();
        for (String s : segments) {
            b.addPathSegment(requireId(s, "path segment"));
        }
        return b.build();
    }

    /**
     * Sends a request with the current access token; on 401 drops the token, gets a new one and tries again, at most
     * {@code maxTokenRenewals} times. Returns any other answer.
     */
    private HttpExchange.Reply call(String method, HttpUrl url, RequestBody body, String what) throws AbmException {
        for (int renewals = 0; ; renewals++) {
            String token = tokens.current();
            HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(url).method(method, body)
                    .header("Authorization", "Bearer " + token)
                    .header("Accept", "application/json")
                    .header("User-Agent", "orchard-mdm-dep")
                    .build());
            if (reply.status() != 401) {
                return reply;
            }
            tokens.invalidate(token);
            if (renewals >= maxTokenRenewals) {
                throw new AbmAuthException("ABM API kept refusing " + what + " after " + renewals
                        + " new access token(s)", 401, errorCode(reply));
            }
            LOG.debug("ABM API answered 401 to {}, renewing the access token", what);
        }
    }

    /** The JSON object of a successful answer, or the typed error of a failed one. */
    private JsonNode json(HttpExchange.Reply reply, String what) throws AbmException {
        if (reply.successful()) {
            return http.jsonObject(reply, "ABM API " + what);
        }
        String code = errorCode(reply);
        String message = "ABM API answered " + reply.status() + " to " + what + (code == null ? "" : ": " + code);
        if (reply.status() == 403) {
            throw new AbmAuthException(message, 403, code);
        }
        throw new AbmApiException(message, reply.status(), code);
    }

    /** The {@code code} of the first JSON:API error object, when the body has one. */
    private String errorCode(HttpExchange.Reply reply) {
        try {
            JsonNode errors = http.jsonObject(reply, "error").get("errors");
            if (errors != null && errors.isArray() && !errors.isEmpty()) {
                String code = Json.optText(errors.get(0), "code", "error");
                return code != null && code.matches("[A-Za-z0-9_.-]{1,64}") ? code : null;
            }
        } catch (AbmResponseException e) {
            return null;
        }
        return null;
    }

    private static String requireId(String value, String what) {
        if (value == null || value.isBlank() || value.length() > 256) {
            throw new IllegalArgumentException(what + " must be a non-blank id of at most 256 characters");
        }
        return value;
    }

    private static List<String> distinctIds(Collection<String> ids) {
        Set<String> out = new LinkedHashSet<>();
        for (String id : ids) {
            out.add(requireId(id, "serial number").strip());
        }
        return List.copyOf(out);
    }

    /** Builds an {@link AbmApiClient}. */
    public static final class Builder extends ClientBuilder<Builder> {
        private final AbmApiCredentials credentials;
        private HttpUrl tokenUrl = DEFAULT_TOKEN_URL;
        private Duration assertionLifetime = Duration.ofMinutes(15);
        private Duration renewMargin = Duration.ofMinutes(5);
        private int maxTokenRenewals = 2;
        private int pageLimit = MAX_PAGE_LIMIT;
        private int activityBatchSize = MAX_PAGE_LIMIT;
        private int maxPolls = 10;
        private Duration pollInterval = Duration.ofSeconds(3);
        private String mdmServerId;

        private Builder(AbmApiCredentials credentials) {
            super(credentials.defaultBaseUrl(), 10_000);
            this.credentials = credentials;
        }

        /** The token endpoint (Apple's by default); also the client assertion's audience. */
        public Builder tokenUrl(HttpUrl url) {
            this.tokenUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** How long each client assertion is valid (default 15 minutes, at most 180 days). */
        public Builder assertionLifetime(Duration lifetime) {
            if (lifetime.compareTo(Duration.ofSeconds(1)) < 0
                    || lifetime.compareTo(ClientAssertion.MAX_LIFETIME) > 0) {
                throw new IllegalArgumentException("assertionLifetime must be within 1 s..180 days");
            }
            this.assertionLifetime = lifetime;
            return this;
        }

        /** How long before its expiry an access token is renewed (default 5 minutes; at most half its life). */
        public Builder tokenRenewMargin(Duration margin) {
            if (margin.isNegative()) {
                throw new IllegalArgumentException("tokenRenewMargin must not be negative");
            }
            this.renewMargin = margin;
            return this;
        }

        /** How many new access tokens one call may fetch after 401 answers (0..10, default 2). */
        public Builder maxTokenRenewals(int n) {
            if (n < 0 || n > 10) {
                throw new IllegalArgumentException("maxTokenRenewals must be within 0..10");
            }
            this.maxTokenRenewals = n;
            return this;
        }

        /** Items per page asked for ({@code limit}, 1..1000, default 1000). */
        public Builder pageLimit(int limit) {
            if (limit < 1 || limit > MAX_PAGE_LIMIT) {
                throw new IllegalArgumentException("pageLimit must be within 1.." + MAX_PAGE_LIMIT);
            }
            this.pageLimit = limit;
            return this;
        }

        /** Devices per assign / unassign activity (1..1000, default 1000). */
        public Builder activityBatchSize(int size) {
            if (size < 1 || size > MAX_PAGE_LIMIT) {
                throw new IllegalArgumentException("activityBatchSize must be within 1.." + MAX_PAGE_LIMIT);
            }
            this.activityBatchSize = size;
            return this;
        }

        /**
         * How an activity is awaited: at most {@code polls} reads (0..100), {@code interval} apart (default 10 reads,
         * 3 s apart). The wait uses the retry policy's sleeper.
         */
        public Builder activityPolling(int polls, Duration interval) {
            if (polls < 0 || polls > 100 || interval.isNegative()) {
                throw new IllegalArgumentException("polls must be within 0..100 and interval not negative");
            }
            this.maxPolls = polls;
            this.pollInterval = interval;
            return this;
        }

        /** The id of this MDM server in ABM/ASM, whose devices {@link #syncDevices} reports. */
        public Builder mdmServerId(String id) {
            this.mdmServerId = requireId(id, "mdmServerId");
            return this;
        }

        public AbmApiClient build() {
            return new AbmApiClient(this);
        }
    }
}
