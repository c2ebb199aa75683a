package dev.orchardmdm.server.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The server's configuration, fully resolved: every {@code {{ file:… }}} and {@code {{ env:… }}}
 * substituted, every default applied. Built by {@link ConfigLoader}.
 *
 * @param dataDir     where the generated secret key and the default SQLite database live
 * @param server      HTTP listener and public URL
 * @param databaseUrl JDBC URL ({@code jdbc:sqlite:…} or {@code jdbc:postgresql:…})
 * @param secretKeys  the keys of the secrets at rest, primary first; empty means "use the key
 *                    generated in {@code dataDir}"
 * @param mdm         device-facing MDM settings (Zentral's key names)
 * @param push        push scheduler settings
 * @param metrics     who may read {@code /metrics}
 * @param schedule    the periodic background syncs
 * @param logFormat   {@code text} or {@code json} (one JSON object per line)
 */
public record ServerConfig(Path dataDir, Server server, String databaseUrl, List<String> secretKeys,
                           Mdm mdm, Push push, Metrics metrics, Schedule schedule, String logFormat) {

    public ServerConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(databaseUrl, "databaseUrl");
        secretKeys = List.copyOf(secretKeys);
        Objects.requireNonNull(mdm, "mdm");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(metrics, "metrics");
        Objects.requireNonNull(schedule, "schedule");
        Objects.requireNonNull(logFormat, "logFormat");
    }

    /** {@code server.*}: where to listen and the URL devices are given. */
    public record Server(String host, int port, URI publicUrl, Optional<Tls> tls, long maxBodyBytes,
                         Duration requestTimeout) {
        public Server {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(publicUrl, "publicUrl");
            Objects.requireNonNull(tls, "tls");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
        }

        /** The public URL without a trailing slash, to append paths such as {@code /public/mdm/connect/}. */
        public String publicBase() {
            String s = publicUrl.toString();
            return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
        }
    }

    /** {@code server.tls}: the PEM certificate chain and private key the listener serves. */
    public record Tls(String certificatePem, String privateKeyPem) {
        public Tls {
            Objects.requireNonNull(certificatePem, "certificatePem");
            Objects.requireNonNull(privateKeyPem, "privateKeyPem");
        }

        @Override
        public String toString() {
            return "Tls[certificatePem=…, privateKeyPem=<redacted>]";
        }
    }

    /**
     * {@code mdm.*}.
     *
     * @param scepCaFullchainPem the PEM chain of an external SCEP CA to trust instead of the embedded one
     * @param mtlsProxy          true: identity from {@code X-SSL-Client-Cert}/{@code X-SSL-Client-S-DN};
     *                           false: profiles set {@code SignMessage}, devices send {@code Mdm-Signature}
     * @param trustedProxies     addresses and CIDR ranges (literal, no host names) whose
     *                           client-certificate headers are believed when {@code mtlsProxy} is on;
     *                           {@link #LOOPBACK} when not configured
     * @param inventoryInterval  how old DeviceInformation/SecurityInfo may get before they are queued again
     */
    public record Mdm(Optional<String> scepCaFullchainPem, boolean mtlsProxy, List<String> trustedProxies,
                      Duration inventoryInterval) {
        /** The default trusted proxies: a TLS-terminating proxy on the same host. */
        public static final List<String> LOOPBACK = List.of("127.0.0.0/8", "::1");
        private static final java.util.regex.Pattern ADDRESS = java.util.regex.Pattern.compile(
                "(\\d{1,3}(\\.\\d{1,3}){3}|[0-9a-fA-F:]*:[0-9a-fA-F:.]*)(/\\d{1,3})?");

        public Mdm {
            Objects.requireNonNull(scepCaFullchainPem, "scepCaFullchainPem");
            trustedProxies = List.copyOf(trustedProxies);
            Objects.requireNonNull(inventoryInterval, "inventoryInterval");
            for (String p : trustedProxies) {
                if (!isAddressPattern(p)) {
                    throw new IllegalArgumentException("not an address or CIDR range: " + p);
                }
            }
        }

        /** The settings with the default trusted proxies ({@link #LOOPBACK}). */
        public Mdm(Optional<String> scepCaFullchainPem, boolean mtlsProxy, Duration inventoryInterval) {
            this(scepCaFullchainPem, mtlsProxy, LOOPBACK, inventoryInterval);
        }

        /** Whether {@code s} is a literal IPv4/IPv6 address or CIDR range (never a host name to resolve). */
        public static boolean isAddressPattern(String s) {
            if (s == null || !ADDRESS.matcher(s).matches()) {
                return false;
            }
            int slash = s.indexOf('/');
            try {
                // a literal (the pattern above admits no host name): no lookup happens
                java.net.InetAddress address = java.net.InetAddress.getByName(slash < 0 ? s : s.substring(0, slash));
                int max = address instanceof java.net.Inet4Address ? 32 : 128;
                return slash < 0 || Integer.parseInt(s.substring(slash + 1)) <= max;
            } catch (java.net.UnknownHostException | NumberFormatException e) {
                return false;
            }
        }
    }

    /**
     * {@code push.*}: the outbox-based push scheduler.
     *
     * @param enabled    false: no scheduler runs in this process (another replica sends)
     * @param batchSize  rows claimed per round
     * @param ratePerSecond maximum notifications sent per second by this replica
     * @param pollInterval  pause between rounds when the outbox is empty
     * @param lease      how long a claim stays with this replica before another may take it over
     */
    public record Push(boolean enabled, int batchSize, int ratePerSecond, Duration pollInterval, Duration lease) {
        public Push {
            Objects.requireNonNull(pollInterval, "pollInterval");
            Objects.requireNonNull(lease, "lease");
        }
    }

    /**
     * {@code metrics.*}: who may read {@code /metrics}. Without a token and without a listener of its
     * own, {@code /metrics} is not served at all.
     *
     * @param token      when present, {@code GET /metrics} on the main listener with
     *                   {@code Authorization: Bearer <token>}
     * @param listenHost when present, a listener of its own (no token) on {@code listenHost:listenPort},
     *                   meant for a private interface
     * @param listenPort its port (0: a free one)
     */
    public record Metrics(Optional<String> token, Optional<String> listenHost, int listenPort) {
        public Metrics {
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(listenHost, "listenHost");
        }

        /** No /metrics anywhere. */
        public static Metrics disabled() {
            return new Metrics(Optional.empty(), Optional.empty(), 0);
        }

        @Override
        public String toString() {
            return "Metrics[token=" + (token.isPresent() ? "<redacted>" : "none") + ", listen="
                    + listenHost.map(h -> h + ":" + listenPort).orElse("none") + "]";
        }
    }

    /**
     * {@code schedule.*}: the periodic background syncs, submitted as tasks of the shared task queue.
     * An interval of zero disables that sync.
     *
     * @param enabled          false: this process schedules nothing (manual syncs still work)
     * @param adeDevices       ADE/ABM device sync of every virtual server
     * @param appsBooksAssets  Apps &amp; Books asset sync of every location
     * @param softwareUpdates  software-update catalog sync
     * @param initialDelay     pause after start before the first look
     * @param tick             how often the scheduler looks for due syncs
     */
    public record Schedule(boolean enabled, Duration adeDevices, Duration appsBooksAssets, Duration softwareUpdates,
                           Duration initialDelay, Duration tick) {
        public Schedule {
            Objects.requireNonNull(adeDevices, "adeDevices");
            Objects.requireNonNull(appsBooksAssets, "appsBooksAssets");
            Objects.requireNonNull(softwareUpdates, "softwareUpdates");
            Objects.requireNonNull(initialDelay, "initialDelay");
            Objects.requireNonNull(tick, "tick");
        }
    }

    @Override
    public String toString() {
        return "ServerConfig[dataDir=" + dataDir + ", server=" + server + ", databaseUrl=" + redactUrl(databaseUrl)
                + ", secretKeys=<" + secretKeys.size() + " redacted>, mdm.mtlsProxy=" + mdm.mtlsProxy() + "]";
    }

    /** {@link #databaseUrl()} with any {@code password=} parameter redacted, for logs and banners. */
    public String databaseUrlRedacted() {
        return redactUrl(databaseUrl);
    }

    private static String redactUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1<redacted>");
    }
}
