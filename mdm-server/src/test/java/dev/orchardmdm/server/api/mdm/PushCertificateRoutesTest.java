package dev.orchardmdm.server.api.mdm;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.server.api.ApiFixture;
import dev.orchardmdm.server.api.ApiTestClient;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class PushCertificateRoutesTest {

    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    static final Map<DatabaseKind, ApiFixture> SERVERS = new EnumMap<>(DatabaseKind.class);
    static KeyPair issuerKey;
    static KeyPair uploadKey;
    static java.security.cert.X509Certificate issuer;

    @BeforeAll
    static void keys() {
        issuerKey = KeyPairs.rsa(2048);
        uploadKey = KeyPairs.rsa(2048);
        issuer = new CertificateBuilder("CN=Test Apple Push CA", issuerKey.getPublic())
                .validFor(Duration.ofDays(400)).ca(0).selfSigned(issuerKey.getPrivate());
    }

    @AfterAll
    static void stop() {
        SERVERS.values().forEach(ApiFixture::close);
    }

    static ApiFixture server(DatabaseKind kind) {
        return SERVERS.computeIfAbsent(kind, k -> ApiFixture.start(DBS.store(k),
                (store, audit) -> List.of(new PushCertificateRoutes(store.pushCertificates(), audit))));
    }

    static String pushCert(PublicKey key, String topic) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return Pem.certificate(new CertificateBuilder("UID=" + topic + ",CN=APSP:" + topic + ",C=US", key)
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(365)))
                .issuedBy(issuer, issuerKey.getPrivate()));
    }

    static String json(Map<String, Object> fields) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        fields.forEach((k, v) -> n.putPOJO(k, v));
        return n.toString();
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void serverGeneratedKeyCsrUploadAndRenewal(DatabaseKind kind) throws Exception {
        ApiTestClient c = server(kind).client();
        String ADMIN = server(kind).admin();
        var created = c.post("/api/mdm/push_certificates/", ADMIN, "{\"name\": \"generated\"}");
        assertThat(created.status()).isEqualTo(201);
        JsonNode cert = created.json();
        assertThat(cert.fieldNames()).toIterable().containsExactly("id", "provisioning_uid", "name", "topic",
                "not_before", "not_after", "certificate", "created_at", "updated_at");
        assertThat(cert.get("topic").isNull()).isTrue();
        long id = cert.get("id").asLong();

        var csr = c.get("/api/mdm/push_certificates/" + id + "/csr/", ADMIN);
        assertThat(csr.status()).isEqualTo(200);
        assertThat(csr.header("Content-Type")).startsWith("application/pkcs10");
        PublicKey serverKey = Csrs.publicKey(Csrs.parse(csr.raw().body()));

        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        var uploaded = c.put("/api/mdm/push_certificates/" + id + "/", ADMIN,
                json(Map.of("certificate", pushCert(serverKey, topic))));
        assertThat(uploaded.status()).as(uploaded.json().toString()).isEqualTo(200);
        assertThat(uploaded.json().get("topic").asText()).isEqualTo(topic);
        assertThat(uploaded.json().get("not_after").asText()).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d");
        assertThat(uploaded.json().toString()).doesNotContain("PRIVATE KEY");

        var renewed = c.put("/api/mdm/push_certificates/" + id + "/", ADMIN,
                json(Map.of("certificate", pushCert(serverKey, topic))));
        assertThat(renewed.status()).isEqualTo(200);

        var otherTopic = c.put("/api/mdm/push_certificates/" + id + "/", ADMIN,
                json(Map.of("certificate", pushCert(serverKey, "com.apple.mgmt.External.other"))));
        assertThat(otherTopic.status()).isEqualTo(400);
        assertThat(otherTopic.json().get("certificate").get(0).asText()).contains("differs").contains(topic);
        assertThat(c.get("/api/mdm/push_certificates/" + id + "/", ADMIN).json().get("topic").asText()).isEqualTo(topic);

        var foreignKey = c.put("/api/mdm/push_certificates/" + id + "/", ADMIN,
                json(Map.of("certificate", pushCert(uploadKey.getPublic(), topic))));
        assertThat(foreignKey.status()).isEqualTo(400);
        assertThat(foreignKey.json().get("certificate").get(0).asText()).contains("do not match");

        JsonNode events = c.get("/api/audit_events/?object_type=mdm.pushcertificate&object_id=" + id, ADMIN).json();
        assertThat(events).extracting(e -> e.get("action").asText())
                .containsExactly("renewed", "certificate_uploaded", "csr_downloaded", "created");
    }

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void uploadWithEncryptedKeyAsTheSpecsAddFlow(DatabaseKind kind) {
        ApiTestClient c = server(kind).client();
        String ADMIN = server(kind).admin();
        String topic = "com.apple.mgmt.External." + UUID.randomUUID();
        String certificate = pushCert(uploadKey.getPublic(), topic);
        String key = Pem.encryptedPrivateKey(uploadKey.getPrivate(), "s3cret-pw".toCharArray());
        var wrongPassword = c.post("/api/mdm/push_certificates/", ADMIN, json(Map.of("name", "uploaded",
                "certificate", certificate, "private_key", key, "key_password", "nope")));
        assertThat(wrongPassword.status()).isEqualTo(400);
        assertThat(wrongPassword.json().has("key_password")).isTrue();

        var created = c.post("/api/mdm/push_certificates/", ADMIN, json(Map.of("name", "uploaded",
                "certificate", certificate, "private_key", key, "key_password", "s3cret-pw")));
        assertThat(created.status()).as(String.valueOf(created.json())).isEqualTo(201);
        assertThat(created.json().get("topic").asText()).isEqualTo(topic);
        assertThat(created.json().get("certificate").asText()).startsWith("-----BEGIN CERTIFICATE-----");

        var duplicate = c.post("/api/mdm/push_certificates/", ADMIN, "{\"name\": \"uploaded\"}");
        assertThat(duplicate.status()).isEqualTo(400);
        assertThat(duplicate.json().has("name")).isTrue();

        JsonNode filtered = c.get("/api/mdm/push_certificates/?name=uploaded", ADMIN).json();
        assertThat(filtered).hasSize(1);
        assertThat(filtered.get(0).get("id").asLong()).isEqualTo(created.json().get("id").asLong());
        assertThat(c.get("/api/mdm/push_certificates/?name=nothing", ADMIN).json()).isEmpty();
        assertThat(c.get("/api/mdm/push_certificates/999999/", ADMIN).status()).isEqualTo(404);
        assertThat(c.get("/api/mdm/push_certificates/abc/", ADMIN).status()).isEqualTo(404);
        assertThat(c.post("/api/mdm/push_certificates/", ADMIN, json(Map.of("name", "bad", "certificate", "junk")))
                .json().has("certificate")).isTrue();

        JsonNode events = c.get("/api/audit_events/?action=created&object_id=" + created.json().get("id"), ADMIN).json();
        assertThat(events.toString()).doesNotContain("s3cret-pw").doesNotContain("PRIVATE KEY");
    }
}
