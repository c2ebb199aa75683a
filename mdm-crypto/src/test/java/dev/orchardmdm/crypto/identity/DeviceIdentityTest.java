package dev.orchardmdm.crypto.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.CertificateValidityException;
import dev.orchardmdm.crypto.InvalidDistinguishedNameException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.UntrustedCertificateException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.crypto.testing.TestPki.SignatureStyle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import dev.orchardmdm.crypto.keys.NameAttribute;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeviceIdentityTest {
    static final String CN = "MDM$OTA$q8DJb0jOjgSkkXvwpUQIx1Y6KyfsiZX3yxrVzUbQe5w";
    static final byte[] BODY = TestPki.utf8("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key>"
            + "<string>Authenticate</string><key>UDID</key><string>0000-1111</string></dict></plist>");
    static TestPki pki;
    static TestPki foreign;
    static KeyAndChain device;
    static KeyAndChain ecDevice;
    static DeviceIdentityVerifier verifier;
    static java.security.KeyPair spare;
    static KeyAndChain stranger;
    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() {
        pki = TestPki.createWithIntermediate("Orchard SCEP CA");
        foreign = TestPki.create("Foreign CA");
        device = pki.issueDevice(CN, "MBU$1", "C02XYZ123ABC");
        Instant now = Instant.now();
        ecDevice = pki.issue(TestPki.subject("MDM$DEP$ec", "MBU$2", "SERIAL-EC"), KeyPairs.ec("secp256r1"),
                now.minusSeconds(60), now.plus(Duration.ofDays(30)));
        verifier = new DeviceIdentityVerifier(pki.chain());
        spare = KeyPairs.rsa(2048);
        stranger = foreign.issue(TestPki.subject(CN, "MBU$1", "C02XYZ123ABC"), spare, now.minusSeconds(60),
                now.plus(Duration.ofDays(30)));
    }

    @Test
    void verifiesEveryDeviceSignatureStyle() throws Exception {
        for (SignatureStyle style : List.of(SignatureStyle.DEVICE, SignatureStyle.MODERN,
                new SignatureStyle("SHA512", true, true), new SignatureStyle("SHA256", false, false),
                new SignatureStyle("SHA1", true, false))) {
            Identity id = verifier.fromMdmSignature(TestPki.mdmSignature(BODY, device, style), BODY);
            assertThat(id.commonName()).as(style.toString()).isEqualTo(CN);
            assertThat(id.organization()).isEqualTo("MBU$1");
            assertThat(id.serialNumber()).isEqualTo("C02XYZ123ABC");
            assertThat(id.fingerprint()).isEqualTo(Certificates.sha256Fingerprint(device.certificate()));
            assertThat(id.certificate()).isEqualTo(device.certificate());
        }
        Identity ec = verifier.fromMdmSignature(TestPki.mdmSignature(BODY, ecDevice, SignatureStyle.DEVICE), BODY);
        assertThat(ec.commonName()).isEqualTo("MDM$DEP$ec");
        assertThat(ec.serialNumber()).isEqualTo("SERIAL-EC");
    }

    @Test
    void berSignatureIsIndefiniteLength() {
        byte[] cms = TestPki.detachedSignature(BODY, device, SignatureStyle.DEVICE);
        assertThat(cms[0]).isEqualTo((byte) 0x30);
        assertThat(cms[1]).isEqualTo((byte) 0x80);
    }

    @Test
    void verifiesBodiesSignedByOpenssl() throws Exception {
        Files.write(dir.resolve("body.plist"), BODY);
        Files.writeString(dir.resolve("dev.pem"), Pem.certificate(device.certificate()));
        Files.writeString(dir.resolve("dev.key"), Pem.privateKey(device.privateKey()));
        Files.writeString(dir.resolve("ec.pem"), Pem.certificate(ecDevice.certificate()));
        Files.writeString(dir.resolve("ec.key"), Pem.privateKey(ecDevice.privateKey()));
        List<List<String>> commands = List.of(
                List.of("cms", "-sign", "-binary", "-md", "sha1", "-outform", "DER", "-signer", "dev.pem", "-inkey", "dev.key"),
                List.of("cms", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-stream", "-signer", "dev.pem",
                        "-inkey", "dev.key"),
                List.of("cms", "-sign", "-binary", "-md", "sha512", "-noattr", "-outform", "DER", "-signer", "ec.pem",
                        "-inkey", "ec.key"),
                List.of("smime", "-sign", "-binary", "-noattr", "-md", "sha1", "-outform", "DER", "-signer", "dev.pem",
                        "-inkey", "dev.key"),
                List.of("smime", "-sign", "-binary", "-md", "sha256", "-outform", "DER", "-signer", "ec.pem",
                        "-inkey", "ec.key"));
        for (List<String> command : commands) {
            List<String> args = new java.util.ArrayList<>(command);
            args.addAll(List.of("-in", "body.plist", "-out", "sig.der"));
            Openssl.ok(dir, args.toArray(new String[0]));
            String header = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("sig.der")));
            Identity id = verifier.fromMdmSignature(header, BODY);
            assertThat(id.commonName()).as(String.join(" ", command)).isIn(CN, "MDM$DEP$ec");
            byte[] other = BODY.clone();
            other[other.length - 10] ^= 1;
            assertThatThrownBy(() -> verifier.fromMdmSignature(header, other)).as(String.join(" ", command))
                    .isInstanceOf(SignatureVerificationException.class);
        }
    }

    @Test
    void rejectsHostileSignatures() throws Exception {
        String good = TestPki.mdmSignature(BODY, device, SignatureStyle.DEVICE);
        byte[] otherBody = TestPki.utf8("<plist><dict><key>MessageType</key><string>TokenUpdate</string></dict></plist>");
        assertThatThrownBy(() -> verifier.fromMdmSignature(good, otherBody))
                .isInstanceOf(SignatureVerificationException.class);
        // a signer from another CA
        assertThatThrownBy(() -> verifier.fromMdmSignature(TestPki.mdmSignature(BODY, stranger, SignatureStyle.DEVICE), BODY))
                .isInstanceOf(UntrustedCertificateException.class);
        // a self-signed certificate (what Zentral would accept)
        java.security.KeyPair kp = spare;
        java.security.cert.X509Certificate self = new dev.orchardmdm.crypto.keys.CertificateBuilder("CN=" + "MDM$OTA$x",
                kp.getPublic()).selfSigned(kp.getPrivate());
        assertThatThrownBy(() -> verifier.fromMdmSignature(TestPki.mdmSignature(BODY, KeyAndChain.of(kp.getPrivate(), self),
                SignatureStyle.DEVICE), BODY)).isInstanceOf(UntrustedCertificateException.class);
        // expired, and not yet valid beyond the skew
        Instant now = Instant.now();
        KeyAndChain expired = pki.issue(TestPki.subject(CN, "MBU$1", "S"), spare,
                now.minus(Duration.ofDays(400)), now.minus(Duration.ofDays(35)));
        assertThatThrownBy(() -> verifier.fromMdmSignature(TestPki.mdmSignature(BODY, expired, SignatureStyle.DEVICE), BODY))
                .isInstanceOf(CertificateValidityException.class);
        KeyAndChain future = pki.issue(TestPki.subject(CN, "MBU$1", "S"), spare,
                now.plus(Duration.ofMinutes(2)), now.plus(Duration.ofDays(35)));
        String futureSig = TestPki.mdmSignature(BODY, future, SignatureStyle.DEVICE);
        assertThat(verifier.fromMdmSignature(futureSig, BODY).commonName()).isEqualTo(CN); // within the 5-minute skew
        DeviceIdentityVerifier strict = new DeviceIdentityVerifier(pki.chain(), Duration.ZERO, Clock.systemUTC());
        assertThatThrownBy(() -> strict.fromMdmSignature(futureSig, BODY)).isInstanceOf(CertificateValidityException.class);
        DeviceIdentityVerifier later = new DeviceIdentityVerifier(pki.chain(), Duration.ofMinutes(5),
                Clock.fixed(device.certificate().getNotAfter().toInstant().plus(Duration.ofMinutes(10)), ZoneOffset.UTC));
        assertThatThrownBy(() -> later.fromMdmSignature(good, BODY)).isInstanceOf(CertificateValidityException.class);
        // garbage, truncated, wrong content types, oversized
        assertThatThrownBy(() -> verifier.fromMdmSignature("not base64 at all!!", BODY)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> verifier.fromMdmSignature(Base64.getEncoder().encodeToString(TestPki.utf8("garbage")), BODY))
                .isInstanceOf(MalformedDataException.class);
        byte[] der = Base64.getDecoder().decode(good);
        for (int cut : new int[] {1, 10, der.length / 2, der.length - 3}) {
            String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(der, cut));
            assertThatThrownBy(() -> verifier.fromMdmSignature(truncated, BODY)).as("cut at " + cut)
                    .isInstanceOf(MalformedDataException.class);
        }
        String certInstead = Base64.getEncoder().encodeToString(device.certificate().getEncoded());
        assertThatThrownBy(() -> verifier.fromMdmSignature(certInstead, BODY)).isInstanceOf(MalformedDataException.class);
        String data = Base64.getEncoder().encodeToString(new org.bouncycastle.asn1.cms.ContentInfo(
                org.bouncycastle.asn1.cms.CMSObjectIdentifiers.data, new org.bouncycastle.asn1.DEROctetString(BODY)).getEncoded());
        assertThatThrownBy(() -> verifier.fromMdmSignature(data, BODY)).isInstanceOf(WrongContentTypeException.class);
        assertThatThrownBy(() -> verifier.fromMdmSignature("A".repeat(DeviceIdentityVerifier.MAX_SIGNATURE_HEADER + 4), BODY))
                .isInstanceOf(OversizedInputException.class);
        assertThatThrownBy(() -> verifier.fromMdmSignature(null, BODY)).isInstanceOf(MalformedDataException.class);
        // a CA certificate is not a device identity
        assertThatThrownBy(() -> verifier.fromCertificate(pki.certificate(), List.of()))
                .isInstanceOf(UntrustedCertificateException.class);
    }

    static String nginxEscape(String pem) {
        StringBuilder sb = new StringBuilder();
        for (byte b : pem.getBytes(StandardCharsets.US_ASCII)) {
            char c = (char) b;
            if (Character.isLetterOrDigit(c) || c == '-' || c == '.' || c == '_' || c == '~') {
                sb.append(c);
            } else {
                sb.append('%').append(String.format("%02X", b));
            }
        }
        return sb.toString();
    }

    @Test
    void proxyHeadersInBothDnForms() throws Exception {
        String pem = Pem.certificate(device.certificate());
        String escaped = nginxEscape(pem);
        assertThat(escaped).contains("%2B").doesNotContain("+");
        String rfc2253 = device.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
        assertThat(rfc2253).contains("2.5.4.5=#13");
        Identity id = verifier.fromProxyHeaders(escaped, rfc2253);
        assertThat(id.commonName()).isEqualTo(CN);
        assertThat(id.serialNumber()).isEqualTo("C02XYZ123ABC");
        assertThat(id.organization()).isEqualTo("MBU$1");

        Files.writeString(dir.resolve("dev.pem"), pem);
        String legacy = new String(Openssl.ok(dir, "x509", "-in", "dev.pem", "-noout", "-subject", "-nameopt", "compat"),
                StandardCharsets.UTF_8).trim().replaceFirst("^subject=", "");
        assertThat(legacy).startsWith("/CN=" + CN);
        assertThat(verifier.fromProxyHeaders(escaped, legacy).commonName()).isEqualTo(CN);
        String opensslRfc = new String(Openssl.ok(dir, "x509", "-in", "dev.pem", "-noout", "-subject", "-nameopt", "RFC2253"),
                StandardCharsets.UTF_8).trim().replaceFirst("^subject=", "");
        assertThat(verifier.fromProxyHeaders(escaped, opensslRfc).serialNumber()).isEqualTo("C02XYZ123ABC");
        assertThat(verifier.fromProxyHeaders(pem, null).commonName()).isEqualTo(CN);
        assertThat(verifier.fromProxyHeaders(Base64.getEncoder().encodeToString(device.certificate().getEncoded()), null)
                .commonName()).isEqualTo(CN);
    }

    @Test
    void parsesDistinguishedNamesAndRejectsInjectedSeparators() throws Exception {
        DistinguishedName a = DistinguishedName.parse("2.5.4.5=#130c43303258595a313233414243,O=MBU$1,CN=MDM$OTA$abc");
        assertThat(a.get(NameAttribute.SERIALNUMBER)).isEqualTo("C02XYZ123ABC");
        assertThat(a.get(NameAttribute.CN)).isEqualTo("MDM$OTA$abc");
        DistinguishedName b = DistinguishedName.parse("/CN=MDM$OTA$abc/O=MBU$1/serialNumber=C02XYZ123ABC");
        assertThat(b.sameAttributes(a)).isTrue();
        DistinguishedName c = DistinguishedName.parse("/CN=MDM$OTA$abc/O=MBU$1/2.5.4.5=#130c43303258595a313233414243");
        assertThat(c.sameAttributes(a)).isTrue();
        assertThat(DistinguishedName.parse("/CN=a/b c/O=x").get(NameAttribute.CN)).isEqualTo("a/b c");
        assertThat(DistinguishedName.parse("/CN=caf\\xC3\\xA9").get(NameAttribute.CN)).isEqualTo("café");
        assertThat(DistinguishedName.parse("CN=a\\,O=b,O=c").get(NameAttribute.CN)).isEqualTo("a,O=b");

        assertThatThrownBy(() -> DistinguishedName.parse("CN=MDM$OTA$abc,O=Evil,O=MBU$1"))
                .isInstanceOf(InvalidDistinguishedNameException.class).hasMessageContaining("twice");
        assertThatThrownBy(() -> DistinguishedName.parse("/CN=MDM$OTA$abc/O=Evil/O=MBU$1"))
                .isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("CN=a\nO=b")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("/NOPE=a")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("CN")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("/CN=#zz")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> DistinguishedName.parse("CN=" + "a".repeat(5000)))
                .isInstanceOf(InvalidDistinguishedNameException.class);
    }

    @Test
    void proxyHeadersRejectInjectionMismatchAndForeignCertificates() throws Exception {
        // a certificate whose CN legitimately contains a comma and "O=": escaped in RFC 2253, so it parses back
        Instant now = Instant.now();
        KeyAndChain tricky = pki.issue(TestPki.subject("MDM$OTA$abc,O=MBU$9", "MBU$1", "S1"), spare, now.minusSeconds(60),
                now.plus(Duration.ofDays(1)));
        String escaped = nginxEscape(Pem.certificate(tricky.certificate()));
        String proper = tricky.certificate().getSubjectX500Principal().getName(X500Principal.RFC2253);
        assertThat(verifier.fromProxyHeaders(escaped, proper).commonName()).isEqualTo("MDM$OTA$abc,O=MBU$9");
        // the same name with the separator injected unescaped: rejected
        assertThatThrownBy(() -> verifier.fromProxyHeaders(escaped, proper.replace("\\,", ",")))
                .isInstanceOf(InvalidDistinguishedNameException.class);
        // a DN that names someone else
        String deviceEscaped = nginxEscape(Pem.certificate(device.certificate()));
        assertThatThrownBy(() -> verifier.fromProxyHeaders(deviceEscaped, "CN=MDM$OTA$other,O=MBU$1,2.5.4.5=#130c4330325859"
                + "5a313233414243")).isInstanceOf(InvalidDistinguishedNameException.class);
        assertThatThrownBy(() -> verifier.fromProxyHeaders(nginxEscape(Pem.certificate(stranger.certificate())), null))
                .isInstanceOf(UntrustedCertificateException.class);
        assertThatThrownBy(() -> verifier.fromProxyHeaders("%ZZ", null)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> verifier.fromProxyHeaders("", null)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> verifier.fromProxyHeaders("x".repeat(DeviceIdentityVerifier.MAX_CERT_HEADER + 1), null))
                .isInstanceOf(OversizedInputException.class);
    }
}
