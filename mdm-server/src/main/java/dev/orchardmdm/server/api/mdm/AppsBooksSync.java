package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.dep.vpp.AppsBooksClient;
import dev.orchardmdm.dep.vpp.Assignment;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.tasks.TaskHandler;
import dev.orchardmdm.server.api.tasks.TaskQueue;
import dev.orchardmdm.server.api.tasks.TaskRoutes;
import dev.orchardmdm.store.AppsBooksRepository;
import dev.orchardmdm.store.Asset;
import dev.orchardmdm.store.Location;
import dev.orchardmdm.store.LocationAsset;
import dev.orchardmdm.store.StoreException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import okhttp3.HttpUrl;

/**
 * The Apps &amp; Books asset sync of a location (Zentral's {@code sync_apps_books}), as a task:
 * {@code POST /api/mdm/locations/<id>/sync_assets/} answers {@code task_id} and
 * {@code task_result_url}. The task reads Apple's assets ({@code GET assets}, every page) into the
 * assets and their licence counts at the location, then the licence assignments
 * ({@code GET assignments}) into the device assignments, removing those Apple no longer reports.
 */
public final class AppsBooksSync implements ApiModule {

    /** Name of the asset sync task. */
    public static final String SYNC_TASK = "mdm.sync_location_assets";
    static final String VIEW_LOCATION = "mdm.view_location";
    static final String CHANGE_LOCATION_ASSET = "mdm.change_locationasset";

    /** Makes an Apps &amp; Books client for a stored location. */
    @FunctionalInterface
    public interface Clients {
        AppsBooksClient forLocation(long locationId);
    }

    private final AppsBooksRepository repository;
    private final TaskQueue tasks;

    public AppsBooksSync(AppsBooksRepository repository, TaskQueue tasks) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    /** Clients at {@code baseUrl} that read the location's server token (stored encrypted) when they need it. */
    public static Clients clients(AppsBooksRepository repository, HttpUrl baseUrl) {
        return locationId -> AppsBooksClient.builder(() -> {
            try {
                return repository.serverToken(locationId);
            } catch (StoreException e) {
                throw new IllegalStateException("cannot read the server token of location " + locationId, e);
            }
        }).baseUrl(baseUrl).build();
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(new ApiRoute("POST", "/api/mdm/locations/{id}/sync_assets/",
                List.of(VIEW_LOCATION, CHANGE_LOCATION_ASSET),
                "Start an Apps & Books asset sync task for a location", this::sync));
    }

    private ApiResponse sync(ApiCall call) throws ApiException {
        Location location = repository.findLocation(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
        return TaskRoutes.submitted(tasks, SYNC_TASK, Map.of("location_id", location.id()));
    }

    /** The sync task. */
    public static TaskHandler syncHandler(AppsBooksRepository repository, Clients clients) {
        return (arguments, progress) -> {
            long locationId = arguments.path("location_id").asLong();
            repository.findLocation(locationId).orElseThrow(
                    () -> new IllegalStateException("unknown location " + locationId));
            AppsBooksClient client = clients.forLocation(locationId);
            List<dev.orchardmdm.dep.vpp.Asset> assets = client.assets().items();
            progress.report(30);
            Map<String, Long> locationAssets = new HashMap<>();
            for (dev.orchardmdm.dep.vpp.Asset a : assets) {
                // keep the metadata (name, bundle id) an earlier lookup stored; Apple's asset list has none
                Asset known = repository.listLocationAssets(null, a.adamId(), a.pricingParam()).stream().findFirst()
                        .flatMap(la -> repository.findAsset(la.assetId())).orElse(null);
                Asset stored = repository.upsertAsset(new Asset.Spec(a.adamId(), a.pricingParam(),
                        a.productType() != null ? a.productType() : known != null ? known.productType() : "Unknown",
                        a.deviceAssignable(), a.revocable(), a.supportedPlatforms(),
                        known == null ? null : known.metadata(), known == null ? null : known.name(),
                        known == null ? null : known.bundleId()));
                LocationAsset la = repository.upsertLocationAsset(locationId, stored.id(), count(a.assignedCount()),
                        count(a.availableCount()), count(a.retiredCount()), count(a.totalCount()));
                locationAssets.put(key(a.adamId(), a.pricingParam()), la.id());
            }
            progress.report(60);
            List<Assignment> assignments = client.assignments(null).items();
            Map<Long, Set<String>> reported = new HashMap<>();
            locationAssets.values().forEach(id -> reported.put(id, new HashSet<>()));
            int added = 0;
            int unknown = 0;
            for (Assignment a : assignments) {
                Long la = locationAssets.get(key(a.adamId(), a.pricingParam()));
                if (la == null || a.serialNumber() == null || a.serialNumber().isBlank()) {
                    unknown++;
                    continue;
                }
                reported.get(la).add(a.serialNumber());
                if (repository.assign(la, a.serialNumber())) {
                    added++;
                }
            }
            int removed = 0;
            for (Map.Entry<Long, Set<String>> e : reported.entrySet()) {
                for (String serial : repository.assignedSerialNumbers(e.getKey())) {
                    if (!e.getValue().contains(serial) && repository.unassign(e.getKey(), serial)) {
                        removed++;
                    }
                }
            }
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("location", locationId);
            result.put("assets", assets.size());
            result.put("assignments", assignments.size());
            result.put("assignments_added", added);
            result.put("assignments_removed", removed);
            result.put("assignments_skipped", unknown);
            return (JsonNode) result;
        };
    }

    private static String key(String adamId, String pricingParam) {
        return adamId + "\u0000" + pricingParam;
    }

    private static int count(long n) {
        return (int) Math.max(0, Math.min(Integer.MAX_VALUE, n));
    }
}
