package dev.orchardmdm.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    private ConfigLoader loader(Map<String, String> env) {
        return new ConfigLoader(env::get, dir);
    }

    @Test
    void defaultsAreTheEmbeddedServer() {
        ServerConfig c = loader(Map.of()).defaults();
        assertThat(c.dataDir()).isEqualTo(dir.resolve("orchard-data"));
        assertThat(c.server().host()).isEqualTo("127.0.0.1");
        assertThat(c.server().port()).isEqualTo(8080);
        assertThat(c.server().publicUrl().toString()).isEqualTo("http://localhost:8080");
        assertThat(c.databaseUrl()).isEqualTo("jdbc:sqlite:" + dir.resolve("orchard-data").resolve("orchard.db"));
        assertThat(c.secretKeys()).isEmpty();
        assertThat(c.mdm().mtlsProxy()).isFalse();
        assertThat(c.mdm().scepCaFullchainPem()).isEmpty();
        assertThat(c.server().tls()).isEmpty();
        assertThat(c.mdm().inventoryInterval()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void emptyObjectEqualsDefaults() throws Exception {
        assertThat(loader(Map.of()).parse("{}", dir)).isEqualTo(loader(Map.of()).defaults());
    }

    @Test
    void issueExampleWithFileAndEnvSubstitution() throws Exception {
        String pem = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
        Files.writeString(dir.resolve("server.pem"), pem);
        Files.writeString(dir.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\nAA\n-----END PRIVATE KEY-----\n");
        Files.writeString(dir.resolve("scep_ca_fullchain.pem"), pem + pem);
        Path file = dir.resolve("orchard.json");
        Files.writeString(file, """
                {"data_dir": "data",
                 "server": {"listen": "0.0.0.0:8443", "public_url": "https://mdm.example.com",
                            "tls": {"certificate": "{{ file:server.pem }}", "private_key": "{{file:server.key}}"}},
                 "database": {"url": "jdbc:postgresql://127.0.0.1:5432/test?user={{ env:DB_USER }}"},
                 "secrets": {"keys": ["{{ env:ORCHARD_SECRET_KEY }}", "old"]},
                 "mdm": {"scep_ca_fullchain": "{{ file:scep_ca_fullchain.pem }}", "mtls_proxy": true}}
                """);
        ServerConfig c = loader(Map.of("ORCHARD_SECRET_KEY", "k1", "DB_USER", "postgres")).load(file);
        assertThat(c.dataDir()).isEqualTo(dir.resolve("data"));
        assertThat(c.server().host()).isEqualTo("0.0.0.0");
        assertThat(c.server().port()).isEqualTo(8443);
        assertThat(c.server().publicBase()).isEqualTo("https://mdm.example.com");
        assertThat(c.server().tls()).get().extracting(ServerConfig.Tls::certificatePem).isEqualTo(pem.strip());
        assertThat(c.databaseUrl()).isEqualTo("jdbc:postgresql://127.0.0.1:5432/test?user=postgres");
        assertThat(c.secretKeys()).containsExactly("k1", "old");
        assertThat(c.mdm().mtlsProxy()).isTrue();
        assertThat(c.mdm().scepCaFullchainPem()).get().asString().contains("BEGIN CERTIFICATE");
        assertThat(c.toString()).doesNotContain("k1").doesNotContain("PRIVATE KEY");
    }

    @Test
    void listenPortAlsoGivesTheDefaultPublicUrl() throws Exception {
        ServerConfig c = loader(Map.of()).parse("{\"server\": {\"listen\": \"[::1]:9000\"}}", dir);
        assertThat(c.server().host()).isEqualTo("::1");
        assertThat(c.server().publicUrl().toString()).isEqualTo("http://localhost:9000");
    }

    @Test
    void errorsNameTheKey() {
        ConfigLoader l = loader(Map.of());
        assertKey(l, "{\"server\": {\"listen\": \"nope\"}}", "server.listen");
        assertKey(l, "{\"server\": {\"listen\": \"1.2.3.4:99999\"}}", "server.listen");
        assertKey(l, "{\"server\": {\"public_url\": \"ftp://x\"}}", "server.public_url");
        assertKey(l, "{\"server\": {\"tls\": {\"certificate\": \"x\", \"private_key\": \"y\"}}}", "server.tls.certificate");
        assertKey(l, "{\"server\": {\"tls\": {\"certificate\": \"x\"}}}", "server.tls.private_key");
        assertKey(l, "{\"server\": {\"max_body_bytes\": \"big\"}}", "server.max_body_bytes");
        assertKey(l, "{\"database\": {\"url\": \"jdbc:mysql://x\"}}", "database.url");
        assertKey(l, "{\"secrets\": {\"keys\": \"one\"}}", "secrets.keys");
        assertKey(l, "{\"secrets\": {\"keys\": [\"{{ env:MISSING }}\"]}}", "secrets.keys[0]");
        assertKey(l, "{\"secrets\": {\"keys\": [\"\"]}}", "secrets.keys[0]");
        assertKey(l, "{\"mdm\": {\"mtls_proxy\": \"yes\"}}", "mdm.mtls_proxy");
        assertKey(l, "{\"mdm\": {\"scep_ca_fullchain\": \"{{ file:absent.pem }}\"}}", "mdm.scep_ca_fullchain");
        assertKey(l, "{\"mdm\": {\"scep_ca_fulchain\": \"x\"}}", "mdm.scep_ca_fulchain");
        assertKey(l, "{\"mdm\": {\"scep_ca_fullchain\": \"{{ vault:x }}\"}}", "mdm.scep_ca_fullchain");
        assertKey(l, "{\"mdm\": {\"scep_ca_fullchain\": \"{{ file:x \"}}", "mdm.scep_ca_fullchain");
        assertKey(l, "{\"push\": {\"batch_size\": 0}}", "push.batch_size");
        assertKey(l, "{\"colour\": 1}", "colour");
        assertKey(l, "[1]", "");
        assertKey(l, "{\"a\": ", "");
        assertKey(l, "{\"server\": {}, \"server\": {}}", "");
    }

    @Test
    void missingFileIsAConfigError() {
        assertThatThrownBy(() -> loader(Map.of()).load(dir.resolve("none.json")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("none.json");
    }

    private void assertKey(ConfigLoader l, String json, String key) {
        assertThatThrownBy(() -> l.parse(json, dir))
                .as(json)
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo(key));
    }

    @Test
    void trustedProxiesDefaultToLoopbackAndAreLiteralAddresses() throws Exception {
        ConfigLoader l = loader(Map.of());
        assertThat(l.defaults().mdm().trustedProxies()).containsExactly("127.0.0.0/8", "::1");
        ServerConfig c = l.parse("{\"mdm\": {\"mtls_proxy\": true, \"trusted_proxies\": [\"10.0.0.5\", \"10.1.0.0/16\","
                + " \"fd00::/8\"]}}", dir);
        assertThat(c.mdm().trustedProxies()).containsExactly("10.0.0.5", "10.1.0.0/16", "fd00::/8");
        // host names (they would be resolved), garbage, impossible prefixes, a non-array: refused with the key
        assertKey(l, "{\"mdm\": {\"trusted_proxies\": [\"proxy.example.com\"]}}", "mdm.trusted_proxies[0]");
        assertKey(l, "{\"mdm\": {\"trusted_proxies\": [\"10.0.0.1\", \"10.0.0.0/33\"]}}", "mdm.trusted_proxies[1]");
        assertKey(l, "{\"mdm\": {\"trusted_proxies\": [\"300.1.1.1\"]}}", "mdm.trusted_proxies[0]");
        assertKey(l, "{\"mdm\": {\"trusted_proxies\": \"10.0.0.1\"}}", "mdm.trusted_proxies");
        // mtls_proxy on with an explicitly empty list: nothing could ever present a certificate
        assertKey(l, "{\"mdm\": {\"mtls_proxy\": true, \"trusted_proxies\": []}}", "mdm.trusted_proxies");
    }
}
