package dev.orchardmdm.server.api;

import dev.orchardmdm.dep.ade.AdeClient;
import dev.orchardmdm.dep.swupdate.SoftwareUpdateCatalogClient;
import dev.orchardmdm.dep.vpp.AppsBooksClient;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.server.ServerServices;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.api.audit.AuditRoutes;
import dev.orchardmdm.server.api.mdm.AppsBooksRoutes;
import dev.orchardmdm.server.api.mdm.AppsBooksSync;
import dev.orchardmdm.server.api.mdm.AppsBooksWebhook;
import dev.orchardmdm.server.api.mdm.DepEnrollmentRoutes;
import dev.orchardmdm.server.api.mdm.DepRoutes;
import dev.orchardmdm.server.api.mdm.DepTokenRoutes;
import dev.orchardmdm.server.api.mdm.ConfigRoutes;
import dev.orchardmdm.server.api.mdm.DeviceRoutes;
import dev.orchardmdm.server.api.mdm.LocationOnboardingRoutes;
import dev.orchardmdm.server.api.mdm.OtaEnrollmentRoutes;
import dev.orchardmdm.server.api.mdm.PushCertificateRoutes;
import dev.orchardmdm.server.api.mdm.SoftwareUpdateRoutes;
import dev.orchardmdm.server.api.tasks.SyncScheduler;
import dev.orchardmdm.server.api.tasks.TaskHandler;
import dev.orchardmdm.server.api.tasks.TaskQueue;
import dev.orchardmdm.server.api.tasks.TaskRoutes;
import dev.orchardmdm.server.http.RouteModule;
import dev.orchardmdm.store.StoreException;
import dev.orchardmdm.store.Store;
import io.javalin.Javalin;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import okhttp3.HttpUrl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin REST API as a server route module: composes every admin module over the server's
 * store and engine, registers them, and runs the background task workers while the server runs.
 */
public final class AdminRouteModule implements RouteModule {

    private static final Logger LOG = LoggerFactory.getLogger(AdminRouteModule.class);

    /**
     * Where the background tasks reach Apple, and how many workers run them.
     *
     * @param adeBaseUrl         the ADE API ({@code https://mdmenrollment.apple.com/})
     * @param softwareUpdateUrl  the software-update catalog ({@code https://gdmf.apple.com/v2/pmv})
     * @param appsBooksBaseUrl   Apps &amp; Books ({@code https://vpp.itunes.apple.com/mdm/v2/})
     * @param taskWorkers        worker threads of the task queue
     * @param taskLease          how long a task claim holds without a heartbeat
     * @param taskPollInterval   how often idle workers look for tasks of other replicas
     */
    public record Settings(HttpUrl adeBaseUrl, HttpUrl softwareUpdateUrl, HttpUrl appsBooksBaseUrl, int taskWorkers,
                           Duration taskLease, Duration taskPollInterval) {
        public Settings {
            Objects.requireNonNull(adeBaseUrl, "adeBaseUrl");
            Objects.requireNonNull(appsBooksBaseUrl, "appsBooksBaseUrl");
            Objects.requireNonNull(softwareUpdateUrl, "softwareUpdateUrl");
            if (taskWorkers < 1) {
                throw new IllegalArgumentException("taskWorkers must be at least 1");
            }
        }

        /** Apple's production services, two workers, a 5 minute lease, a 5 second poll. */
        public static Settings defaults() {
            return new Settings(AdeClient.DEFAULT_BASE_URL, SoftwareUpdateCatalogClient.DEFAULT_URL,
                    AppsBooksClient.DEFAULT_BASE_URL, 2,
                    Duration.ofMinutes(5), Duration.ofSeconds(5));
        }
    }

    private final Settings settings;

    /** With {@link Settings#defaults()}. */
    public AdminRouteModule() {
        this(Settings.defaults());
    }

