package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.swupdate.ReleaseChannel;
import dev.orchardmdm.dep.swupdate.SoftwareRelease;
import dev.orchardmdm.dep.swupdate.SoftwareUpdateCatalog;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.server.api.tasks.TaskHandler;
import dev.orchardmdm.server.api.tasks.TaskQueue;
import dev.orchardmdm.server.api.tasks.TaskRoutes;
import dev.orchardmdm.store.SoftwareUpdate;
import dev.orchardmdm.store.SoftwareUpdateRepository;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Software updates: {@code POST software_updates/sync/} (a task that reads Apple's catalog and
 * replaces the stored one) and {@code GET software_updates/} (filter {@code platform}).
 */
public final class SoftwareUpdateRoutes implements ApiModule {

    /** Name of the sync task. */
    public static final String SYNC_TASK = "mdm.sync_software_updates";

    /** Where the catalog comes from (mdm-dep's {@code SoftwareUpdateCatalogClient::fetch} in production). */
    @FunctionalInterface
    public interface CatalogSource {
        SoftwareUpdateCatalog fetch() throws AbmException;
    }

    private final SoftwareUpdateRepository updates;
    private final TaskQueue tasks;

    public SoftwareUpdateRoutes(SoftwareUpdateRepository updates, TaskQueue tasks) {
        this.updates = Objects.requireNonNull(updates, "updates");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
    }

    @Override
    public List<ApiRoute> routes() {
        return List.of(
                new ApiRoute("POST", "/api/mdm/software_updates/sync/", List.of("mdm.add_softwareupdate",
                        "mdm.change_softwareupdate", "mdm.delete_softwareupdate"),
                        "Start a software updates sync task", call -> TaskRoutes.submitted(tasks, SYNC_TASK, Map.of())),
                new ApiRoute("GET", "/api/mdm/software_updates/", List.of("mdm.view_softwareupdate"),
                        "List software updates (filter platform)", this::list));
    }

    private ApiResponse list(ApiCall call) throws ApiException {
        return Pagination.respond(call, updates.list(call.filter("platform").orElse(null)).stream()
                .map(SoftwareUpdateRoutes::serialize).toList());
    }

    /** JSON of a software update. */
    public static Map<String, Object> serialize(SoftwareUpdate u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("platform", u.platform());
        m.put("major", u.major());
        m.put("minor", u.minor());
        m.put("patch", u.patch());
        m.put("extra", u.extra());
        m.put("build", u.build());
        m.put("prerequisite_build", u.prerequisiteBuild());
        m.put("public", u.publicRelease());
        m.put("availability_start", ApiTimestamps.format(u.availabilityStart()));
        m.put("availability_end", ApiTimestamps.format(u.availabilityEnd()));
        m.put("created_at", ApiTimestamps.format(u.createdAt()));
        m.put("updated_at", ApiTimestamps.format(u.updatedAt()));
        return m;
    }

    /** The sync task: fetch the catalog, store it, answer {@code {"created", "updated", "deleted", "present"}}. */
    public static TaskHandler syncHandler(SoftwareUpdateRepository updates, CatalogSource source) {
        return (arguments, progress) -> {
            SoftwareUpdateCatalog catalog = source.fetch();
            progress.report(50);
            List<SoftwareUpdate.Spec> specs = specs(catalog.releases());
            SoftwareUpdate.SyncResult r = updates.sync(specs);
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("created", r.created());
            result.put("updated", r.updated());
            result.put("deleted", r.deleted());
            result.put("present", specs.size());
            return result;
        };
    }

    /**
     * The store's updates of a catalog. Apple lists one build several times for different device
     * sets: those become one update with the union of the device ids.
     */
    static List<SoftwareUpdate.Spec> specs(List<SoftwareRelease> releases) {
        Map<String, SoftwareUpdate.Spec> merged = new LinkedHashMap<>();
        for (SoftwareRelease r : releases) {
            SoftwareUpdate.Spec s = spec(r);
            String key = s.platform() + "|" + s.build() + "|" + s.prerequisiteBuild() + "|" + s.publicRelease();
            merged.merge(key, s, (a, b) -> {
                java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>(a.deviceIds());
                ids.addAll(b.deviceIds());
                return new SoftwareUpdate.Spec(a.platform(), a.major(), a.minor(), a.patch(), a.extra(), a.build(),
                        a.prerequisiteBuild(), a.publicRelease(), a.availabilityStart(), a.availabilityEnd(),
                        List.copyOf(ids));
            });
        }
        return List.copyOf(merged.values());
    }

    static SoftwareUpdate.Spec spec(SoftwareRelease r) {
        boolean isPublic = r.channel() != ReleaseChannel.MDM;
        return new SoftwareUpdate.Spec(r.platform(), r.major(), r.minor(), r.patch(), r.productVersionExtra(), r.build(),
                r.prerequisiteBuild(), isPublic, r.postingDate().atStartOfDay().toInstant(ZoneOffset.UTC),
                r.expirationDate() == null ? null : r.expirationDate().atStartOfDay().toInstant(ZoneOffset.UTC),
                r.supportedDevices());
    }
}
