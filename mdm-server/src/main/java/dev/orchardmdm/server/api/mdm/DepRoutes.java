package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.dep.AbmException;
import dev.orchardmdm.dep.AssignmentResult;
import dev.orchardmdm.dep.SyncResult;
import dev.orchardmdm.dep.ade.AdeClient;
import dev.orchardmdm.dep.ade.AdeDevice;
import dev.orchardmdm.dep.ade.AdeServerToken;
import dev.orchardmdm.server.api.ApiAudit;
import dev.orchardmdm.server.api.ApiCall;
import dev.orchardmdm.server.api.ApiException;
import dev.orchardmdm.server.api.ApiModule;
import dev.orchardmdm.server.api.ApiResponse;
import dev.orchardmdm.server.api.ApiRoute;
import dev.orchardmdm.server.api.ApiTimestamps;
import dev.orchardmdm.server.api.Pagination;
import dev.orchardmdm.server.api.StoreErrors;
import dev.orchardmdm.server.api.tasks.TaskHandler;
import dev.orchardmdm.server.api.tasks.TaskQueue;
import dev.orchardmdm.server.api.tasks.TaskRoutes;
import dev.orchardmdm.store.DepDevice;
import dev.orchardmdm.store.DepRepository;
import dev.orchardmdm.store.DepToken;
import dev.orchardmdm.store.DepVirtualServer;
import dev.orchardmdm.store.StoreException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.HttpUrl;

/**
 * ADE (DEP): virtual servers (list, get, {@code sync_devices} task), ADE devices (list with filters,
 * get, {@code disown}).
 */
public final class DepRoutes implements ApiModule {

    /** Name of the device sync task. */
    public static final String SYNC_TASK = "mdm.sync_dep_virtual_server_devices";
    static final String VIEW_SERVER = "mdm.view_depvirtualserver";
    static final String VIEW_DEVICE = "mdm.view_depdevice";
    static final String DISOWN_DEVICE = "mdm.disown_depdevice";

    /** Makes an ADE client for a stored server token. */
    @FunctionalInterface
    public interface AdeClients {
        AdeClient forToken(long tokenId) throws StoreException;
    }

    private final DepRepository dep;
    private final TaskQueue tasks;
    private final AdeClients clients;
    private final ApiAudit audit;

    public DepRoutes(DepRepository dep, TaskQueue tasks, AdeClients clients, ApiAudit audit) {
        this.dep = Objects.requireNonNull(dep, "dep");
        this.tasks = Objects.requireNonNull(tasks, "tasks");
        this.clients = Objects.requireNonNull(clients, "clients");
        this.audit = Objects.requireNonNull(audit, "audit");
    }

    /** Makes an ADE client for a server token. */
    @FunctionalInterface
    public interface AdeConnector {
        AdeClient connect(AdeServerToken token);
    }

    /** Connects to the ADE service at {@code baseUrl}. */
    public static AdeConnector connector(HttpUrl baseUrl) {
        return token -> AdeClient.builder(token).baseUrl(baseUrl).build();
    }

    /** ADE clients from the credentials stored (encrypted) with each token. */
    public static AdeClients clients(DepRepository dep, AdeConnector connector) {
        return tokenId -> {
            DepToken.Credentials c = dep.tokenCredentials(tokenId).orElseThrow(() ->
                    new dev.orchardmdm.store.InvalidStateException("the server token of this virtual server was not uploaded"));
            return connector.connect(new AdeServerToken(c.consumerKey(), c.consumerSecret(), c.accessToken(),
                    c.accessSecret(), c.accessTokenExpiry()));
        };
    }

