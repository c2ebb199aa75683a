package dev.orchardmdm.cli.certs;

import static org.assertj.core.api.Assertions.assertThat;

import com.dd.plist.NSDictionary;
import com.dd.plist.NSObject;
import com.dd.plist.NSString;
import com.dd.plist.PropertyListParser;
import dev.orchardmdm.cli.CliRun;
import dev.orchardmdm.crypto.keys.Certificates;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.Pem;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code mdm mdmcerts}: the spec's procedure (init, then vendor.crt from "Apple", then req), with
 * prompts answered on standard input, and every failure leaving the working directory as it was.
 */
class MdmCertsTest {
    static final String VENDOR_PW = "vendor-secret";
    static final String PUSH_PW = "push-secret";

    @TempDir
    static Path shared;
    static Path initialized;
    static TestVendor apple;
    static X509Certificate vendorCertificate;

    @TempDir
    Path tmp;

    @BeforeAll
    static void initOnce() throws Exception {
        initialized = shared.resolve("initialized");
        CliRun r = CliRun.run(VENDOR_PW + "\n" + VENDOR_PW + "\n", "mdmcerts", "-d", initialized.toString(), "init");
        assertThat(r.status()).as(r.toString()).isZero();
        apple = new TestVendor();
        vendorCertificate = apple.issue(initialized.resolve("vendor.csr"));
    }

    /** A working directory as the admin has it after init and saving Apple's certificate (DER). */
    private Path workingDir() throws Exception {
        Path dir = tmp.resolve("work");
        Files.createDirectories(dir);
        for (String f : List.of("vendor.key", "vendor.csr")) {
            Files.copy(initialized.resolve(f), dir.resolve(f));
        }
        TestVendor.writeDer(vendorCertificate, dir.resolve("vendor.crt"));
        return dir;
    }

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void initWritesAnEncryptedVendorKeyAndItsCsr() throws Exception {
        assertThat(names(initialized)).containsExactly("vendor.csr", "vendor.key");
        String key = Files.readString(initialized.resolve("vendor.key"));
        assertThat(key).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        Openssl.Result pkey = Openssl.run(initialized, "pkey", "-in", "vendor.key", "-passin", "pass:" + VENDOR_PW,
                "-pubout");
        assertThat(pkey.status()).as(pkey.output()).isZero();
        Openssl.Result wrong = Openssl.run(initialized, "pkey", "-in", "vendor.key", "-passin", "pass:nope",
                "-noout");
        assertThat(wrong.status()).isNotZero();
        Openssl.Result req = Openssl.run(initialized, "req", "-in", "vendor.csr", "-noout", "-verify", "-subject",
                "-pubkey");
        assertThat(req.status()).as(req.output()).isZero();
        assertThat(req.output()).contains("CN = MDM Vendor");
        assertThat(req.output()).contains(pkey.output().strip());
    }

    @Test
    void initRefusesTwoDifferentPasswordsAndCreatesNothing() {
        Path dir = tmp.resolve("new");
        CliRun r = CliRun.run("one-password\nanother-one\n", "mdmcerts", "-d", dir.toString(), "init");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("differ");
        assertThat(dir).doesNotExist();
    }

    @Test
    void initRefusesToOverwriteAVendorKey() throws Exception {
        Path dir = workingDir();
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        CliRun r = CliRun.run("password\npassword\n", "mdmcerts", "-d", dir.toString(), "init");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("vendor.key already exists");
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void reqWritesTheSignedPushRequestOfTheSpec() throws Exception {
        Path dir = workingDir();
        CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\n" + VENDOR_PW + "\n",
                "mdmcerts", "-d", dir.toString(), "req", "FR");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.err()).contains("push key").contains("vendor key");
        assertThat(names(dir)).containsExactly("push.b64", "push.csr", "push.key", "vendor.crt", "vendor.csr",
                "vendor.key");

        // push.b64: base64 of an XML plist with exactly the three keys
        byte[] plist = Base64.getMimeDecoder().decode(Files.readAllBytes(dir.resolve("push.b64")));
        assertThat(new String(plist, StandardCharsets.UTF_8)).contains("<plist");
        NSDictionary dict = (NSDictionary) PropertyListParser.parse(plist);
        assertThat(dict.allKeys()).containsExactlyInAnyOrder("PushCertCertificateChain", "PushCertRequestCSR",
                "PushCertSignature");
        for (NSObject value : dict.values()) {
            assertThat(value).isInstanceOf(NSString.class);
        }

