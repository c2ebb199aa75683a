package dev.orchardmdm.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.crypto.cms.AppleAttestationVerifier;
import dev.orchardmdm.crypto.cms.ProfileSigner;
import dev.orchardmdm.crypto.filevault.FileVaultEscrow;
import dev.orchardmdm.crypto.identity.DeviceIdentityVerifier;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.scep.ChallengeChecker;
import dev.orchardmdm.crypto.scep.IssuancePolicy;
import dev.orchardmdm.crypto.scep.ScepCa;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.TestPki;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Random;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Mutated messages (flipped bytes, truncations, inserted bytes) may only ever be refused with a
 * {@link CryptoException} subclass, never with a runtime exception, and a mutated device signature
 * is never accepted for the original body by another identity.
 */
class HostileMutationTest {
    static final byte[] BODY = TestPki.utf8("<plist version=\"1.0\"><dict><key>MessageType</key><string>Authenticate"
            + "</string><key>UDID</key><string>ABCD</string></dict></plist>");
    static TestPki pki;
    static KeyAndChain device;

    @BeforeAll
    static void setUp() {
        pki = TestPki.create("Mutation CA");
        device = pki.issueDevice("MDM$OTA$mutation", "MBU$1", "SERIAL1");
    }

    interface Target {
        void accept(byte[] mutated) throws CryptoException;
    }

    static int mutateAll(byte[] original, Target target, long seed, int count) {
        Random random = new Random(seed);
        int refused = 0;
        for (int i = 0; i < count; i++) {
            byte[] m;
            switch (i % 4) {
                case 0 -> {
                    m = original.clone();
                    m[random.nextInt(m.length)] ^= (byte) (1 + random.nextInt(255));
                }
                case 1 -> m = Arrays.copyOf(original, random.nextInt(original.length));
                case 2 -> {
                    int at = random.nextInt(original.length);
                    m = new byte[original.length + 1];
                    System.arraycopy(original, 0, m, 0, at);
                    m[at] = (byte) random.nextInt(256);
                    System.arraycopy(original, at, m, at + 1, original.length - at);
                }
                default -> {
                    m = original.clone();
                    int at = random.nextInt(m.length);
                    byte wild = (byte) (random.nextBoolean() ? 0x80 : 0xff); // length bytes gone wild
                    // A byte that already holds that value would make this no mutation at all (inputs made with
                    // random keys hold such bytes by chance): change it another way.
                    m[at] = m[at] == wild ? (byte) (wild ^ 0x01) : wild;
                }
            }
            try {
                target.accept(m);
            } catch (CryptoException e) {
                refused++;
            } catch (RuntimeException e) {
                throw new AssertionError("mutation " + i + " raised " + e, e);
            }
        }
        return refused;
    }

    @Test
    void mdmSignatureMutations() {
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(pki.chain());
        for (TestPki.SignatureStyle style : new TestPki.SignatureStyle[] {TestPki.SignatureStyle.DEVICE,
                TestPki.SignatureStyle.MODERN}) {
            byte[] cms = TestPki.detachedSignature(BODY, device, style);
            int refused = mutateAll(cms, m -> {
                String cn = verifier.fromMdmSignature(Base64.getEncoder().encodeToString(m), BODY).commonName();
                assertThat(cn).isEqualTo("MDM$OTA$mutation");
            }, 42, 400);
            assertThat(refused).isGreaterThan(300);
        }
    }

    @Test
    void scepAttestationAndEnvelopeMutations() throws Exception {
        ScepCa ca = new ScepCa(pki.ca(), ChallengeChecker.staticChallenge("c"),
                IssuancePolicy.deviceIdentity(Duration.ofDays(1)), Clock.systemUTC());
        java.security.KeyPair client = dev.orchardmdm.crypto.keys.KeyPairs.rsa(2048);
        java.security.cert.X509Certificate self = new dev.orchardmdm.crypto.keys.CertificateBuilder("CN=client",
                client.getPublic()).selfSigned(client.getPrivate());
        byte[] request = ScepTestClient.request(19, ScepTestClient.csr(client, "CN=dev", "c"), pki.certificate(),
                CMSAlgorithm.DES_EDE3_CBC, self, client.getPrivate(), "SHA1", "TX", new byte[16]);
        mutateAll(request, m -> ca.pkiOperation(m), 7, 120);

        AppleAttestationVerifier apple = new AppleAttestationVerifier(pki.chain());
        byte[] signed = new ProfileSigner(device).sign(BODY);
        mutateAll(signed, m -> apple.verify(m), 8, 200);

        KeyAndChain escrow = FileVaultEscrow.newEscrowIdentity("mutation", Duration.ofDays(1));
        org.bouncycastle.cms.CMSEnvelopedDataGenerator gen = new org.bouncycastle.cms.CMSEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator(escrow.certificate())
                .setProvider(Bc.PROVIDER));
        byte[] envelope = gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(TestPki.utf8("ABCD-EFGH")),
                new org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder(CMSAlgorithm.AES128_CBC)
                        .setProvider(Bc.PROVIDER).build()).getEncoded();
        mutateAll(envelope, m -> FileVaultEscrow.decryptRecoveryKey(m, escrow), 9, 200);
    }

    @Test
    void keyCertificateCsrPkcs12AndSecretBoxMutations() throws Exception {
        mutateAll(device.certificate().getEncoded(), m -> dev.orchardmdm.crypto.keys.Certificates.parse(m), 11, 200);
        mutateAll(TestPki.utf8(dev.orchardmdm.crypto.keys.Pem.certificate(device.certificate())),
                m -> dev.orchardmdm.crypto.keys.Certificates.parseChain(m), 12, 100);
        java.security.KeyPair kp = new java.security.KeyPair(device.certificate().getPublicKey(), device.privateKey());
        mutateAll(dev.orchardmdm.crypto.keys.Csrs.create(kp, "CN=x"), m -> dev.orchardmdm.crypto.keys.Csrs.parse(m), 13, 200);
        mutateAll(device.privateKey().getEncoded(), m -> dev.orchardmdm.crypto.keys.Pem.readPrivateKey(m), 14, 100);
        mutateAll(TestPki.utf8(dev.orchardmdm.crypto.keys.Pem.encryptedPrivateKey(device.privateKey(), "pw".toCharArray())),
                m -> dev.orchardmdm.crypto.keys.Pem.readPrivateKey(m, "pw".toCharArray()), 15, 8);
        byte[] p12 = dev.orchardmdm.crypto.keys.Pkcs12.write(device, "a", "pw".toCharArray());
        mutateAll(p12, m -> dev.orchardmdm.crypto.keys.Pkcs12.read(m, "pw".toCharArray()), 16, 16);
        dev.orchardmdm.crypto.secrets.SecretBox box = dev.orchardmdm.crypto.secrets.SecretBox.of(
                dev.orchardmdm.crypto.secrets.SecretBox.Key.generate());
        dev.orchardmdm.crypto.secrets.FieldContext ctx = new dev.orchardmdm.crypto.secrets.FieldContext("t", "c", "r");
        byte[] sealed = box.seal(TestPki.utf8("secret"), ctx);
        int refused = mutateAll(sealed, m -> box.open(m, ctx), 17, 300);
        assertThat(refused).isEqualTo(300); // AES-GCM: every change is detected
    }
}