    @Override
    public List<ApiRoute> routes() {
        String vs = "/api/mdm/dep/virtual_servers/";
        String dd = "/api/mdm/dep/devices/";
        return List.of(
                new ApiRoute("GET", vs, List.of(VIEW_SERVER), "List ADE virtual servers (filter name)", this::listServers),
                new ApiRoute("GET", vs + "{id}/", List.of(VIEW_SERVER), "Get an ADE virtual server", this::getServer),
                new ApiRoute("POST", vs + "{id}/sync_devices/", List.of(VIEW_SERVER),
                        "Start an ADE devices sync task (?full_sync=true for a full fetch)", this::sync),
                new ApiRoute("GET", dd, List.of(VIEW_DEVICE), "List ADE devices (filters virtual_server, serial_number,"
                        + " device_family, profile_status, profile_uuid, enrollment)", this::listDevices),
                new ApiRoute("GET", dd + "{id}/", List.of(VIEW_DEVICE), "Get an ADE device", this::getDevice),
                new ApiRoute("POST", dd + "{id}/disown/", List.of(DISOWN_DEVICE),
                        "Disown an ADE device at Apple (irreversible)", this::disown));
    }

    private ApiResponse listServers(ApiCall call) throws ApiException {
        return Pagination.respond(call, dep.listVirtualServers(call.filter("name").orElse(null)).stream()
                .map(DepRoutes::server).toList());
    }

