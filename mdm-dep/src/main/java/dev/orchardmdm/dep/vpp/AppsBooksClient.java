package dev.orchardmdm.dep.vpp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.orchardmdm.dep.AbmApiException;
import dev.orchardmdm.dep.AbmAuthException;
import dev.orchardmdm.dep.AbmDataChangedException;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.ClientBuilder;
import dev.orchardmdm.dep.http.HttpExchange;
import dev.orchardmdm.dep.http.Json;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Client of Apple's Apps and Books for Organizations service (VPP v2) for one location, authenticated by its
 * {@code sToken} as a bearer token.
 *
 * <p>Errors carry Apple's {@code errorNumber} (read it with {@link AppsBooksError#of(AbmException)}); token errors
 * (9601, 9621, 9622, 9625) are {@link AbmAuthException}s. On 9622 the client asks its token supplier once more and
 * retries when the token changed (another replica may have stored a renewed one). 429/503 follow the
 * {@link RetryPolicy}; paged walks are bounded and fail with {@link AbmDataChangedException} when the service's
 * {@code versionId} changes under them. Thread-safe.
 *
 * <pre>{@code
 * AppsBooksClient vpp = AppsBooksClient.builder(() -> VppToken.parse(file).sToken()).build();
 * vpp.updateClientConfig(new ClientConfigUpdate(new MdmInfo(id, "mdm.example.com", "Orchard"), url, secret,
 *         List.of("ASSET_MANAGEMENT", "ASSET_COUNT")));
 * List<String> eventIds = vpp.associate(List.of(AssetRef.standard("361309726")), serials);
 * }</pre>
 */
public final class AppsBooksClient {

    /** Apple's production endpoint. */
    public static final HttpUrl DEFAULT_BASE_URL = HttpUrl.get("https://vpp.itunes.apple.com/mdm/v2/");

    private static final Logger LOG = LoggerFactory.getLogger(AppsBooksClient.class);

    private final Supplier<String> tokenSupplier;
    private final HttpUrl baseUrl;
    private final HttpExchange http;
    private final int maxPages;
    private volatile String sToken;
    private volatile ServiceConfig serviceConfig;

    private AppsBooksClient(Builder b) {
        this.tokenSupplier = b.tokenSupplier;
        this.baseUrl = b.baseUrl();
        this.maxPages = b.maxPages();
        this.http = b.exchange("Apps and Books");
    }

    /** A client for a fixed token. */
    public static Builder builder(VppToken token) {
        Objects.requireNonNull(token, "token");
        return new Builder(token::sToken);
    }

    /**
     * A client that reads its {@code sToken} from {@code tokenSupplier} (e.g. the database), again after a 9622
     * "invalid token" answer.
     */
    public static Builder builder(Supplier<String> tokenSupplier) {
        return new Builder(tokenSupplier);
    }

    // ------------------------------------------------------------------------------------------------ config

    /** {@code GET client/config}. */
    public ClientConfig clientConfig() throws AbmException {
        return ClientConfig.fromJson(call("GET", "client/config", null, "client/config"));
    }

    /** {@code POST client/config}: claims the token for this MDM and sets the notification subscription. */
    public ClientConfig updateClientConfig(ClientConfigUpdate update) throws AbmException {
        Objects.requireNonNull(update, "update");
        return ClientConfig.fromJson(call("POST", "client/config", update, "client/config"));
    }

    /** {@code GET service/config}, fetched once per client and then kept. */
    public ServiceConfig serviceConfig() throws AbmException {
        ServiceConfig config = serviceConfig;
        if (config == null) {
            config = ServiceConfig.fromJson(call("GET", "service/config", null, "service/config"));
            serviceConfig = config;
        }
        return config;
    }

    // ------------------------------------------------------------------------------------------------ assets

    /** Every asset of the location ({@code GET assets}, all pages, one consistent {@code versionId}). */
    public PagedResult<Asset> assets() throws AbmException {
        return walk("assets", Map.of(), "assets", Asset::fromJson);
    }

