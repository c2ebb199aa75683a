package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AbmTokenFormatException;
import dev.orchardmdm.dep.vpp.AppsBooksClient;
import dev.orchardmdm.dep.vpp.ClientConfig;
import dev.orchardmdm.dep.vpp.ClientConfigUpdate;
import dev.orchardmdm.dep.vpp.MdmInfo;
import dev.orchardmdm.dep.vpp.VppToken;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.store.AppsBooksRepository;
import dev.orchardmdm.store.Location;
import dev.orchardmdm.store.StoreException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import okhttp3.HttpUrl;

/**
 * Onboarding an Apps &amp; Books location: {@code POST locations/} with the {@code .vpptoken} file as
 * the raw body. The token is read, Apple's {@code client/config} is asked for the location, the token
 * is claimed for this server (refused when another MDM holds it, unless {@code ?force=true}) with a
 * new notification token for the webhook, and the location is stored (both tokens encrypted or hashed).
 */
public final class LocationOnboardingRoutes implements ApiModule {

    private final AppsBooksRepository repository;
    private final HttpUrl appsBooksBaseUrl;
    private final String publicBase;
    private final ApiAudit audit;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param publicBase the server's public URL (Apple posts notifications to it)
     */
    public LocationOnboardingRoutes(AppsBooksRepository repository, HttpUrl appsBooksBaseUrl, String publicBase,
                                    ApiAudit audit) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.appsBooksBaseUrl = Objects.requireNonNull(appsBooksBaseUrl, "appsBooksBaseUrl");
        this.publicBase = Objects.requireNonNull(publicBase, "publicBase");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("POST", "/api/mdm/locations/", List.of("mdm.add_location"),
                "Onboard an Apps & Books location from its .vpptoken file (raw body; ?force=true to take over a"
                        + " token another MDM holds)", this::create));
    }

    private ApiResponse create(ApiCall call) throws ApiException {
        byte[] body = call.rawBody();
        VppToken token;
        try {
            token = VppToken.parse(new String(body, StandardCharsets.UTF_8));
        } catch (AbmTokenFormatException e) {
            throw ApiException.field("server_token", "Not a valid .vpptoken file: " + e.getMessage());
        }
        boolean force = call.boolFilter("force").orElse(false);
        AppsBooksClient client = AppsBooksClient.builder(token).baseUrl(appsBooksBaseUrl).build();
        String mdmInfoId = UUID.randomUUID().toString();
        String notificationToken = "orchard_nat_" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(bytes(24));
        ClientConfig config;
        try {
            ClientConfig current = client.clientConfig();
            if (current.managedByAnother(mdmInfoId) && !force) {
                throw ApiException.field("server_token", "This token is used by another MDM ("
                        + current.mdm().map(MdmInfo::name).orElse("unknown") + "). Use ?force=true to take it over.");
            }
            String host = URI.create(publicBase).getHost();
            config = client.updateClientConfig(new ClientConfigUpdate(new MdmInfo(mdmInfoId, host, "Orchard"),
                    publicBase + "/public/mdm/locations/" + mdmInfoId + "/notify/", notificationToken,
                    List.of("ASSET_MANAGEMENT", "ASSET_COUNT")));
        } catch (AbmException e) {
            return new ApiResponse(502, Map.of("error", String.valueOf(e.getMessage())), null, null, null);
        }
        Location location;
        try {
            location = repository.createLocation(new Location.Spec(config.locationName(), token.orgName(),
                    config.countryIso2ACode(), config.uId(), config.defaultPlatform(),
                    config.websiteUrl() == null ? "" : config.websiteUrl(), UUID.fromString(mdmInfoId),
                    token.expiresAt()), token.sToken(), notificationToken);
        } catch (StoreException e) {
            throw StoreErrors.map(e, "server_token");
        } catch (IllegalArgumentException e) {
            throw ApiException.field("server_token", "Apple's location answer is incomplete: " + e.getMessage());
        }
        audit.record(call, "created", "mdm.location", location.id(), Map.of("name", location.name(),
                "organization_name", location.organizationName(), "mdm_info_id", mdmInfoId,
                "server_token_expiration_date", ApiTimestamps.format(location.serverTokenExpirationDate())));
        return ApiResponse.created(AppsBooksRoutes.location(location));
    }

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }
}
