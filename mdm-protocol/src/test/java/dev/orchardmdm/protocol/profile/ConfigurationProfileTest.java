package dev.orchardmdm.protocol.profile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.protocol.Fixtures;
import dev.orchardmdm.protocol.PlistDict;
import dev.orchardmdm.protocol.PlistReader;
import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import dev.orchardmdm.protocol.schema.ValidationResult;
import java.nio.file.Files;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ConfigurationProfileTest {
    private static final SchemaValidator VALIDATOR = new SchemaValidator(SchemaCatalog.bundled());
    private static final String TOPIC = "com.apple.mgmt.External.0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0";

    private static byte[] appleRootDer() throws Exception {
        String pem = Files.readString(Fixtures.sharedDir().resolve("apple-certs/AppleIncRootCertificate.pem"));
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    private static Subject subject() {
        return Subject.builder().add("CN", "MDM$OTA$secret").add("2.5.4.5", "C02XYZ").add("O", "MBU$1").build();
    }

    @Test
    void enrollmentProfileWithScepMdmAndRootValidatesAgainstAppleSchema() throws Exception {
        ScepPayload scep = ScepPayload.forMdmIdentity(Payload.Common.of("org.example.mdm.scep", "MDM identity"),
                "https://mdm.example.org/scep", "Orchard", subject(), "challenge-secret");
        CertificatePayload root = CertificatePayload.root(Payload.Common.of("org.example.mdm.root", "Root CA"),
                "root.cer", appleRootDer());
        MdmPayload mdm = MdmPayload.builder(Payload.Common.of("org.example.mdm.mdm", "MDM"), scep.payloadUuid(),
                        TOPIC, "https://mdm.example.org/public/mdm/connect/")
                .checkInUrl("https://mdm.example.org/public/mdm/checkin/").signMessage(true)
                .serverCapability(MdmPayload.BOOTSTRAP_TOKEN).serverCapability(MdmPayload.PER_USER_CONNECTIONS)
                .build();
        ConfigurationProfile profile = ConfigurationProfile.builder("org.example.mdm").displayName("Orchard MDM")
                .organization("Example").description("Enrollment").payload(root).payload(scep).payload(mdm).build();

        ValidationResult r = VALIDATOR.validateProfile(profile.dict());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();

        ConfigurationProfile back = ConfigurationProfile.parse(profile.toPlist());
        assertThat(back).isEqualTo(profile);
        assertThat(back.payloadTypes()).containsExactly("com.apple.security.root", "com.apple.security.scep",
                "com.apple.mdm");
        PlistDict m = back.payload("com.apple.mdm").orElseThrow();
        assertThat(m.requireString("IdentityCertificateUUID")).isEqualTo(scep.payloadUuid());
        assertThat(m.requireInteger("AccessRights")).isEqualTo(8191L);
        assertThat(m.requireBool("CheckOutWhenRemoved")).isTrue();
        assertThat(m.requireBool("SignMessage")).isTrue();
        assertThat(m.stringArray("ServerCapabilities")).containsExactly("com.apple.mdm.bootstraptoken",
                "com.apple.mdm.per-user-connections");
        PlistDict scepContent = back.payload("com.apple.security.scep").orElseThrow().requireDict("PayloadContent");
        assertThat(scepContent.requireInteger("Keysize")).isEqualTo(2048L);
        assertThat(scepContent.array("Subject")).hasSize(3);
        assertThat(scepContent.requireBool("KeyIsExtractable")).isFalse();
        assertThat(scep.toString()).doesNotContain("challenge-secret");
    }

    @Test
    void acmeAndPemAndUserEnrollmentPayloadsValidate() throws Exception {
        AcmePayload acme = AcmePayload.hardwareBound(Payload.Common.of("org.example.mdm.acme", "ACME"),
                "https://mdm.example.org/acme/directory", "client-id", subject());
        String pem = Files.readString(Fixtures.sharedDir().resolve("apple-certs/AppleIncRootCertificate.pem"));
        CertificatePayload pemPayload = CertificatePayload.pem(Payload.Common.of("org.example.mdm.pem", null),
                "root.pem", pem);
        MdmPayload byod = MdmPayload.builder(Payload.Common.of("org.example.mdm.mdm", "MDM"), acme.payloadUuid(),
                TOPIC, "https://mdm.example.org/connect").userEnrollment("alice@example.org", "BYOD").build();
        ConfigurationProfile profile = ConfigurationProfile.builder("org.example.byod").scope("System")
                .payload(acme).payload(pemPayload).payload(byod).build();
        ValidationResult r = VALIDATOR.validateProfile(profile.dict());
        assertThat(r.errors()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        PlistDict a = profile.payload("com.apple.security.acme").orElseThrow();
        assertThat(a.requireString("KeyType")).isEqualTo("ECSECPrimeRandom");
        assertThat(a.requireBool("HardwareBound")).isTrue();
        assertThat(profile.payload("com.apple.mdm").orElseThrow().has("AccessRights")).isFalse();
        assertThat(profile.payload("com.apple.mdm").orElseThrow().requireString("EnrollmentMode")).isEqualTo("BYOD");
    }

    @Test
    void accessRightsBitRules() {
        assertThat(AccessRights.ALL.rights()).hasSize(13);
        assertThat(AccessRights.of(EnumSet.of(AccessRights.Right.INSPECT_PROFILES,
                AccessRights.Right.INSTALL_REMOVE_PROFILES)).value()).isEqualTo(3);
        assertThatThrownBy(() -> new AccessRights(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new AccessRights(2)).hasMessageContaining("requires 1");
        assertThatThrownBy(() -> new AccessRights(128)).hasMessageContaining("requires 64");
        assertThatThrownBy(() -> new AccessRights(8192)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new AccessRights(192).has(AccessRights.Right.INSTALL_REMOVE_PROVISIONING_PROFILES)).isTrue();
    }

    @Test
    void payloadRulesAreEnforced() {
        Payload.Common c = Payload.Common.of("x", null);
        assertThatThrownBy(() -> MdmPayload.builder(c, "U", TOPIC, "http://insecure").build())
                .hasMessageContaining("https");
        assertThatThrownBy(() -> MdmPayload.builder(c, "U", "not-a-topic", "https://x").build())
                .hasMessageContaining("Topic");
        assertThatThrownBy(() -> new AcmePayload(c, "https://a", "id", 2048, "RSA", true, false, subject(),
                Optional.empty(), List.of(), Optional.empty())).hasMessageContaining("RSA");
        assertThatThrownBy(() -> new AcmePayload(c, "https://a", "id", 521, "ECSECPrimeRandom", true, true,
                subject(), Optional.empty(), List.of(), Optional.empty())).hasMessageContaining("256 or 384");
        assertThatThrownBy(() -> new AcmePayload(c, "https://a", "id", 256, "ECSECPrimeRandom", false, true,
                subject(), Optional.empty(), List.of(), Optional.empty())).hasMessageContaining("Attest");
        assertThatThrownBy(() -> new ScepPayload(c, "https://s", Optional.empty(), subject(), Optional.empty(), 3000,
                5, false, false, Optional.empty())).hasMessageContaining("Keysize");
        Payload.Common same = new Payload.Common("dup", Payload.newUuid(), null);
        assertThatThrownBy(() -> ConfigurationProfile.builder("p")
                .payload(CertificatePayload.pem(same, "a", "-----BEGIN CERTIFICATE-----"))
                .payload(CertificatePayload.pem(same, "b", "-----BEGIN CERTIFICATE-----")).build())
                .hasMessageContaining("duplicate");
    }

    @Test
    void brokenPayloadsAreReportedByTheValidator() {
        PlistDict badMdm = PlistDict.of("PayloadType", "com.apple.mdm", "PayloadVersion", 1,
                "PayloadIdentifier", "x", "PayloadUUID", "y", "IdentityCertificateUUID", "not-a-uuid",
                "Topic", TOPIC, "ServerURL", "http://insecure", "AccessRights", "all");
        ValidationResult r = VALIDATOR.validateProfilePayload(badMdm);
        assertThat(r.errors()).extracting(ValidationResult.Issue::path)
                .containsExactlyInAnyOrder("IdentityCertificateUUID", "ServerURL", "AccessRights");
        assertThat(VALIDATOR.validateProfilePayload(PlistDict.of("PayloadType", "com.example.unknown")).isValid())
                .isFalse();
    }

    @Test
    void profileServiceDocument() throws Exception {
        ProfileService ps = ProfileService.of("org.example.ota", "Enroll", "https://mdm.example.org/ota/1/",
                "secret", "Example");
        PlistDict d = PlistReader.withDefaults().readDictionary(ps.toPlist());
        assertThat(d.requireString("PayloadType")).isEqualTo("Profile Service");
        PlistDict content = d.requireDict("PayloadContent");
        assertThat(content.requireString("URL")).isEqualTo("https://mdm.example.org/ota/1/");
        assertThat(content.stringArray("DeviceAttributes")).contains("UDID", "SERIAL", "VERSION", "PRODUCT");
        assertThat(content.requireString("Challenge")).isEqualTo("secret");
        // the schema's top-level and common keys hold for it too
        assertThat(VALIDATOR.validateDocument(SchemaCatalog.bundled().profilePayload("CommonPayloadKeys")
                .orElseThrow(), d.without("PayloadContent")).errors()).isEmpty();
        assertThatThrownBy(() -> ProfileService.of("x", "y", "http://insecure", "c", "o"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void zentralTestMobileconfigParses() throws Exception {
        ConfigurationProfile p = ConfigurationProfile.parse(Fixtures.zentral("test.mobileconfig"));
        assertThat(p.payloadIdentifier()).isEqualTo("com.example.my-profile");
        assertThat(p.payloadUuid()).isEqualTo("8846C027-9F51-4574-9042-33C118F3D43E");
        assertThat(p.displayName()).contains("iOS Restrictions");
        assertThat(p.organization()).contains("Zentral Pro Services");
        assertThat(p.description()).hasValueSatisfying(d -> assertThat(d).startsWith("Auto-date&time"));
        assertThat(p.payloadTypes()).containsExactly("com.apple.applicationaccess");
        PlistDict restrictions = p.payload("com.apple.applicationaccess").orElseThrow();
        assertThat(restrictions.requireBool("allowAirPrint")).isFalse();
        assertThat(restrictions.requireBool("forceAutomaticDateAndTime")).isTrue();
        assertThat(p.dict().requireInteger("TargetDeviceType")).isEqualTo(1L);
        assertThat(VALIDATOR.validateProfile(p.dict()).errors()).isEmpty();
    }
}