    private DepVirtualServer findServer(ApiCall call) throws ApiException {
        return dep.findVirtualServer(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse getServer(ApiCall call) throws ApiException {
        return ApiResponse.ok(server(findServer(call)));
    }

    private ApiResponse sync(ApiCall call) throws ApiException {
        DepVirtualServer server = findServer(call);
        boolean full = call.boolFilter("full_sync").orElse(false);
        return TaskRoutes.submitted(tasks, SYNC_TASK, Map.of("virtual_server_id", server.id(), "full_sync", full));
    }

    private ApiResponse listDevices(ApiCall call) throws ApiException {
        Long server = call.idFilter("virtual_server").orElse(null);
        String serial = call.filter("serial_number").orElse(null);
        String family = call.filter("device_family").orElse(null);
        String status = call.filter("profile_status").orElse(null);
        String profile = call.filter("profile_uuid").orElse(null);
        Long enrollment = call.idFilter("enrollment").orElse(null);
        return Pagination.respond(call, Pagination.source(
                (limit, offset) -> dep.listDevices(new DepDevice.Query(server, serial, family, status, profile, enrollment,
                        limit, offset)).stream().map(DepRoutes::device).toList(),
                () -> dep.listDevices(new DepDevice.Query(server, serial, family, status, profile, enrollment,
                        Integer.MAX_VALUE, 0)).size()));
    }

    private DepDevice findDevice(ApiCall call) throws ApiException {
        return dep.findDevice(call.pathId("id")).orElseThrow(() -> ApiException.notFound("id"));
    }

    private ApiResponse getDevice(ApiCall call) throws ApiException {
        return ApiResponse.ok(device(findDevice(call)));
    }

    private ApiResponse disown(ApiCall call) throws ApiException {
        DepDevice device = findDevice(call);
        DepVirtualServer server = dep.findVirtualServer(device.virtualServerId()).orElseThrow(
                () -> ApiException.notFound("id"));
        AssignmentResult.Status status;
        try {
            AssignmentResult result = clients.forToken(server.tokenId()).disownDevices(List.of(device.serialNumber()));
            status = result.statuses().getOrDefault(device.serialNumber(), AssignmentResult.Status.FAILED);
            if (status == AssignmentResult.Status.SUCCESS) {
                dep.markDisowned(device.id());
            }
        } catch (AbmException e) {
            return new ApiResponse(502, Map.of("error", String.valueOf(e.getMessage())), null, null, null);
        } catch (StoreException e) {
            throw StoreErrors.map(e, "id");
        }
        audit.record(call, "dep_device_disowned", "mdm.depdevice", device.id(),
                Map.of("serial_number", device.serialNumber(), "result", status.name()));
        return ApiResponse.ok(Map.of("result", status.name()));
    }

    /** The sync task: walks Apple's device list (delta with the stored cursor, or full) into the store. */
    public static TaskHandler syncHandler(DepRepository dep, AdeClients clients) {
        return (arguments, progress) -> {
            long serverId = arguments.path("virtual_server_id").asLong();
            boolean full = arguments.path("full_sync").asBoolean(false);
            DepVirtualServer server = dep.findVirtualServer(serverId).orElseThrow(
                    () -> new IllegalStateException("unknown virtual server " + serverId));
            DepToken token = dep.findToken(server.tokenId()).orElseThrow(
                    () -> new IllegalStateException("virtual server " + serverId + " has no token"));
            AdeClient client = clients.forToken(token.id());
            AtomicLong pages = new AtomicLong();
            SyncResult r;
            try {
                r = client.syncDevices(full ? null : token.syncCursor(), page -> {
                    try {
                        for (AdeDevice d : page) {
                            dep.upsertDevice(serverId, sync(d));
                        }
                        progress.report((int) Math.min(95, pages.incrementAndGet() * 10));
                    } catch (Exception e) {
                        throw new PageFailed(e);
                    }
                });
            } catch (PageFailed e) {
                throw (Exception) e.getCause();
            }
            dep.updateSyncCursor(token.id(), r.cursor());
            ObjectNode result = JsonNodeFactory.instance.objectNode();
            result.put("virtual_server", serverId);
            result.put("full_sync", r.full());
            result.put("devices", r.devices());
            result.put("pages", r.pages());
            result.put("cursor_expired", r.cursorExpired());
            return result;
        };
    }

    private static final class PageFailed extends RuntimeException {
        PageFailed(Exception cause) {
            super(cause);
        }
    }

    static DepDevice.Sync sync(AdeDevice d) {
        return new DepDevice.Sync(d.serialNumber(), d.assetTag(), d.color(), d.description(), d.deviceFamily(), d.model(),
                d.os(), d.deviceAssignedBy(), d.deviceAssignedDate(), lower(d.opType()), d.opDate(),
                lower(d.profileStatus()), d.profileUuid(), d.profileAssignTime(), d.profilePushTime());
    }

    private static String lower(Enum<?> e) {
        return e == null ? null : e.name().toLowerCase(Locale.ROOT);
    }

    /** Zentral's virtual server JSON. */
    public static Map<String, Object> server(DepVirtualServer s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.id());
        m.put("name", s.name());
        m.put("uuid", s.uuid().toString());
        m.put("created_at", ApiTimestamps.format(s.createdAt()));
        m.put("updated_at", ApiTimestamps.format(s.updatedAt()));
        return m;
    }

    /** Zentral's ADE device JSON. */
    public static Map<String, Object> device(DepDevice d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id());
        m.put("virtual_server", d.virtualServerId());
        m.put("serial_number", d.serialNumber());
        m.put("asset_tag", d.assetTag());
        m.put("color", d.color());
        m.put("description", d.description());
        m.put("device_family", d.deviceFamily());
        m.put("model", d.model());
        m.put("os", d.os());
        m.put("device_assigned_by", d.deviceAssignedBy());
        m.put("device_assigned_date", ApiTimestamps.format(d.deviceAssignedDate()));
        m.put("last_op_type", d.lastOpType());
        m.put("last_op_date", ApiTimestamps.format(d.lastOpDate()));
        m.put("profile_status", d.profileStatus());
        m.put("profile_uuid", d.profileUuid());
        m.put("profile_assign_time", ApiTimestamps.format(d.profileAssignTime()));
        m.put("profile_push_time", ApiTimestamps.format(d.profilePushTime()));
        m.put("enrollment", d.enrollmentId());
        m.put("disowned_at", ApiTimestamps.format(d.disownedAt()));
        m.put("created_at", ApiTimestamps.format(d.createdAt()));
        m.put("updated_at", ApiTimestamps.format(d.updatedAt()));
        return m;
    }
}