    public AdminRouteModule(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    /**
     * The periodic syncs as of now: each ADE virtual server's devices, each Apps &amp; Books
     * location's assets, the software-update catalog (a zero interval leaves a kind out).
     */
    static List<SyncScheduler.Job> scheduledSyncs(Store store, ServerConfig.Schedule schedule) {
        List<SyncScheduler.Job> jobs = new java.util.ArrayList<>();
        if (!schedule.adeDevices().isZero()) {
            store.dep().listVirtualServers(null).forEach(vs -> jobs.add(new SyncScheduler.Job(DepRoutes.SYNC_TASK,
                    Map.of("virtual_server_id", vs.id(), "full_sync", false), schedule.adeDevices())));
        }
        if (!schedule.appsBooksAssets().isZero()) {
            store.appsBooks().listLocations(null, null, null).forEach(l -> jobs.add(new SyncScheduler.Job(
                    AppsBooksSync.SYNC_TASK, Map.of("location_id", l.id()), schedule.appsBooksAssets())));
        }
        if (!schedule.softwareUpdates().isZero()) {
            jobs.add(new SyncScheduler.Job(SoftwareUpdateRoutes.SYNC_TASK, Map.of(), schedule.softwareUpdates()));
        }
        return jobs;
    }

    @Override
    public void register(Javalin app, ServerServices services) {
        Store store = services.store();
        ApiAudit audit = new ApiAudit(store.auditLog());
        DepRoutes.AdeConnector connector = DepRoutes.connector(settings.adeBaseUrl());
        DepRoutes.AdeClients ade = DepRoutes.clients(store.dep(), connector);
        SoftwareUpdateCatalogClient catalog = SoftwareUpdateCatalogClient.builder().url(settings.softwareUpdateUrl())
                .build();
        String owner = "api-" + ManagementFactory.getRuntimeMXBean().getName() + "-" + UUID.randomUUID();
        Map<String, TaskHandler> handlers = Map.of(
                DepRoutes.SYNC_TASK, DepRoutes.syncHandler(store.dep(), ade),
                SoftwareUpdateRoutes.SYNC_TASK, SoftwareUpdateRoutes.syncHandler(store.softwareUpdates(), catalog::fetch),
                AppsBooksSync.SYNC_TASK, AppsBooksSync.syncHandler(store.appsBooks(),
                        AppsBooksSync.clients(store.appsBooks(), settings.appsBooksBaseUrl())));
        Map<String, TaskHandler> metered = new java.util.HashMap<>();
        handlers.forEach((name, handler) -> metered.put(name, services.metrics().taskHandler(name, handler)));
        TaskQueue tasks = new TaskQueue(store.tasks(), metered, owner, settings.taskLease(), settings.taskPollInterval());
        DeviceWaker waker = (deviceId, reason) -> {
            try {
                store.pushOutbox().enqueue(deviceId, null, reason);
            } catch (StoreException e) {
                LOG.warn("cannot record a push for device {}: {}", deviceId, e.getMessage());
            }
        };
        List<ApiModule> modules = List.of(
                new DeviceRoutes(store.devices(), store.commands(), services.engine().commands(), waker,
                        schemaValidatorLoadedInBackground(), audit,
                        store.blueprints(), services.clock()),
                new PushCertificateRoutes(store.pushCertificates(), audit),
                new OtaEnrollmentRoutes(store.enrollments(), store.pushCertificates(), store.blueprints(),
                        services.enrollmentProfiles(), audit),
                new ConfigRoutes(store.blueprints(), audit),
                new DepRoutes(store.dep(), tasks, ade, audit),
                new DepTokenRoutes(store.dep(), connector, audit),
                new DepEnrollmentRoutes(store.enrollments(), store.pushCertificates(), store.blueprints(), store.dep(),
                        ade, services.config().server().publicBase(), audit),
                new AppsBooksRoutes(store.appsBooks()),
                new AppsBooksSync(store.appsBooks(), tasks),
                new LocationOnboardingRoutes(store.appsBooks(), settings.appsBooksBaseUrl(),
                        services.config().server().publicBase(), audit),
                new SoftwareUpdateRoutes(store.softwareUpdates(), tasks),
                new TaskRoutes(tasks),
                new AuditRoutes(store.auditLog()));
        new AdminApi(new ApiAuthenticator(AdminApiFactory.tokenLookup(store.apiTokens())), modules).register(app);
        new AppsBooksWebhook(store.appsBooks(), store.auditLog()).register(app);
        SyncScheduler scheduler = new SyncScheduler(tasks, services.clock(), services.config().schedule(),
                () -> scheduledSyncs(store, services.config().schedule()));
        app.events(events -> {
            events.serverStarted(() -> {
                tasks.start(settings.taskWorkers());
                scheduler.start();
            });
            events.serverStopping(() -> {
                scheduler.close();
                tasks.close();
            });
        });
    }

    /**
     * The command validator over Apple's bundled schema, whose YAML is read on a background thread:
     * reading it took a third of the server's start, and only admin commands need it (a command
     * that arrives before it is read waits for it).
     */
    private static DeviceRoutes.CommandValidator schemaValidatorLoadedInBackground() {
        CompletableFuture<DeviceRoutes.CommandValidator> loading = CompletableFuture.supplyAsync(
                () -> DeviceRoutes.schemaValidator(new SchemaValidator(SchemaCatalog.bundled())), task -> {
                    Thread t = new Thread(task, "orchard-schema-load");
                    t.setDaemon(true);
                    t.start();
                });
        return (command, device) -> loading.join().problems(command, device);
    }
}
