package dev.orchardmdm.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.server.engine.SessionSecret;
import dev.orchardmdm.server.sim.DeviceSimulator;
import dev.orchardmdm.store.EnrollmentSessionRepository;
import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Third-party clients against the running server: {@code scepclient} (Debian's {@code scep}) gets
 * an MDM identity from the SCEP endpoint, and check-in/connect bodies signed with
 * {@code openssl cms -sign} (detached, DER) with that identity are accepted.
 */
class ThirdPartyClientsTest {
    @RegisterExtension
    static final TestDatabases DBS = new TestDatabases();
    @TempDir
    static Path dir;
    static TestServer s;

    @BeforeAll
    static void start() throws Exception {
        s = TestServer.start(DBS, DatabaseKind.SQLITE, dir, "");
    }

    @AfterAll
    static void stop() {
        s.close();
    }

    @Test
    void scepclientEnrollsAndOpensslSignedMessagesAreAccepted() throws Exception {
        EnrollmentSessionRepository.Started session = s.server.services().enrollmentSessions()
                .startForMdmProfile(s.enrollment, null, null);
        Path work = Files.createDirectories(dir.resolve("scepclient"));
        Process p = new ProcessBuilder("scepclient", "-server-url", s.baseUrl() + "/public/mdm/scep",
                "-challenge", session.secret(), "-cn", SessionSecret.mdmCommonName("OTA", session.secret()),
                "-organization", "Orchard", "-private-key", work.resolve("key.pem").toString(),
                "-certificate", work.resolve("cert.pem").toString())
                .directory(work.toFile()).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        KeyAndChain identity = new KeyAndChain(Pem.readPrivateKey(Files.readAllBytes(work.resolve("key.pem"))),
                List.of(Certificates.parse(Files.readAllBytes(work.resolve("cert.pem")))));
        assertThat(identity.certificate().getIssuerX500Principal())
                .isEqualTo(s.context.identities().scepCa().certificate().getSubjectX500Principal());

        String udid = UUID.randomUUID().toString().toUpperCase();
        DeviceSimulator device = new DeviceSimulator(s.http, s.baseUrl(), udid, "C02OPENSSL1");
        PlistDict authenticate = PlistDict.builder().put("MessageType", "Authenticate").put("Topic", TestServer.TOPIC)
                .put("UDID", udid).put("SerialNumber", "C02OPENSSL1").put("ProductName", "Mac14,3").build();
        assertThat(putSignedWithOpenssl(work, "/public/mdm/checkin/", authenticate.toXml())).isEqualTo(200);
        PlistDict tokenUpdate = PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", TestServer.TOPIC)
                .put("UDID", udid).put("Token", new byte[] {1, 2, 3}).put("PushMagic", "MAGIC").build();
        assertThat(putSignedWithOpenssl(work, "/public/mdm/checkin/", tokenUpdate.toXml())).isEqualTo(200);
        assertThat(putSignedWithOpenssl(work, "/public/mdm/connect/",
                PlistDict.of("UDID", udid, "Status", "Idle").toXml())).isEqualTo(200);
        assertThat(s.context.store().devices().findByUdid(udid).orElseThrow().certFingerprint())
                .isEqualTo(Certificates.sha256Fingerprint(identity.certificate()));
        // the same identity through the simulator's own signer keeps working
        assertThat(device.identity(identity).idle().status()).isEqualTo(200);
    }

    private static int putSignedWithOpenssl(Path work, String path, byte[] body) throws Exception {
        Path in = work.resolve("body.plist");
        Files.write(in, body);
        byte[] der = Openssl.ok(work, "cms", "-sign", "-binary", "-in", "body.plist", "-signer", "cert.pem",
                "-inkey", "key.pem", "-outform", "DER", "-md", "sha256");
        HttpRequest req = HttpRequest.newBuilder(URI.create(s.baseUrl() + path))
                .header("Mdm-Signature", Base64.getEncoder().encodeToString(der))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return s.http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
