package dev.orchardmdm.server;

import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.server.config.ConfigException;
import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.server.http.HttpErrors;
import dev.orchardmdm.server.http.RequestBodyLimit;
import jakarta.servlet.DispatcherType;
import java.util.EnumSet;
import org.eclipse.jetty.servlet.FilterHolder;
import dev.orchardmdm.server.http.RouteModule;
import dev.orchardmdm.server.metrics.Health;
import dev.orchardmdm.server.metrics.OpsEndpoints;
import dev.orchardmdm.server.metrics.ServerMetrics;
import dev.orchardmdm.server.push.ApnsPushGateway;
import dev.orchardmdm.server.push.PushGateway;
import dev.orchardmdm.server.push.PushScheduler;
import io.javalin.Javalin;
import java.util.List;
import java.util.Objects;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The running HTTP server: a Javalin app with request bodies bounded while they are read
 * ({@link RequestBodyLimit}) and time-outs, the
 * exception mapping of {@link HttpErrors}, the given route modules, and (when {@code push.enabled})
 * the push scheduler. {@link #close()} stops it
 * (the {@link ServerContext} stays open: its owner closes it).
 */
public final class OrchardServer implements AutoCloseable {
    private final Javalin app;
    private final ServerServices services;
    private final PushScheduler pushScheduler;
    private final PushGateway pushGateway;
    private final OpsEndpoints ops;
    private final int metricsPort;

    private OrchardServer(Javalin app, ServerServices services, PushGateway pushGateway, PushScheduler pushScheduler,
                          OpsEndpoints ops, int metricsPort) {
        this.app = app;
        this.ops = ops;
        this.metricsPort = metricsPort;
        this.services = services;
        this.pushGateway = pushGateway;
        this.pushScheduler = pushScheduler;
    }

    /**
     * Builds the app, registers {@code modules} and starts listening on
     * {@code server.listen} (port 0 picks a free port, see {@link #port()}).
     */
    public static OrchardServer start(ServerContext context, List<RouteModule> modules)
            throws ConfigException, CryptoException {
        return start(new ServerServices(Objects.requireNonNull(context, "context")), modules);
    }

    /** Starts the server over already composed services. */
    public static OrchardServer start(ServerServices services, List<RouteModule> modules) {
        ServerContext context = services.context();
        ServerConfig.Server cfg = context.config().server();
        SslContextFactory.Server tls = services.tls().orElse(null);
        ServerMetrics metrics = services.metrics();
        Javalin app = Javalin.create(config -> {
            config.events.handlerAdded(handler -> metrics.routeAdded(handler.getPath()));
            config.requestLogger.http(metrics::recordRequest);
            config.showJavalinBanner = false;
            config.startupWatcherEnabled = false;
            config.http.maxRequestSize = cfg.maxBodyBytes();
            config.http.disableCompression();
            config.jetty.modifyServletContextHandler(handler -> handler.addFilter(
                    new FilterHolder(new RequestBodyLimit(cfg.maxBodyBytes())), "/*",
                    EnumSet.of(DispatcherType.REQUEST)));
            config.jetty.addConnector((server, httpConfiguration) -> {
                httpConfiguration.setSendServerVersion(false);
                ServerConnector connector;
                if (tls != null) {
                    httpConfiguration.addCustomizer(new SecureRequestCustomizer(false));
                    connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"),
                            new HttpConnectionFactory(httpConfiguration));
                } else {
                    connector = new ServerConnector(server, new HttpConnectionFactory(httpConfiguration));
                }
                connector.setHost(cfg.host());
                connector.setPort(cfg.port());
                connector.setIdleTimeout(cfg.requestTimeout().toMillis());
                return connector;
            });
        });
        HttpErrors.register(app);
        Health health = new Health(context.database());
        OpsEndpoints ops = new OpsEndpoints(metrics, health, context.config().metrics());
        ops.register(app);
        for (RouteModule module : modules) {
            module.register(app, services);
        }
        app.start();
        health.addCheck("http", () -> app.jettyServer().server().isStarted());
        ServerConfig.Push push = context.config().push();
        PushGateway gateway = null;
        PushScheduler scheduler = null;
        if (push.enabled()) {
            gateway = metrics.pushGateway(ApnsPushGateway.production(context.store()));
            scheduler = new PushScheduler(context.store(), gateway, context.clock(), push.batchSize(),
                    push.ratePerSecond(), push.lease(), push.pollInterval());
            scheduler.start();
            PushScheduler started = scheduler;
            health.addCheck("push", started::running);
        }
        int metricsPort;
        try {
            metricsPort = ops.startOwnListener();
        } catch (java.io.IOException e) {
            if (scheduler != null) {
                scheduler.close();
            }
            app.stop();
            throw new java.io.UncheckedIOException("cannot listen on metrics.listen: " + e.getMessage(), e);
        }
        return new OrchardServer(app, services, gateway, scheduler, ops, metricsPort);
    }

    /** The port actually listened on. */
    public int port() {
        return app.port();
    }

    /** The port of the metrics listener of its own ({@code metrics.listen}), or -1 when there is none. */
    public int metricsPort() {
        return metricsPort;
    }

    /** What the route modules were given. */
    public ServerServices services() {
        return services;
    }

    @Override
    public void close() {
        if (pushScheduler != null) {
            pushScheduler.close();
        }
        if (pushGateway != null) {
            pushGateway.close();
        }
        app.stop();
        ops.close();
    }
}
