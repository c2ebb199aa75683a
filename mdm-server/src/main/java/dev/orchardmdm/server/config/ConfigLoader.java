package dev.orchardmdm.server.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the server's JSON configuration file.
 *
 * <p>Every key is optional. String values may contain {@code {{ file:PATH }}} (the content of a
 * file, PATH relative to the configuration file's folder, trailing line breaks removed) and
 * {@code {{ env:NAME }}} (an environment variable, which must be set). Unknown keys, wrong types
 * and bad values are refused with a {@link ConfigException} that names the key.
 *
 * <p>Defaults: {@code data_dir} {@code orchard-data} (relative to the working directory),
 * {@code server.listen} {@code 127.0.0.1:8080}, {@code server.public_url}
 * {@code http://localhost:<port>}, {@code database.url} {@code jdbc:sqlite:<data_dir>/orchard.db},
 * no {@code secrets.keys} (a key generated in the data directory is used), {@code mdm.mtls_proxy}
 * false (devices sign their messages: the safe choice when no client-certificate proxy stands in
 * front of the server).
 */
public final class ConfigLoader {

    /** A configuration file larger than this is refused. */
    public static final int MAX_CONFIG_BYTES = 1 << 20;
    /** A substituted file larger than this is refused. */
    public static final int MAX_SUBSTITUTED_FILE_BYTES = 1 << 20;

    private static final Pattern HOST_PORT = Pattern.compile("^(\\[[0-9a-fA-F:.]+]|[A-Za-z0-9.-]+):(\\d{1,5})$");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([a-zA-Z]+):(.*?)\\s*}}");
    private static final Set<String> TOP_KEYS = Set.of("data_dir", "server", "database", "secrets", "mdm", "push",
            "metrics", "schedule", "log");
    private static final Set<String> SERVER_KEYS = Set.of("listen", "public_url", "tls", "max_body_bytes",
            "request_timeout_seconds");
    private static final Set<String> TLS_KEYS = Set.of("certificate", "private_key");
    private static final Set<String> DATABASE_KEYS = Set.of("url");
    private static final Set<String> SECRETS_KEYS = Set.of("keys");
    private static final Set<String> MDM_KEYS = Set.of("scep_ca_fullchain", "mtls_proxy", "trusted_proxies",
            "inventory_interval_seconds");
    private static final Set<String> PUSH_KEYS = Set.of("enabled", "batch_size", "rate_per_second",
            "poll_interval_ms", "lease_seconds");
    private static final Set<String> METRICS_KEYS = Set.of("token", "listen");
    private static final Set<String> SCHEDULE_KEYS = Set.of("enabled", "ade_devices_seconds", "apps_books_assets_seconds",
            "software_updates_seconds", "initial_delay_seconds", "tick_seconds");
    private static final Set<String> LOG_KEYS = Set.of("format");
    /** Environment variable that overrides {@code log.format}. */
    public static final String LOG_FORMAT_ENV = "ORCHARD_LOG_FORMAT";

    private final Function<String, String> environment;
    private final Path workingDirectory;
    private final ObjectMapper mapper;

    /** A loader reading the process environment, resolving relative paths against the working directory. */
    public ConfigLoader() {
        this(System::getenv, Path.of("").toAbsolutePath());
    }

    /**
     * @param environment      looks up {@code {{ env:NAME }}} (null when unset)
     * @param workingDirectory base of a relative {@code data_dir}
     */
    public ConfigLoader(Function<String, String> environment, Path workingDirectory) {
        this.environment = Objects.requireNonNull(environment, "environment");
        this.workingDirectory = workingDirectory.toAbsolutePath();
        this.mapper = new ObjectMapper();
        mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
        mapper.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        mapper.getFactory().setStreamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(32).build());
    }

    /** The configuration with every default: what the server runs on without {@code --config}. */
    public ServerConfig defaults() {
        try {
            return build(JsonNodeFactory.instance.objectNode(), workingDirectory);
        } catch (ConfigException e) {
            throw new IllegalStateException("the defaults are valid", e);
        }
    }

    /** Reads {@code file}; {@code {{ file:… }}} paths are relative to its folder. */
    public ServerConfig load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_CONFIG_BYTES) {
                throw new ConfigException("", "configuration file " + file + " is larger than " + MAX_CONFIG_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException("", "cannot read configuration file " + file + ": " + e.getMessage(), e);
        }
        Path base = file.toAbsolutePath().getParent();
        return parse(new String(bytes, StandardCharsets.UTF_8), base == null ? workingDirectory : base);
    }

    /** Parses configuration JSON; {@code {{ file:… }}} paths are relative to {@code baseDir}. */
    public ServerConfig parse(String json, Path baseDir) throws ConfigException {
        JsonNode root;
        try {
            root = mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("", "configuration is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            root = JsonNodeFactory.instance.objectNode();
        }
        if (!root.isObject()) {
            throw new ConfigException("", "configuration must be a JSON object");
        }
        JsonNode substituted = substitute(root, "", baseDir.toAbsolutePath());
        return build((ObjectNode) substituted, baseDir.toAbsolutePath());
    }

    // ---- substitution -------------------------------------------------------------------------

    private JsonNode substitute(JsonNode node, String path, Path baseDir) throws ConfigException {
        if (node.isTextual()) {
            return TextNode.valueOf(substituteText(node.textValue(), path, baseDir));
        }
        if (node.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < node.size(); i++) {
                out.add(substitute(node.get(i), path + "[" + i + "]", baseDir));
            }
            return out;
        }
        if (node.isObject()) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.set(e.getKey(), substitute(e.getValue(), join(path, e.getKey()), baseDir));
            }
            return out;
        }
        return node;
    }

    private String substituteText(String text, String key, Path baseDir) throws ConfigException {
        Matcher m = PLACEHOLDER.matcher(text);
        StringBuilder out = new StringBuilder();
        int last = 0;
        StringBuilder literal = new StringBuilder();
        while (m.find()) {
            out.append(text, last, m.start());
            literal.append(text, last, m.start()).append(' ');
            String kind = m.group(1);
            String arg = m.group(2).trim();
            if (arg.isEmpty()) {
                throw new ConfigException(key, "empty " + kind + " substitution");
            }
            switch (kind) {
                case "env" -> {
                    String value = environment.apply(arg);
                    if (value == null) {
                        throw new ConfigException(key, "environment variable " + arg + " is not set");
                    }
                    out.append(value);
                }
                case "file" -> out.append(readSubstitutedFile(baseDir.resolve(arg), key));
                default -> throw new ConfigException(key, "unknown substitution '" + kind
                        + ":', expected {{ file:PATH }} or {{ env:NAME }}");
            }
            last = m.end();
        }
        out.append(text.substring(last));
        literal.append(text.substring(last));
        if (literal.indexOf("{{") >= 0) {
            throw new ConfigException(key, "malformed substitution, expected {{ file:PATH }} or {{ env:NAME }}");
        }
        return out.toString();
    }

    private static String readSubstitutedFile(Path file, String key) throws ConfigException {
        try {
            if (Files.size(file) > MAX_SUBSTITUTED_FILE_BYTES) {
                throw new ConfigException(key, "file " + file + " is larger than " + MAX_SUBSTITUTED_FILE_BYTES + " bytes");
            }
            String content = Files.readString(file, StandardCharsets.UTF_8);
            int end = content.length();
            while (end > 0 && (content.charAt(end - 1) == '\n' || content.charAt(end - 1) == '\r')) {
                end--;
            }
            return content.substring(0, end);
        } catch (IOException e) {
            throw new ConfigException(key, "cannot read file " + file + ": " + e, e);
        }
    }

    // ---- typed reading ------------------------------------------------------------------------

    private ServerConfig build(ObjectNode root, Path baseDir) throws ConfigException {
        checkKeys(root, "", TOP_KEYS);
        Path dataDir = baseDir.resolve(string(root, "data_dir", "", "orchard-data")).normalize();

        ObjectNode server = object(root, "server", "");
        checkKeys(server, "server", SERVER_KEYS);
        String listen = string(server, "listen", "server", "127.0.0.1:8080");
        String host;
        int port;
        Matcher lm = HOST_PORT.matcher(listen);
        if (!lm.matches()) {
            throw new ConfigException("server.listen", "expected HOST:PORT, e.g. 127.0.0.1:8080, got '" + listen + "'");
        }
        host = unbracket(lm.group(1));
        port = Integer.parseInt(lm.group(2));
        if (port > 65535) {
            throw new ConfigException("server.listen", "port " + port + " is out of range");
        }
        String publicUrlText = string(server, "public_url", "server", "http://localhost:" + (port == 0 ? 8080 : port));
        URI publicUrl;
        try {
            publicUrl = new URI(publicUrlText);
        } catch (URISyntaxException e) {
            throw new ConfigException("server.public_url", "not a URL: " + e.getMessage(), e);
        }
        if (!("http".equals(publicUrl.getScheme()) || "https".equals(publicUrl.getScheme()))
                || publicUrl.getHost() == null || publicUrl.getRawQuery() != null || publicUrl.getRawFragment() != null) {
            throw new ConfigException("server.public_url", "expected an http(s) URL with a host and no query, got '"
                    + publicUrlText + "'");
        }
        Optional<ServerConfig.Tls> tls = Optional.empty();
        if (server.has("tls") && !server.get("tls").isNull()) {
            ObjectNode tlsNode = object(server, "tls", "server");
            checkKeys(tlsNode, "server.tls", TLS_KEYS);
            String cert = requiredString(tlsNode, "certificate", "server.tls");
            String key = requiredString(tlsNode, "private_key", "server.tls");
            if (!cert.contains("-----BEGIN CERTIFICATE-----")) {
                throw new ConfigException("server.tls.certificate", "expected a PEM certificate chain");
            }
            if (!key.contains("PRIVATE KEY-----")) {
                throw new ConfigException("server.tls.private_key", "expected a PEM private key");
            }
            tls = Optional.of(new ServerConfig.Tls(cert, key));
        }
        long maxBody = integer(server, "max_body_bytes", "server", 8L << 20, 1024, 256L << 20);
        long timeout = integer(server, "request_timeout_seconds", "server", 30, 1, 3600);

        ObjectNode database = object(root, "database", "");
        checkKeys(database, "database", DATABASE_KEYS);
        String dbUrl = string(database, "url", "database", "jdbc:sqlite:" + dataDir.resolve("orchard.db"));
        if (!(dbUrl.startsWith("jdbc:sqlite:") || dbUrl.startsWith("jdbc:postgresql:"))) {
            throw new ConfigException("database.url", "expected a jdbc:sqlite: or jdbc:postgresql: URL");
        }

        ObjectNode secrets = object(root, "secrets", "");
        checkKeys(secrets, "secrets", SECRETS_KEYS);
        List<String> keys = new ArrayList<>();
        JsonNode keysNode = secrets.get("keys");
        if (keysNode != null && !keysNode.isNull()) {
            if (!keysNode.isArray()) {
                throw new ConfigException("secrets.keys", "expected an array of strings");
            }
            for (int i = 0; i < keysNode.size(); i++) {
                JsonNode k = keysNode.get(i);
                if (!k.isTextual() || k.textValue().isBlank()) {
                    throw new ConfigException("secrets.keys[" + i + "]", "expected a non-empty string");
                }
                keys.add(k.textValue().trim());
            }
        }

        ObjectNode mdm = object(root, "mdm", "");
        checkKeys(mdm, "mdm", MDM_KEYS);
        Optional<String> scepChain = Optional.ofNullable(string(mdm, "scep_ca_fullchain", "mdm", null));
        if (scepChain.isPresent() && !scepChain.get().contains("-----BEGIN CERTIFICATE-----")) {
            throw new ConfigException("mdm.scep_ca_fullchain", "expected a PEM certificate chain");
        }
        boolean mtls = bool(mdm, "mtls_proxy", "mdm", false);
        List<String> trustedProxies = ServerConfig.Mdm.LOOPBACK;
        JsonNode proxiesNode = mdm.get("trusted_proxies");
        if (proxiesNode != null && !proxiesNode.isNull()) {
            if (!proxiesNode.isArray()) {
                throw new ConfigException("mdm.trusted_proxies", "expected an array of addresses or CIDR ranges");
            }
            trustedProxies = new ArrayList<>();
            for (int i = 0; i < proxiesNode.size(); i++) {
                JsonNode p = proxiesNode.get(i);
                if (!p.isTextual() || !ServerConfig.Mdm.isAddressPattern(p.textValue().trim())) {
                    throw new ConfigException("mdm.trusted_proxies[" + i + "]",
                            "expected an IP address or a CIDR range (e.g. 10.0.0.5, 10.0.0.0/24, fd00::/8)");
                }
                trustedProxies.add(p.textValue().trim());
            }
            if (mtls && trustedProxies.isEmpty()) {
                throw new ConfigException("mdm.trusted_proxies",
                        "mdm.mtls_proxy is true: name the proxy addresses whose client-certificate headers are trusted");
            }
        }
        long inventory = integer(mdm, "inventory_interval_seconds", "mdm", 86_400, 60, 365L * 86_400);

        ObjectNode push = object(root, "push", "");
        checkKeys(push, "push", PUSH_KEYS);
        ServerConfig.Push pushConfig = new ServerConfig.Push(
                bool(push, "enabled", "push", true),
                (int) integer(push, "batch_size", "push", 100, 1, 10_000),
                (int) integer(push, "rate_per_second", "push", 20, 1, 100_000),
                Duration.ofMillis(integer(push, "poll_interval_ms", "push", 1000, 10, 600_000)),
                Duration.ofSeconds(integer(push, "lease_seconds", "push", 120, 1, 86_400)));

        ObjectNode metrics = object(root, "metrics", "");
        checkKeys(metrics, "metrics", METRICS_KEYS);
        Optional<String> metricsToken = Optional.ofNullable(string(metrics, "token", "metrics", null));
        if (metricsToken.isPresent() && metricsToken.get().length() < 16) {
            throw new ConfigException("metrics.token", "must have at least 16 characters");
        }
        Optional<String> metricsHost = Optional.empty();
        int metricsPort = 0;
        String metricsListen = string(metrics, "listen", "metrics", null);
        if (metricsListen != null) {
            Matcher mm = HOST_PORT.matcher(metricsListen);
            if (!mm.matches() || Integer.parseInt(mm.group(2)) > 65535) {
                throw new ConfigException("metrics.listen", "expected HOST:PORT, e.g. 127.0.0.1:9464, got '"
                        + metricsListen + "'");
            }
            metricsHost = Optional.of(unbracket(mm.group(1)));
            metricsPort = Integer.parseInt(mm.group(2));
        }

        ObjectNode schedule = object(root, "schedule", "");
        checkKeys(schedule, "schedule", SCHEDULE_KEYS);
        ServerConfig.Schedule scheduleConfig = new ServerConfig.Schedule(
                bool(schedule, "enabled", "schedule", true),
                Duration.ofSeconds(interval(schedule, "ade_devices_seconds", 3_600)),
                Duration.ofSeconds(interval(schedule, "apps_books_assets_seconds", 6 * 3_600)),
                Duration.ofSeconds(interval(schedule, "software_updates_seconds", 86_400)),
                Duration.ofSeconds(integer(schedule, "initial_delay_seconds", "schedule", 60, 0, 86_400)),
                Duration.ofSeconds(integer(schedule, "tick_seconds", "schedule", 60, 1, 3_600)));

        ObjectNode log = object(root, "log", "");
        checkKeys(log, "log", LOG_KEYS);
        String envFormat = environment.apply(LOG_FORMAT_ENV);
        String logFormat = envFormat != null && !envFormat.isBlank() ? envFormat.trim()
                : string(log, "format", "log", "text");
        if (!logFormat.equals("text") && !logFormat.equals("json")) {
            throw new ConfigException(envFormat != null && !envFormat.isBlank() ? LOG_FORMAT_ENV : "log.format",
                    "expected text or json, got '" + logFormat + "'");
        }

        return new ServerConfig(dataDir,
                new ServerConfig.Server(host, port, publicUrl, tls, maxBody, Duration.ofSeconds(timeout)),
                dbUrl, keys,
                new ServerConfig.Mdm(scepChain, mtls, trustedProxies, Duration.ofSeconds(inventory)),
                pushConfig,
                new ServerConfig.Metrics(metricsToken, metricsHost, metricsPort),
                scheduleConfig, logFormat);
    }

    /** {@code [::1]} → {@code ::1}. */
    private static String unbracket(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    /** A sync interval in seconds: 0 (disabled) or 60 seconds to 30 days. */
    private static long interval(ObjectNode schedule, String name, long dflt) throws ConfigException {
        long v = integer(schedule, name, "schedule", dflt, 0, 30L * 86_400);
        if (v != 0 && v < 60) {
            throw new ConfigException("schedule." + name, "must be 0 (disabled) or at least 60");
        }
        return v;
    }

    private static String join(String parent, String key) {
        return parent.isEmpty() ? key : parent + "." + key;
    }

    private static void checkKeys(JsonNode node, String path, Set<String> allowed) throws ConfigException {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!allowed.contains(name)) {
                throw new ConfigException(join(path, name), "unknown key (known keys here: "
                        + String.join(", ", allowed.stream().sorted().toList()) + ")");
            }
        }
    }

    private static ObjectNode object(ObjectNode parent, String name, String path) throws ConfigException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!n.isObject()) {
            throw new ConfigException(join(path, name), "expected an object");
        }
        return (ObjectNode) n;
    }

    private static String string(ObjectNode parent, String name, String path, String dflt) throws ConfigException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isTextual()) {
            throw new ConfigException(join(path, name), "expected a string");
        }
        if (n.textValue().isBlank()) {
            throw new ConfigException(join(path, name), "must not be empty");
        }
        return n.textValue().trim();
    }

    private static String requiredString(ObjectNode parent, String name, String path) throws ConfigException {
        String s = string(parent, name, path, null);
        if (s == null) {
            throw new ConfigException(join(path, name), "is required");
        }
        return s;
    }

    private static boolean bool(ObjectNode parent, String name, String path, boolean dflt) throws ConfigException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw new ConfigException(join(path, name), "expected true or false");
        }
        return n.booleanValue();
    }

    private static long integer(ObjectNode parent, String name, String path, long dflt, long min, long max)
            throws ConfigException {
        JsonNode n = parent.get(name);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isIntegralNumber() || !n.canConvertToLong()) {
            throw new ConfigException(join(path, name), "expected an integer");
        }
        long v = n.longValue();
        if (v < min || v > max) {
            throw new ConfigException(join(path, name), "must be between " + min + " and " + max);
        }
        return v;
    }
}
