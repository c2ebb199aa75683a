package dev.orchardmdm.server.metrics;

import com.zaxxer.hikari.HikariDataSource;
import dev.orchardmdm.apns.PushOutcome;
import dev.orchardmdm.crypto.scep.IssuancePolicy;
import dev.orchardmdm.crypto.scep.ScepRejectedException;
import dev.orchardmdm.server.api.tasks.TaskHandler;
import dev.orchardmdm.server.engine.MdmEventListener;
import dev.orchardmdm.server.push.PushGateway;
import dev.orchardmdm.store.Database;
import dev.orchardmdm.store.TaskRepository;
import dev.orchardmdm.store.TaskStatus;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's metrics: one Micrometer {@link PrometheusMeterRegistry} per server, and the
 * decorators and listeners that feed it from the outside of the components they measure — the
 * engine ({@link #engineListener()}), the push gateway, the SCEP issuance policy, task handlers,
 * the connection pool and the HTTP layer. Labels never carry a secret, a UDID, a serial number or a
 * raw request path; every label has a small, bounded set of values.
 */
public final class ServerMetrics {
    /** Content type of the Prometheus text exposition format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    /** Label value of requests that matched no route, and of request types beyond {@link #MAX_REQUEST_TYPES}. */
    static final String OTHER = "other";
    /** At most this many distinct command request types get their own series. */
    static final int MAX_REQUEST_TYPES = 200;
    private static final Logger LOG = LoggerFactory.getLogger(ServerMetrics.class);
    private static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10)};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Set<String> routes = ConcurrentHashMap.newKeySet();
    private final Map<String, Timer> requestTimers = new ConcurrentHashMap<>();
    private final Map<String, Counter> scepOutcomes = new ConcurrentHashMap<>();
    private final ClassValue<Counter> pushOutcomes = new ClassValue<>() {
        @Override
        protected Counter computeValue(Class<?> type) {
            return Counter.builder("orchard.apns.pushes").description("APNs notifications by outcome")
                    .tag("outcome", snake(type.getSimpleName())).register(registry);
        }
    };
    private final MetricsListener engineListener = new MetricsListener(registry);

    public ServerMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** The registry (for embedders adding their own meters). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The current values in the Prometheus text format. */
    public String scrape() {
        return registry.scrape();
    }

    /** The engine listener: check-ins, connects, refusals, commands queued/sent/answered. */
    public MdmEventListener engineListener() {
        return engineListener;
    }

    /** Publishes the connection pool's metrics (HikariCP's Micrometer tracker: {@code hikaricp_connections_*}). */
    public void bindDatabase(Database database) {
        if (database.dataSource() instanceof HikariDataSource hikari) {
            try {
                hikari.setMetricRegistry(registry);
            } catch (IllegalStateException e) {
                LOG.debug("connection pool metrics already bound elsewhere: {}", e.getMessage());
            }
        }
    }

    /** Publishes the task queue's depth ({@code orchard_tasks{status}}), read from the database at scrape time. */
    public void bindTasks(TaskRepository tasks) {
        for (TaskStatus status : new TaskStatus[] {TaskStatus.PENDING, TaskStatus.RUNNING}) {
            Gauge.builder("orchard.tasks", tasks, t -> {
                        try {
                            return t.count(status);
                        } catch (RuntimeException e) {
                            return Double.NaN;
                        }
                    }).description("Background tasks waiting or running (all replicas)")
                    .tag("status", status.name().toLowerCase(Locale.ROOT)).register(registry);
        }
    }

    /** {@code handler} counted and timed: {@code orchard_task_runs_total{task,outcome}}, {@code orchard_task_run_seconds{task}}. */
    public TaskHandler taskHandler(String name, TaskHandler handler) {
        Counter succeeded = Counter.builder("orchard.task.runs").description("Background task runs by outcome")
                .tag("task", name).tag("outcome", "succeeded").register(registry);
        Counter failed = Counter.builder("orchard.task.runs").description("Background task runs by outcome")
                .tag("task", name).tag("outcome", "failed").register(registry);
        Timer timer = Timer.builder("orchard.task.run").description("Duration of background task runs")
                .tag("task", name).register(registry);
        return (arguments, progress) -> {
            long start = System.nanoTime();
            try {
                var result = handler.run(arguments, progress);
                succeeded.increment();
                return result;
            } catch (Exception e) {
                failed.increment();
                throw e;
            } finally {
                timer.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            }
        };
    }

    /** {@code gateway} with its outcomes counted ({@code orchard_apns_pushes_total{outcome}}). */
    public PushGateway pushGateway(PushGateway gateway) {
        return new PushGateway() {
            @Override
            public java.util.List<PushOutcome> send(long pushCertificateId, java.util.List<dev.orchardmdm.apns.MdmPush> pushes)
                    throws InterruptedException {
                java.util.List<PushOutcome> outcomes = gateway.send(pushCertificateId, pushes);
                for (PushOutcome outcome : outcomes) {
                    pushOutcomes.get(outcome.getClass()).increment();
                }
                return outcomes;
            }

            @Override
            public void close() {
                gateway.close();
            }
        };
    }

    /** {@code policy} with its decisions counted ({@code orchard_scep_issuances_total{outcome}}). */
    public IssuancePolicy scepIssuance(IssuancePolicy policy) {
        Counter issued = scepCounter("issued");
        Counter rejected = scepCounter("rejected");
        return request -> {
            try {
                IssuancePolicy.Issuance issuance = policy.decide(request);
                issued.increment();
                return issuance;
            } catch (ScepRejectedException e) {
                rejected.increment();
                throw e;
            }
        };
    }

    private Counter scepCounter(String outcome) {
        return scepOutcomes.computeIfAbsent(outcome, o -> Counter.builder("orchard.scep.issuances")
                .description("SCEP certificate requests decided by the embedded CA").tag("outcome", o).register(registry));
    }

    /** Remembers a registered route template (Javalin's {@code handlerAdded} event). */
    public void routeAdded(String pathTemplate) {
        routes.add(pathTemplate);
    }

    /**
     * Records one HTTP request ({@code orchard_http_server_requests_seconds{method,route,status}}).
     * The route is the matched path template (e.g. {@code /public/mdm/enrollments/{secret}/mdm_profile/}),
     * never the raw path: a path that matched no registered template is counted as {@code other}.
     */
    public void recordRequest(Context ctx, Float executionTimeMs) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) {
            route = OTHER;
        }
        if (route == null || !routes.contains(route) || "*".equals(route)) {
            route = OTHER;
        }
        String method = ctx.method().name();
        String status = Integer.toString(ctx.statusCode());
        String key = method + ' ' + route + ' ' + status;
        Timer timer = requestTimers.get(key);
        if (timer == null) {
            String r = route;
            timer = requestTimers.computeIfAbsent(key, k -> Timer.builder("orchard.http.server.requests")
                    .description("HTTP requests by method, route template and status")
                    .tag("method", method).tag("route", r).tag("status", status)
                    .serviceLevelObjectives(LATENCY_BUCKETS).register(registry));
        }
        timer.record((long) (executionTimeMs * 1_000_000L), TimeUnit.NANOSECONDS);
    }

    /** {@code AcceptedPush} → {@code accepted_push}. */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}
