package dev.orchardmdm.server.sim;

import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;

/**
 * A simulated Apple device that talks to a running Orchard server over HTTP, as a device does:
 * it enrolls its identity through SCEP with a real CSR, signs its check-in and connect bodies
 * ({@code Mdm-Signature}, device style: BER, SHA-1, no signed attributes) or presents its
 * certificate in mTLS-proxy headers, and answers commands with realistic responses (Zentral's
 * fixtures from {@code shared/fixtures/zentral/}).
 */
public final class DeviceSimulator {
    /** How the device proves its identity. */
    public enum Mode { SIGNED, MTLS_PROXY }

    /** An HTTP answer. */
    public record Reply(int status, byte[] body, String contentType) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public PlistDict plist() throws Exception {
            return PlistReader.withDefaults().readDictionary(body);
        }
    }

    private final HttpClient http;
    private final String baseUrl;
    private final String udid;
    private final String serial;
    private Mode mode = Mode.SIGNED;
    private TestPki.SignatureStyle style = TestPki.SignatureStyle.DEVICE;
    private KeyAndChain identity;
    private final byte[] pushToken = new byte[32];
    private final String pushMagic = UUID.randomUUID().toString().toUpperCase();
    private final List<String> answered = new ArrayList<>();
    private X509Certificate fileVaultEscrow;
    private String fileVaultPrk;

    public DeviceSimulator(HttpClient http, String baseUrl, String udid, String serial) {
        this.http = Objects.requireNonNull(http);
        this.baseUrl = baseUrl;
        this.udid = udid;
        this.serial = serial;
        new SecureRandom().nextBytes(pushToken);
    }

    /** A device with a random UDID and serial number. */
    public static DeviceSimulator random(HttpClient http, String baseUrl) {
        String serial = "C0" + HexFormat.of().formatHex(UUID.randomUUID().toString().getBytes(), 0, 4).toUpperCase();
        return new DeviceSimulator(http, baseUrl, UUID.randomUUID().toString().toUpperCase(), serial);
    }

    public String udid() {
        return udid;
    }

    public String serial() {
        return serial;
    }

    public String pushTokenHex() {
        return HexFormat.of().formatHex(pushToken);
    }

    public DeviceSimulator mode(Mode mode) {
        this.mode = mode;
        return this;
    }

    public DeviceSimulator style(TestPki.SignatureStyle style) {
        this.style = style;
        return this;
    }

    /** Uses an identity obtained elsewhere (another device's, a forged one, ...). */
    public DeviceSimulator identity(KeyAndChain identity) {
        this.identity = identity;
        return this;
    }

    public KeyAndChain identity() {
        return identity;
    }

    /**
     * Makes SecurityInfo answers carry {@code prk} encrypted to {@code escrowCertificate}
     * ({@code FDE_PersonalRecoveryKeyCMS}), as macOS does once FileVault escrow is configured.
     */
    public DeviceSimulator fileVault(X509Certificate escrowCertificate, String prk) {
        this.fileVaultEscrow = escrowCertificate;
        this.fileVaultPrk = prk;
        return this;
    }

    /** The request types of the commands this device answered, in order. */
    public List<String> answered() {
        return List.copyOf(answered);
    }

    // ---- enrollment ---------------------------------------------------------------------------

    /**
     * Gets an identity certificate from the server's SCEP endpoint: GetCACert, then a PKCSReq with a
     * fresh RSA key, a CSR for {@code subject} with {@code challenge}, signed with SHA-1 and
     * encrypted with 3DES, as iOS and macOS do.
     *
     * @return the CertRep status ("0" success, "2" failure)
     */
    public ScepTestClient.CertRep enrollScep(String subject, String challenge) throws Exception {
        Reply caCert = get("/public/mdm/scep?operation=GetCACert");
        if (caCert.status() != 200) {
            throw new IllegalStateException("GetCACert: " + caCert.status());
        }
        X509Certificate ca = Certificates.parse(caCert.body());
        KeyPair keys = KeyPairs.rsa(2048);
        X509Certificate selfSigned = new dev.orchardmdm.crypto.keys.CertificateBuilder(subject, keys.getPublic())
                .validFor(Duration.ofHours(1)).selfSigned(keys.getPrivate());
        byte[] csr = ScepTestClient.csr(keys, subject, challenge);
        byte[] nonce = new byte[16];
        new SecureRandom().nextBytes(nonce);
        ASN1ObjectIdentifier cipher = PKCSObjectIdentifiers.des_EDE3_CBC;
        byte[] message = ScepTestClient.request(19, csr, ca, cipher, selfSigned, keys.getPrivate(), "SHA1",
                HexFormat.of().formatHex(nonce), nonce);
        Reply rep = send(HttpRequest.newBuilder(URI.create(baseUrl + "/public/mdm/scep?operation=PKIOperation"))
                .header("Content-Type", "application/x-pki-message")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)));
        if (rep.status() != 200) {
            throw new IllegalStateException("PKIOperation: HTTP " + rep.status() + " " + rep.text());
        }
        ScepTestClient.CertRep certRep = ScepTestClient.read(rep.body(), ca, keys.getPrivate());
        if (certRep.issued() != null) {
            identity = KeyAndChain.of(keys.getPrivate(), certRep.issued());
        }
        return certRep;
    }

    /**
     * Installs a signed enrollment profile as a device does: checks the CMS signature against
     * {@code profileSigner}, reads the SCEP payload (subject, challenge) and enrolls through SCEP.
     *
     * @return the profile's payloads by PayloadType
     */
    public Map<String, PlistDict> installProfile(byte[] signedProfile, X509Certificate profileSigner) throws Exception {
        dev.orchardmdm.crypto.cms.SignedMessages.Verified verified =
                dev.orchardmdm.crypto.cms.SignedMessages.verify(signedProfile, null, 1 << 20);
        if (!verified.signer().equals(profileSigner)) {
            throw new IllegalStateException("profile signed by " + verified.signer().getSubjectX500Principal());
        }
        dev.orchardmdm.protocol.profile.ConfigurationProfile profile =
                dev.orchardmdm.protocol.profile.ConfigurationProfile.parse(verified.content());
        Map<String, PlistDict> payloads = new java.util.LinkedHashMap<>();
        for (String type : profile.payloadTypes()) {
            payloads.put(type, profile.payload(type).orElseThrow());
        }
        PlistDict scep = payloads.get("com.apple.security.scep");
        if (scep != null) {
            PlistDict content = scep.requireDict("PayloadContent");
            StringBuilder subject = new StringBuilder();
            for (Object rdn : content.array("Subject")) {
                List<?> pair = (List<?>) ((List<?>) rdn).get(0);
                subject.append(subject.length() == 0 ? "" : ",").append(pair.get(0)).append('=').append(pair.get(1));
            }
            ScepTestClient.CertRep rep = enrollScep(subject.toString(), content.requireString("Challenge"));
            if (!"0".equals(rep.status())) {
                throw new IllegalStateException("SCEP refused: " + rep.failInfo());
            }
        }
        return payloads;
    }

    /**
     * Enrolls over the air as an iPhone does: phase 1 (the Profile Service of the enrollment with
     * {@code enrollmentSecret}), phase 2 (its attributes signed with {@code appleDeviceKey}, a
     * certificate of the Apple iPhone Device CA) and phase 3 (signed with the OTA identity), then
     * installs the MDM profile (SCEP). The session is pinned to this device's UDID and serial.
     *
     * @return the MDM profile's payloads by PayloadType
     */
    public Map<String, PlistDict> enrollOta(String enrollmentSecret, KeyAndChain appleDeviceKey,
                                            X509Certificate profileSigner) throws Exception {
        Reply phase1 = get("/public/mdm/ota_enrollments/" + enrollmentSecret + "/profile/");
        if (phase1.status() != 200) {
            throw new IllegalStateException("OTA phase 1: HTTP " + phase1.status());
        }
        PlistDict service = PlistReader.withDefaults().readDictionary(
                dev.orchardmdm.crypto.cms.SignedMessages.verify(phase1.body(), null, 1 << 20).content());
        String challenge = service.requireDict("PayloadContent").requireString("Challenge");
        Reply phase2 = post("/public/mdm/ota_enroll/", signAttached(otaAttributes(challenge).toXml(), appleDeviceKey));
        if (phase2.status() != 200) {
            throw new IllegalStateException("OTA phase 2: HTTP " + phase2.status() + " " + phase2.text());
        }
        installProfile(phase2.body(), profileSigner);
        Reply phase3 = post("/public/mdm/ota_enroll/", signAttached(otaAttributes(challenge).toXml(), identity));
        if (phase3.status() != 200) {
            throw new IllegalStateException("OTA phase 3: HTTP " + phase3.status() + " " + phase3.text());
        }
        return installProfile(phase3.body(), profileSigner);
    }

    /** An attached CMS SignedData of {@code content} (what a device posts to ota_enroll/ and dep_enroll/). */
    public static byte[] signAttached(byte[] content, KeyAndChain signer) throws Exception {
        org.bouncycastle.cms.CMSSignedDataGenerator gen = new org.bouncycastle.cms.CMSSignedDataGenerator();
        gen.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoGeneratorBuilder()
                .build(KeyPairs.signatureAlgorithm(signer.privateKey(), "SHA256"), signer.privateKey(),
                        signer.certificate()));
        gen.addCertificates(new org.bouncycastle.cert.jcajce.JcaCertStore(signer.chain()));
        return gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(content), true).getEncoded();
    }

    /** The device attributes an iPhone posts in OTA phases 2 and 3. */
    public PlistDict otaAttributes(String challenge) {
        return PlistDict.builder().put("CHALLENGE", challenge).put("UDID", udid).put("SERIAL", serial)
                .put("PRODUCT", "iPhone15,2").put("VERSION", "21E236").build();
    }

    public Reply post(String path, byte[] body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/pkcs7-signature")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
    }

    // ---- MDM protocol -------------------------------------------------------------------------

    public Reply authenticate(String topic) throws Exception {
        return checkin(PlistDict.builder().put("MessageType", "Authenticate").put("Topic", topic).put("UDID", udid)
                .put("SerialNumber", serial).put("DeviceName", "Simulated Mac").put("Model", "VirtualMac2,1")
                .put("ModelName", "Virtual Machine").put("ProductName", "VirtualMac2,1").put("OSVersion", "14.4")
                .put("BuildVersion", "23E214").build());
    }

    public Reply tokenUpdate(String topic) throws Exception {
        return checkin(PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", topic).put("UDID", udid)
                .put("Token", pushToken).put("PushMagic", pushMagic).put("UnlockToken", new byte[] {1, 2, 3, 4})
                .put("AwaitingConfiguration", false).build());
    }

    public Reply checkin(PlistDict message) throws Exception {
        return put("/public/mdm/checkin/", message.toXml());
    }

    public Reply connect(PlistDict report) throws Exception {
        return put("/public/mdm/connect/", report.toXml());
    }

    public Reply idle() throws Exception {
        return connect(PlistDict.of("UDID", udid, "Status", "Idle"));
    }

    /**
     * Runs the command loop from Idle until the server has nothing more (at most {@code max}
     * commands), answering each command with a realistic response.
     *
     * @return the last reply (an empty 200 when the queue is drained)
     */
    public Reply drain(int max) throws Exception {
        Reply reply = idle();
        for (int i = 0; i < max && reply.status() == 200 && reply.body().length > 0; i++) {
            PlistDict command = reply.plist();
            reply = connect(answer(command));
        }
        return reply;
    }

    /** A realistic answer to {@code command} (Acknowledged). */
    public PlistDict answer(PlistDict command) throws Exception {
        String uuid = command.requireString("CommandUUID");
        String type = command.requireDict("Command").requireString("RequestType");
        answered.add(type);
        PlistDict.Builder b = switch (type) {
            case "DeviceInformation" -> fixture("device_information.plist").toBuilder()
                    .put("QueryResponses", fixture("device_information.plist").requireDict("QueryResponses")
                            .with("UDID", udid).with("SerialNumber", serial));
            case "SecurityInfo" -> securityInfo();
            case "ProfileList" -> fixture("profile_list.plist").toBuilder();
            case "InstalledApplicationList" -> fixture("installed_application_list.plist").toBuilder();
            default -> PlistDict.builder();
        };
        return b.put("CommandUUID", uuid).put("UDID", udid).put("Status", "Acknowledged").build();
    }

    private PlistDict.Builder securityInfo() throws Exception {
        PlistDict fixture = fixture("security_info.plist");
        if (fileVaultEscrow == null) {
            return fixture.toBuilder();
        }
        org.bouncycastle.cms.CMSEnvelopedDataGenerator gen = new org.bouncycastle.cms.CMSEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator(fileVaultEscrow));
        byte[] cms = gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(
                        fileVaultPrk.getBytes(StandardCharsets.UTF_8)),
                new org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder(
                        org.bouncycastle.cms.CMSAlgorithm.AES128_CBC).build()).getEncoded();
        PlistDict info = fixture.requireDict("SecurityInfo").with("FDE_PersonalRecoveryKeyCMS", cms);
        return fixture.toBuilder().put("SecurityInfo", info);
    }

    /** A fixture from {@code shared/fixtures/zentral/}. */
    public static PlistDict fixture(String name) throws Exception {
        Path dir = Path.of(System.getProperty("orchard.shared.dir", "../../shared"), "fixtures", "zentral");
        return PlistReader.withDefaults().readDictionary(Files.readAllBytes(dir.resolve(name)));
    }

    // ---- HTTP ---------------------------------------------------------------------------------

    public Reply put(String path, byte[] body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl + path))
                .header("Content-Type", "application/x-apple-aspen-mdm")
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body));
        if (identity != null) {
            if (mode == Mode.SIGNED) {
                b.header("Mdm-Signature", TestPki.mdmSignature(body, identity, style));
            } else {
                b.header("X-SSL-Client-Cert", URLEncoder.encode(Pem.certificate(identity.certificate()),
                        StandardCharsets.UTF_8).replace("+", "%20"));
                b.header("X-SSL-Client-S-DN", identity.certificate().getSubjectX500Principal().getName());
            }
        }
        return send(b);
    }

    public Reply get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).GET());
    }

    private Reply send(HttpRequest.Builder b) throws IOException, InterruptedException {
        HttpResponse<byte[]> r = http.send(b.timeout(Duration.ofSeconds(30)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        return new Reply(r.statusCode(), r.body(), r.headers().firstValue("Content-Type").orElse(null));
    }
}