        // PushCertRequestCSR is push.csr (DER), subject CN=MDM Push, C=FR, key = push.key
        byte[] csrDer = Base64.getMimeDecoder().decode(string(dict, "PushCertRequestCSR"));
        assertThat(csrDer).isEqualTo(Files.readAllBytes(dir.resolve("push.csr")));
        PKCS10CertificationRequest csr = Csrs.parse(csrDer);
        assertThat(csr.getSubject().toString()).contains("CN=MDM Push").contains("C=FR");
        PrivateKey pushKey = Pem.readPrivateKey(Files.readAllBytes(dir.resolve("push.key")), PUSH_PW.toCharArray());
        assertThat(((RSAPrivateCrtKey) pushKey).getModulus())
                .isEqualTo(((java.security.interfaces.RSAPublicKey) Csrs.publicKey(csr)).getModulus());
        assertThat(Files.readString(dir.resolve("push.key"))).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");

        // PushCertSignature verifies with openssl over the DER CSR, with the vendor public key
        Files.write(tmp.resolve("csr.der"), csrDer);
        Files.write(tmp.resolve("sig.bin"), Base64.getMimeDecoder().decode(string(dict, "PushCertSignature")));
        Openssl.Result pub = Openssl.run(tmp, "x509", "-inform", "DER", "-in", dir.resolve("vendor.crt").toString(),
                "-pubkey", "-noout", "-out", "vendorpub.pem");
        assertThat(pub.status()).as(pub.output()).isZero();
        Openssl.Result verify = Openssl.run(tmp, "dgst", "-sha256", "-verify", "vendorpub.pem", "-signature",
                "sig.bin", "csr.der");
        assertThat(verify.output()).contains("Verified OK");
        assertThat(verify.status()).isZero();
        Files.write(tmp.resolve("csr.der"), new byte[] {1, 2, 3});
        assertThat(Openssl.run(tmp, "dgst", "-sha256", "-verify", "vendorpub.pem", "-signature", "sig.bin",
                "csr.der").status()).isNotZero();

