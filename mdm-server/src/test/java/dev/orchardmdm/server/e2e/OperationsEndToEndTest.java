package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.protocol.Commands;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.OrchardServer;
import dev.orchardmdm.server.RouteModules;
import dev.orchardmdm.server.ServerContext;
import dev.orchardmdm.server.ServerServices;
import dev.orchardmdm.server.config.ConfigLoader;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.CommandTarget;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code /metrics}, {@code /health/live} and {@code /health/ready} of a real server: the counters
 * move when a simulated device enrolls, checks in and answers commands; labels carry route
 * templates, never an enrollment secret or a UDID; only the configured token reads /metrics;
 * readiness fails when the database becomes unreachable.
 */
class OperationsEndToEndTest {
    private static final String TOKEN = "metrics-token-0123456789abcdef";

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir; // one data directory (one secret key) for the class's databases

    private static HttpResponse<String> get(TestServer s, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(s.baseUrl() + path)).GET();
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return s.http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The value of the sample {@code name{labels…}} in a Prometheus text body (0 when absent). */
    static double sample(String body, String name, String... labels) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\{([^}]*)} (\\S+)$").matcher(body);
        double total = 0;
        boolean found = false;
        while (m.find()) {
            boolean all = true;
            for (String label : labels) {
                all &= m.group(1).contains(label);
            }
            if (all) {
                total += Double.parseDouble(m.group(2));
                found = true;
            }
        }
        return found ? total : 0;
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void countersMoveWithAnEnrolledDeviceAndItsCommands(DatabaseKind kind) throws Exception {
        try (TestServer s = TestServer.start(DBS, kind, dir, "\"mdm\": {\"mtls_proxy\": true},"
                + " \"metrics\": {\"token\": \"" + TOKEN + "\"}")) {
            String before = get(s, "/metrics", "Bearer " + TOKEN).body();

            DeviceSimulator device = DeviceEndToEndTest.enrolled(s, DeviceSimulator.Mode.MTLS_PROXY);
            assertThat(device.authenticate(TestServer.TOPIC).status()).isEqualTo(200);
            assertThat(device.tokenUpdate(TestServer.TOPIC).status()).isEqualTo(200);
            assertThat(device.drain(10).body()).isEmpty(); // DeviceInformation and SecurityInfo, acknowledged
            EnrolledDevice record = s.context.store().devices().findByUdid(device.udid()).orElseThrow();
            var lock = s.server.services().engine().commands().queue(CommandTarget.device(record),
                    Commands.deviceLock().message("lost").build());
            PlistDict command = device.idle().plist();
            assertThat(command.requireDict("Command").requireString("RequestType")).isEqualTo("DeviceLock");
            assertThat(device.connect(PlistDict.of("UDID", device.udid(), "Status", "Error",
                    "CommandUUID", lock.uuid().toString())).status()).isEqualTo(200);

            HttpResponse<String> scraped = get(s, "/metrics", "Bearer " + TOKEN);
            assertThat(scraped.statusCode()).isEqualTo(200);
            assertThat(scraped.headers().firstValue("Content-Type")).get().asString().startsWith("text/plain");
            String after = scraped.body();
            assertThat(delta(before, after, "orchard_checkins_total", "message_type=\"Authenticate\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_checkins_total", "message_type=\"TokenUpdate\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_connects_total", "status=\"Idle\"")).isGreaterThanOrEqualTo(2);
            assertThat(delta(before, after, "orchard_connects_total", "status=\"Acknowledged\"")).isEqualTo(2);
            assertThat(delta(before, after, "orchard_connects_total", "status=\"Error\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_commands_queued_total", "request_type=\"DeviceInformation\""))
                    .isEqualTo(1);
            assertThat(delta(before, after, "orchard_commands_queued_total", "request_type=\"DeviceLock\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_commands_sent_total", "request_type=\"DeviceLock\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_command_results_total", "request_type=\"SecurityInfo\"",
                    "status=\"acknowledged\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_command_results_total", "request_type=\"DeviceLock\"",
                    "status=\"error\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_scep_issuances_total", "outcome=\"issued\"")).isEqualTo(1);
            assertThat(delta(before, after, "orchard_http_server_requests_seconds_count",
                    "route=\"/public/mdm/connect/\"", "status=\"200\"")).isGreaterThanOrEqualTo(4);
            assertThat(after).contains("orchard_http_server_requests_seconds_bucket{")
                    .contains("route=\"/api/mdm/ota_enrollments/{id}/mdm_profile/\"")
                    .contains("hikaricp_connections_active{").contains("orchard_tasks{")
                    .contains("jvm_memory_used_bytes{");
            // no secret, no device identifier, no raw path in any label
            assertThat(after).doesNotContain(s.enrollment.secret()).doesNotContain(device.udid())
                    .doesNotContain(device.serial()).doesNotContain(TOKEN);
        }
    }

    private static double delta(String before, String after, String name, String... labels) {
        return sample(after, name, labels) - sample(before, name, labels);
    }

    @Test
    void onlyTheTokenReadsMetricsAndUnmatchedPathsAreNotLabels() throws Exception {
        try (TestServer s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "\"metrics\": {\"token\": \"" + TOKEN + "\"}")) {
            assertThat(get(s, "/metrics", null).statusCode()).isEqualTo(401);
            assertThat(get(s, "/metrics", "Bearer " + TOKEN + "x").statusCode()).isEqualTo(401);
            assertThat(get(s, "/metrics", "Token " + TOKEN).statusCode()).isEqualTo(401);
            assertThat(get(s, "/public/mdm/no-such-path-8c1f/", null).statusCode()).isEqualTo(404);
            String body = get(s, "/metrics", "Bearer " + TOKEN).body();
            assertThat(body).doesNotContain("no-such-path-8c1f").contains("route=\"other\"");
            assertThat(get(s, "/health/live", null).statusCode()).isEqualTo(200);
            HttpResponse<String> ready = get(s, "/health/ready", null);
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
            assertThat(ready.body()).contains("\"database\":\"ok\"").contains("\"http\":\"ok\"");
        }
        try (TestServer s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "")) {
            assertThat(get(s, "/metrics", null).statusCode()).isEqualTo(404); // no token, no listener: not served
        }
    }

    @Test
    void metricsListenerOfItsOwnServesWithoutToken() throws Exception {
        try (TestServer s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "\"metrics\": {\"listen\": \"127.0.0.1:0\"}")) {
            int port = s.server.metricsPort();
            assertThat(port).isPositive();
            HttpResponse<String> r = s.http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("orchard_connects_total{");
            assertThat(get(s, "/metrics", null).statusCode()).isEqualTo(404); // not on the main listener
        }
    }

    @Test
    void readinessFailsWhenTheDatabaseIsUnreachable() throws Exception {
        DBS.database(DatabaseKind.POSTGRESQL);
        String base = TestDatabases.postgresBaseUrl();
        Matcher hp = Pattern.compile("//([^/:?]+)(?::(\\d+))?/").matcher(base);
        assertThat(hp.find()).isTrue();
        try (TcpProxy proxy = new TcpProxy(hp.group(1), hp.group(2) == null ? 5432 : Integer.parseInt(hp.group(2)))) {
            String url = base.substring(0, hp.start()) + "//127.0.0.1:" + proxy.port() + "/" + base.substring(hp.end())
                    + (base.contains("?") ? "&" : "?") + "currentSchema=" + DBS.postgresSchema();
            Files.writeString(dir.resolve("orchard.json"), "{\"data_dir\": \"data\", \"server\": {\"listen\": \"127.0.0.1:0\"},"
                    + " \"database\": {\"url\": \"" + url + "\"}, \"push\": {\"enabled\": false}, \"schedule\": {\"enabled\": false}}");
            ServerContext context = ServerContext.open(new ConfigLoader(n -> null, dir).load(dir.resolve("orchard.json")));
            OrchardServer server = OrchardServer.start(new ServerServices(context), RouteModules.all());
            try {
                java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
                URI ready = URI.create("http://127.0.0.1:" + server.port() + "/health/ready");
                HttpResponse<String> up = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(up.statusCode()).as(up.body()).isEqualTo(200);

                proxy.close(); // the database is gone
                HttpResponse<String> down = http.send(HttpRequest.newBuilder(ready).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(down.statusCode()).isEqualTo(503);
                assertThat(down.body()).contains("\"database\":\"failing\"").contains("\"http\":\"ok\"")
                        .doesNotContain("127.0.0.1").doesNotContain("postgres");
                URI live = URI.create("http://127.0.0.1:" + server.port() + "/health/live");
                assertThat(http.send(HttpRequest.newBuilder(live).build(), HttpResponse.BodyHandlers.ofString())
                        .statusCode()).isEqualTo(200);
            } finally {
                server.close();
                context.close();
            }
        }
    }

    /** Forwards TCP connections to a target until closed; closing cuts every forwarded connection. */
    static final class TcpProxy implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        TcpProxy(String host, int port) throws IOException {
            Thread acceptor = new Thread(() -> {
                while (!listener.isClosed()) {
                    try {
                        Socket client = listener.accept();
                        Socket upstream = new Socket(host, port);
                        sockets.add(client);
                        sockets.add(upstream);
                        pump(client, upstream);
                        pump(upstream, client);
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "tcp-proxy");
            acceptor.setDaemon(true);
            acceptor.start();
        }

        int port() {
            return listener.getLocalPort();
        }

        private static void pump(Socket from, Socket to) {
            Thread t = new Thread(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // the other side is gone
                } finally {
                    try {
                        to.close();
                    } catch (IOException ignored) {
                        // closing
                    }
                }
            }, "tcp-proxy-pump");
            t.setDaemon(true);
            t.start();
        }

        @Override
        public void close() throws IOException {
            listener.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }
}