    /** One asset ({@code GET assets?adamId=&pricingParam=}), if the location owns it. */
    public Optional<Asset> asset(AssetRef ref) throws AbmException {
        Map<String, String> query = new LinkedHashMap<>();
        query.put("adamId", ref.adamId());
        query.put("pricingParam", ref.pricingParam());
        List<Asset> found = walk("assets", query, "assets", Asset::fromJson).items();
        return found.stream().filter(a -> a.adamId().equals(ref.adamId())
                && a.pricingParam().equals(ref.pricingParam())).findFirst();
    }

    /** License assignments ({@code GET assignments}), of one asset or ({@code adamId == null}) of all. */
    public PagedResult<Assignment> assignments(String adamId) throws AbmException {
        Map<String, String> query = adamId == null ? Map.of() : Map.of("adamId", adamId);
        return walk("assignments", query, "assignments", Assignment::fromJson);
    }

    /**
     * {@code POST assets/associate}: licenses the assets to the devices, in chunks of the service's
     * {@code maxSerialNumbers}.
     *
     * @return the {@code eventId} of each chunk; completion arrives as an {@code ASSET_MANAGEMENT} notification
     */
    public List<String> associate(Collection<AssetRef> assets, Collection<String> serialNumbers) throws AbmException {
        return manage("assets/associate", assets, serialNumbers);
    }

    /** {@code POST assets/disassociate}: releases the licenses, chunked like {@link #associate}. */
    public List<String> disassociate(Collection<AssetRef> assets, Collection<String> serialNumbers)
            throws AbmException {
        return manage("assets/disassociate", assets, serialNumbers);
    }

