package dev.orchardmdm.server.api.mdm;

import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.store.AppsBooksRepository;
import dev.orchardmdm.store.Location;
import dev.orchardmdm.store.LocationAsset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Apps &amp; Books: {@code GET locations/} (filters {@code name}, {@code organization_name},
 * {@code mdm_info_id}), {@code GET locations/<id>/}, {@code GET location_assets/} (filters
 * {@code adam_id}, {@code pricing_param}, {@code location_id}). The server token never leaves the server.
 */
public final class AppsBooksRoutes implements ApiModule {

    static final String VIEW_LOCATION = "mdm.view_location";
    static final String VIEW_LOCATION_ASSET = "mdm.view_locationasset";

    private final AppsBooksRepository repository;

    public AppsBooksRoutes(AppsBooksRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                new ApiRoute("GET", "/api/mdm/locations/", List.of(VIEW_LOCATION),
                        "List Apps & Books locations (filters name, organization_name, mdm_info_id)", this::list),
                new ApiRoute("GET", "/api/mdm/locations/{id}/", List.of(VIEW_LOCATION), "Get an Apps & Books location",
                        this::get),
                new ApiRoute("GET", "/api/mdm/location_assets/", List.of(VIEW_LOCATION_ASSET),
                        "List Apps & Books location assets (filters adam_id, pricing_param, location_id)",
                        this::listAssets));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        UUID mdmInfoId = null;
        if (call.filter("mdm_info_id").isPresent()) {
            mdmInfoId = parseUuid(call.filter("mdm_info_id").get());
        }
        return Pagination.respond(call, repository.listLocations(call.filter("name").orElse(null),
                call.filter("organization_name").orElse(null), mdmInfoId).stream().map(AppsBooksRoutes::location).toList());
    }

    private static UUID parseUuid(String v) throws ApiException {
        try {
            return UUID.fromString(v);
        } catch (IllegalArgumentException e) {
            throw ApiException.field("mdm_info_id", "Must be a valid UUID.");
        }
    }

    private ApiResponse get(ApiCall call) throws ApiException {
        return ApiResponse.ok(location(repository.findLocation(call.pathId("id"))
                .orElseThrow(() -> ApiException.notFound("id"))));
    }

    private ApiResponse listAssets(ApiCall call) throws ApiException {
        return Pagination.respond(call, repository.listLocationAssets(call.idFilter("location_id").orElse(null),
                call.filter("adam_id").orElse(null), call.filter("pricing_param").orElse(null)).stream()
                .map(AppsBooksRoutes::locationAsset).toList());
    }

    /** The spec's location object. */
    public static Map<String, Object> location(Location l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", l.id());
        m.put("server_token_expiration_date", ApiTimestamps.format(l.serverTokenExpirationDate()));
        m.put("organization_name", l.organizationName());
        m.put("name", l.name());
        m.put("country_code", l.countryCode());
        m.put("library_uid", l.libraryUid());
        m.put("platform", l.platform());
        m.put("website_url", l.websiteUrl());
        m.put("mdm_info_id", l.mdmInfoId().toString());
        m.put("created_at", ApiTimestamps.format(l.createdAt()));
        m.put("updated_at", ApiTimestamps.format(l.updatedAt()));
        return m;
    }

    /** The spec's location asset object. */
    public static Map<String, Object> locationAsset(LocationAsset a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("assigned_count", a.assignedCount());
        m.put("available_count", a.availableCount());
        m.put("retired_count", a.retiredCount());
        m.put("total_count", a.totalCount());
        m.put("created_at", ApiTimestamps.format(a.createdAt()));
        m.put("updated_at", ApiTimestamps.format(a.updatedAt()));
        m.put("location", a.locationId());
        m.put("asset", a.assetId());
        return m;
    }
}
