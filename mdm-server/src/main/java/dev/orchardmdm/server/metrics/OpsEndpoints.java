package dev.orchardmdm.server.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.orchardmdm.server.config.ServerConfig;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The operations endpoints: {@code GET /health/live}, {@code GET /health/ready} (no authentication:
 * they say only "ok"/"not ready" per check) and {@code GET /metrics} (Prometheus text format) —
 * on the main listener only with {@code metrics.token} as a bearer token, and without a token on the
 * listener of its own when {@code metrics.listen} is set. With neither, {@code /metrics} answers 404.
 */
public final class OpsEndpoints implements AutoCloseable {
    private final ServerMetrics metrics;
    private final Health health;
    private final ServerConfig.Metrics config;
    private HttpServer ownListener;

    public OpsEndpoints(ServerMetrics metrics, Health health, ServerConfig.Metrics config) {
        this.metrics = Objects.requireNonNull(metrics, "metrics");
        this.health = Objects.requireNonNull(health, "health");
        this.config = Objects.requireNonNull(config, "config");
    }

    /** Registers the endpoints on the main listener. */
    public void register(Javalin app) {
        app.get("/health/live", ctx -> ctx.contentType("application/json").result("{\"status\":\"live\"}"));
        app.get("/health/ready", this::ready);
        app.get("/metrics", this::scrape);
    }

    private void ready(Context ctx) {
        Map<String, Boolean> checks = health.readiness();
        boolean ready = !checks.containsValue(false);
        ctx.status(ready ? 200 : 503).contentType("application/json").result(readinessJson(ready, checks));
    }

    private static String readinessJson(boolean ready, Map<String, Boolean> checks) {
        return "{\"status\":\"" + (ready ? "ready" : "not ready") + "\",\"checks\":{" + checks.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":\"" + (e.getValue() ? "ok" : "failing") + "\"")
                .collect(Collectors.joining(",")) + "}}";
    }

    private void scrape(Context ctx) {
        Optional<String> token = config.token();
        if (token.isEmpty()) {
            ctx.status(404).result("Not found");
            return;
        }
        String header = ctx.header("Authorization");
        byte[] given = header != null && header.startsWith("Bearer ")
                ? header.substring(7).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        if (!MessageDigest.isEqual(given, token.get().getBytes(StandardCharsets.UTF_8))) {
            ctx.status(401).header("WWW-Authenticate", "Bearer").result("Unauthorized");
            return;
        }
        ctx.contentType(ServerMetrics.CONTENT_TYPE).result(metrics.scrape());
    }

    /** Starts the listener of its own when {@code metrics.listen} is set; its port, or -1. */
    public int startOwnListener() throws IOException {
        if (config.listenHost().isEmpty()) {
            return -1;
        }
        ownListener = HttpServer.create(new InetSocketAddress(config.listenHost().get(), config.listenPort()), 16);
        ownListener.createContext("/", this::handleOwn);
        ownListener.start();
        return ownListener.getAddress().getPort();
    }

    private void handleOwn(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            if (!"GET".equals(exchange.getRequestMethod())) {
                send(exchange, 405, "text/plain", "Method not allowed");
            } else if ("/metrics".equals(path)) {
                send(exchange, 200, ServerMetrics.CONTENT_TYPE, metrics.scrape());
            } else if ("/health/live".equals(path)) {
                send(exchange, 200, "application/json", "{\"status\":\"live\"}");
            } else if ("/health/ready".equals(path)) {
                Map<String, Boolean> checks = health.readiness();
                boolean ready = !checks.containsValue(false);
                send(exchange, ready ? 200 : 503, "application/json", readinessJson(ready, checks));
            } else {
                send(exchange, 404, "text/plain", "Not found");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        if (ownListener != null) {
            ownListener.stop(0);
        }
        health.close();
    }
}