    private List<String> manage(String path, Collection<AssetRef> assets, Collection<String> serialNumbers)
            throws AbmException {
        if (assets.isEmpty()) {
            throw new IllegalArgumentException("no asset given");
        }
        ServiceConfig config = serviceConfig();
        if (config.maxAssets() > 0 && assets.size() > config.maxAssets()) {
            throw new IllegalArgumentException("at most " + config.maxAssets() + " assets per call");
        }
        List<String> serials = List.copyOf(serialNumbers);
        List<String> eventIds = new ArrayList<>();
        for (int i = 0; i < serials.size(); i += config.maxSerialNumbers()) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("assets", List.copyOf(assets));
            body.put("serialNumbers", serials.subList(i, Math.min(serials.size(), i + config.maxSerialNumbers())));
            eventIds.add(Json.text(call("POST", path, body, path), "eventId", "Apps and Books " + path));
        }
        return eventIds;
    }

    // ------------------------------------------------------------------------------------------------ paging

    @FunctionalInterface
    private interface ItemReader<T> {
        T read(JsonNode node) throws AbmResponseException;
    }

    private <T> PagedResult<T> walk(String path, Map<String, String> query, String field, ItemReader<T> reader)
            throws AbmException {
        String what = "Apps and Books " + path;
        List<T> items = new ArrayList<>();
        String versionId = null;
        long pageIndex = 0;
        for (int pages = 1; pages <= maxPages; pages++) {
            HttpUrl.Builder url = HttpUrl.get(baseUrl + path).newBuilder();
            query.forEach(url::addQueryParameter);
            url.addQueryParameter("pageIndex", Long.toString(pageIndex));
            HttpUrl built = url.build();
            JsonNode node = call("GET", built.toString().substring(baseUrl.toString().length()), null, path);
            String pageVersion = Json.optText(node, "versionId", what);
            if (pages == 1) {
                versionId = pageVersion;
            } else if (!Objects.equals(versionId, pageVersion)) {
                throw new AbmDataChangedException(what + ": versionId changed from " + versionId + " to "
                        + pageVersion + " during the walk; start again");
            }
            JsonNode list = node.get(field);
            if (list != null && !list.isNull()) {
                if (!list.isArray()) {
                    throw new AbmResponseException(what + ": '" + field + "' is not an array", 200);
                }
                for (JsonNode item : list) {
                    items.add(reader.read(item));
                }
            }
            long next = Json.optLong(node, "nextPageIndex", -1, what);
            if (next < 0) {
                return new PagedResult<>(items, versionId, pages);
            }
            if (next <= pageIndex) {
                throw new AbmResponseException(what + ": nextPageIndex " + next + " does not move forward", 200);
            }
            long totalPages = Json.optLong(node, "totalPages", -1, what);
            if (totalPages >= 0 && next >= totalPages) {
                throw new AbmResponseException(what + ": nextPageIndex " + next + " beyond totalPages "
                        + totalPages, 200);
            }
            pageIndex = next;
        }
        throw new AbmResponseException(what + ": more than " + maxPages + " pages, giving up", 200);
    }

    // ------------------------------------------------------------------------------------------------ transport

    private JsonNode call(String method, String pathAndQuery, Object body, String what) throws AbmException {
        HttpUrl url = HttpUrl.get(baseUrl + pathAndQuery);
        RequestBody requestBody = body == null ? null : http.jsonBody(body);
        boolean reloaded = false;
        while (true) {
            String tokenUsed = token(false);
            HttpExchange.Reply reply = http.send(() -> new Request.Builder().url(url).method(method, requestBody)
                    .header("Authorization", "Bearer " + tokenUsed)
                    .header("Accept", "application/json")
                    .header("User-Agent", "orchard-mdm-dep")
                    .build());
            JsonNode node = reply.successful() ? http.jsonObject(reply, "Apps and Books " + what) : errorBody(reply);
            long number = node == null ? -1 : Json.optLong(node, "errorNumber", -1, "Apps and Books " + what);
            if (reply.successful() && number < 0) {
                return node;
            }
            Optional<AppsBooksError> error = number < 0 ? Optional.empty() : AppsBooksError.of((int) number);
            String code = number < 0 ? null : Long.toString(number);
            String message = "Apps and Books answered " + reply.status() + " to " + what
                    + (code == null ? "" : ": error " + code + error.map(e -> " (" + e.message() + ")").orElse(""));
            if (error.filter(e -> e == AppsBooksError.INVALID_AUTHENTICATION_TOKEN).isPresent() && !reloaded) {
                reloaded = true;
                String fresh = token(true);
                if (!fresh.equals(tokenUsed)) {
                    LOG.info("Apps and Books token was replaced, retrying {}", what);
                    continue;
                }
            }
            if (error.filter(e -> e.kind() == AppsBooksError.Kind.TOKEN).isPresent()
                    || (code == null && reply.status() == 401)) {
                throw new AbmAuthException(message, reply.status(), code);
            }
            throw new AbmApiException(message, reply.status(), code);
        }
    }

    private JsonNode errorBody(HttpExchange.Reply reply) {
        try {
            return http.jsonObject(reply, "error");
        } catch (AbmResponseException e) {
            return null;
        }
    }

    private String token(boolean reload) throws AbmAuthException {
        String current = sToken;
        if (current == null || reload) {
            current = tokenSupplier.get();
            if (current == null || current.isBlank()) {
                throw new AbmAuthException("no Apps and Books token available", 0, null);
            }
            current = current.strip();
            sToken = current;
        }
        return current;
    }

    /** Builds an {@link AppsBooksClient}. */
    public static final class Builder extends ClientBuilder<Builder> {
        private final Supplier<String> tokenSupplier;

        private Builder(Supplier<String> tokenSupplier) {
            super(DEFAULT_BASE_URL, 10_000);
            this.tokenSupplier = Objects.requireNonNull(tokenSupplier, "tokenSupplier");
        }

        public AppsBooksClient build() {
            return new AppsBooksClient(this);
        }
    }
}