        // PushCertCertificateChain: vendor, Apple WWDR G3, Apple Root CA
        List<X509Certificate> chain = Certificates.parseChain(string(dict, "PushCertCertificateChain"));
        assertThat(chain).hasSize(3);
        assertThat(chain.get(0)).isEqualTo(vendorCertificate);
        assertThat(Certificates.sha256Fingerprint(chain.get(1)).toUpperCase().replace(":", ""))
                .isEqualTo("DCF21878C77F4198E4B4614F03D696D89C66C66008D4244E1B99161AAC91601F");
        assertThat(Certificates.sha256Fingerprint(chain.get(2)).toUpperCase().replace(":", ""))
                .isEqualTo("B0B1730ECBC7FF4505142C49F1295E6EDA6BCAED7E2C68C5BE91B5A11001F024");
        chain.get(1).verify(chain.get(2).getPublicKey());
    }

    @Test
    void reqTakesAPemVendorCertificateAndPasswordsFromFileAndEnvironment() throws Exception {
        Path dir = workingDir();
        TestVendor.writePem(vendorCertificate, dir.resolve("vendor.crt"));
        Path pwFile = tmp.resolve("vendor-password");
        Files.writeString(pwFile, VENDOR_PW + "\n");
        CliRun r = CliRun.run("", Map.of("MDM_PUSH_KEY_PASSWORD", PUSH_PW),
                "mdmcerts", "-d", dir.toString(), "req", "--vendor-password-file", pwFile.toString(), "-p", "acme-",
                "us");
        assertThat(r.status()).as(r.toString()).isZero();
        assertThat(r.err()).doesNotContain("Choose a password").doesNotContain("Password of the");
        assertThat(names(dir)).contains("acme-push.b64", "acme-push.csr", "acme-push.key");
        PKCS10CertificationRequest csr = Csrs.parse(Files.readAllBytes(dir.resolve("acme-push.csr")));
        assertThat(csr.getSubject().toString()).contains("C=US");
        Pem.readPrivateKey(Files.readAllBytes(dir.resolve("acme-push.key")), PUSH_PW.toCharArray());
    }

    @Test
    void reqWithAWrongVendorPasswordWritesNothing() throws Exception {
        Path dir = workingDir();
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\nwrong-password\n",
                "mdmcerts", "-d", dir.toString(), "req", "FR");
        assertThat(r.status()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("wrong password").contains("vendor.key");
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void reqWithoutVendorCertificateExplainsWhereToGetIt() throws Exception {
        Path dir = workingDir();
        Files.delete(dir.resolve("vendor.crt"));
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\n" + VENDOR_PW + "\n",
                "mdmcerts", "-d", dir.toString(), "req", "FR");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("vendor.crt is missing").contains("MDM CSR");
        assertThat(r.err()).doesNotContain("Choose a password");
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void reqRefusesAVendorCertificateOfAnotherKey() throws Exception {
        Path dir = workingDir();
        TestVendor.writeDer(apple.issueForAnotherKey(), dir.resolve("vendor.crt"));
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\n" + VENDOR_PW + "\n",
                "mdmcerts", "-d", dir.toString(), "req", "FR");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("vendor.crt does not match");
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void reqRefusesToOverwriteAPushFile() throws Exception {
        Path dir = workingDir();
        Files.writeString(dir.resolve("push.b64"), "an earlier request");
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\n" + VENDOR_PW + "\n",
                "mdmcerts", "-d", dir.toString(), "req", "FR");
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("push.b64 already exists");
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void reqRefusesWhatIsNotAnIsoCountryCode() throws Exception {
        Path dir = workingDir();
        DirectorySnapshot before = DirectorySnapshot.of(dir);
        for (String cc : List.of("ZZ", "USA", "F", "1A")) {
            CliRun r = CliRun.run(PUSH_PW + "\n" + PUSH_PW + "\n" + VENDOR_PW + "\n",
                    "mdmcerts", "-d", dir.toString(), "req", cc);
            assertThat(r.status()).as(cc).isEqualTo(1);
            assertThat(r.err()).contains("ISO 3166-1 alpha-2");
        }
        assertThat(DirectorySnapshot.of(dir)).isEqualTo(before);
    }

    @Test
    void signReqSignsAnExternalCsr() throws Exception {
        Path dir = workingDir();
        Openssl.Result gen = Openssl.run(tmp, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "ext.key",
                "-subj", "/CN=External Push/C=DE", "-outform", "DER", "-out", "external.csr");
        assertThat(gen.status()).as(gen.output()).isZero();
        CliRun r = CliRun.run(VENDOR_PW + "\n", "mdmcerts", "-d", dir.toString(), "sign_req",
                tmp.resolve("external.csr").toString());
        assertThat(r.status()).as(r.toString()).isZero();
        NSDictionary dict = (NSDictionary) PropertyListParser.parse(
                Base64.getMimeDecoder().decode(Files.readAllBytes(tmp.resolve("external.b64"))));
        assertThat(Base64.getMimeDecoder().decode(string(dict, "PushCertRequestCSR")))
                .isEqualTo(Files.readAllBytes(tmp.resolve("external.csr")));
        Files.write(tmp.resolve("sig.bin"), Base64.getMimeDecoder().decode(string(dict, "PushCertSignature")));
        Files.writeString(tmp.resolve("vendorpub.pem"), Pem.encode("PUBLIC KEY",
                vendorCertificate.getPublicKey().getEncoded()));
        Openssl.Result verify = Openssl.run(tmp, "dgst", "-sha256", "-verify", "vendorpub.pem", "-signature",
                "sig.bin", "external.csr");
        assertThat(verify.output()).contains("Verified OK");
        assertThat(names(dir)).containsExactly("vendor.crt", "vendor.csr", "vendor.key");
    }

    @Test
    void signReqRefusesWhatIsNotACsr() throws Exception {
        Path dir = workingDir();
        Files.writeString(tmp.resolve("junk.csr"), "-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n"
                + "-----END CERTIFICATE REQUEST-----\n");
        CliRun r = CliRun.run(VENDOR_PW + "\n", "mdmcerts", "-d", dir.toString(), "sign_req",
                tmp.resolve("junk.csr").toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("not a valid certificate signing request");
        assertThat(tmp.resolve("junk.b64")).doesNotExist();
    }

    private static String string(NSDictionary dict, String key) {
        return ((NSString) dict.get(key)).getContent();
    }
}
