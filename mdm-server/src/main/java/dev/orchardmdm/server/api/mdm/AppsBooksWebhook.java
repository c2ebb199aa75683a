package dev.orchardmdm.server.api.mdm;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.orchardmdm.dep.AbmResponseException;
import dev.orchardmdm.dep.vpp.AppsBooksNotification;
import dev.orchardmdm.server.api.ApiJson;
import dev.orchardmdm.store.AppsBooksRepository;
import dev.orchardmdm.store.AuditLog;
import dev.orchardmdm.store.Location;
import dev.orchardmdm.store.LocationAsset;
import dev.orchardmdm.store.StoreException;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Apple's Apps &amp; Books notification webhook, {@code POST /public/mdm/locations/<mdm_info_id>/notify/}:
 * authenticated by the location's notification token ({@code Authorization: Bearer ...}, stored as a
 * hash only). {@code ASSET_COUNT} notifications update the location asset's counts; every accepted
 * notification is written to the audit log.
 */
public final class AppsBooksWebhook {

    /** Path of the webhook. */
    public static final String PATH = "/public/mdm/locations/{mdm_info_id}/notify/";
    /** Largest notification body accepted. */
    public static final int MAX_BODY = 1 << 20;

    private static final Logger LOG = LoggerFactory.getLogger(AppsBooksWebhook.class);

    private final AppsBooksRepository repository;
    private final AuditLog auditLog;
    private final ObjectMapper mapper = ApiJson.newMapper();

    public AppsBooksWebhook(AppsBooksRepository repository, AuditLog auditLog) {
        this.repository = Objects.requireNonNull(repository, "repository");
        this.auditLog = Objects.requireNonNull(auditLog, "auditLog");
    }

    /** Registers the webhook on {@code routing}. */
    public void register(JavalinDefaultRoutingApi<?> routing) {
        routing.addHttpHandler(HandlerType.POST, PATH, this::handle);
    }

    private void handle(Context ctx) throws Exception {
        UUID mdmInfoId;
        try {
            mdmInfoId = UUID.fromString(ctx.pathParam("mdm_info_id"));
        } catch (IllegalArgumentException e) {
            answer(ctx, 404, "Not found.");
            return;
        }
        String auth = ctx.header("Authorization");
        String token = auth != null && auth.startsWith("Bearer ") ? auth.substring(7).trim() : null;
        if (token == null || token.length() > 256 || !repository.checkNotificationToken(mdmInfoId, token)) {
            answer(ctx, 401, "Invalid notification token.");
            return;
        }
        String length = ctx.header("Content-Length");
        if (length != null && length.matches("[0-9]{1,12}") && Long.parseLong(length) > MAX_BODY) {
            answer(ctx, 413, "Notification too large.");
            return;
        }
        byte[] body = ctx.bodyAsBytes();
        if (body.length > MAX_BODY) {
            answer(ctx, 413, "Notification too large.");
            return;
        }
        AppsBooksNotification notification;
        try {
            notification = AppsBooksNotification.parse(body);
        } catch (AbmResponseException e) {
            answer(ctx, 400, "Invalid notification: " + e.getMessage());
            return;
        }
        Optional<Location> location = repository.listLocations(null, null, mdmInfoId).stream().findFirst();
        if (location.isEmpty()) {
            answer(ctx, 404, "Not found.");
            return;
        }
        Map<String, Object> detail = new LinkedHashMap<>();
        detail.put("notification_id", notification.notificationId());
        detail.put("notification_type", notification.notificationType());
        if (notification.payload() instanceof AppsBooksNotification.AssetCount count) {
            detail.put("adam_id", count.asset().adamId());
            detail.put("pricing_param", count.asset().pricingParam());
            detail.put("count_delta", count.countDelta());
            detail.put("applied", applyCount(location.get(), count));
        }
        try {
            auditLog.record("apple:apps_books", "apps_books_notification", "mdm.location",
                    Long.toString(location.get().id()), mapper.writeValueAsString(detail));
        } catch (StoreException e) {
            LOG.warn("cannot audit an Apps & Books notification: {}", e.getMessage());
        }
        answer(ctx, 200, "OK");
    }

    private boolean applyCount(Location location, AppsBooksNotification.AssetCount count) throws StoreException {
        List<LocationAsset> assets = repository.listLocationAssets(location.id(), count.asset().adamId(),
                count.asset().pricingParam());
        if (assets.isEmpty()) {
            LOG.info("Apps & Books count for an asset not synced yet at location {}", location.id());
            return false;
        }
        LocationAsset a = assets.get(0);
        int delta = (int) Math.max(Integer.MIN_VALUE / 2, Math.min(Integer.MAX_VALUE / 2, count.countDelta()));
        int available = Math.max(0, a.availableCount() + delta);
        int total = Math.max(0, a.totalCount() + delta);
        repository.upsertLocationAsset(location.id(), a.assetId(), a.assignedCount(), available, a.retiredCount(), total);
        return true;
    }

    private void answer(Context ctx, int status, String detail) throws java.io.IOException {
        ctx.status(status).contentType("application/json").result(mapper.writeValueAsBytes(Map.of("detail", detail)));
    }
}
