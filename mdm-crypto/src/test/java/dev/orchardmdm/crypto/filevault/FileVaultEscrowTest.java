package dev.orchardmdm.crypto.filevault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.DecryptionException;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.testing.Openssl;
import dev.orchardmdm.crypto.testing.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.bouncycastle.cms.CMSEnvelopedDataGenerator;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.jcajce.JceCMSContentEncryptorBuilder;
import org.bouncycastle.cms.jcajce.JceKeyTransRecipientInfoGenerator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileVaultEscrowTest {
    static final String PRK = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX";
    static KeyAndChain escrow;
    @TempDir
    Path dir;

    @BeforeAll
    static void identity() {
        escrow = FileVaultEscrow.newEscrowIdentity("C02XYZ123ABC", Duration.ofDays(365 * 20));
    }

    static byte[] envelope(byte[] content, KeyAndChain to, ASN1ObjectIdentifier cipher) throws Exception {
        CMSEnvelopedDataGenerator gen = new CMSEnvelopedDataGenerator();
        gen.addRecipientInfoGenerator(new JceKeyTransRecipientInfoGenerator(to.certificate()).setProvider(Bc.PROVIDER));
        return gen.generate(new CMSProcessableByteArray(content),
                new JceCMSContentEncryptorBuilder(cipher).setProvider(Bc.PROVIDER).build()).getEncoded();
    }

    @Test
    void escrowCertificateLastsAndCanOnlyEncipher() {
        assertThat(escrow.certificate().getSubjectX500Principal().getName()).contains("C02XYZ123ABC");
        assertThat(Duration.between(escrow.certificate().getNotBefore().toInstant(),
                escrow.certificate().getNotAfter().toInstant()).toDays()).isGreaterThanOrEqualTo(365 * 20 - 1);
        assertThat(escrow.certificate().getKeyUsage()[2]).isTrue(); // keyEncipherment
        assertThat(escrow.certificate().getKeyUsage()[0]).isFalse(); // not digitalSignature
    }

    @Test
    void decryptsRecoveryKeysFromOpensslAndBouncyCastleEnvelopes() throws Exception {
        Files.writeString(dir.resolve("prk.txt"), PRK);
        Files.writeString(dir.resolve("escrow.pem"), Pem.certificate(escrow.certificate()));
        Openssl.ok(dir, "cms", "-encrypt", "-binary", "-aes256", "-outform", "DER", "-in", "prk.txt", "-out", "prk.cms",
                "escrow.pem");
        assertThat(FileVaultEscrow.decryptRecoveryKey(Files.readAllBytes(dir.resolve("prk.cms")), escrow)).isEqualTo(PRK);
        Openssl.ok(dir, "cms", "-encrypt", "-binary", "-des3", "-stream", "-outform", "DER", "-in", "prk.txt",
                "-out", "prk-ber.cms", "escrow.pem");
        assertThat(FileVaultEscrow.decryptRecoveryKey(Files.readAllBytes(dir.resolve("prk-ber.cms")), escrow)).isEqualTo(PRK);
        for (ASN1ObjectIdentifier cipher : new ASN1ObjectIdentifier[] {CMSAlgorithm.AES128_CBC, CMSAlgorithm.DES_EDE3_CBC}) {
            byte[] rotated = envelope(TestPki.utf8("WXYZ-2345-6789-ABCD-EFGH-JKLM\n"), escrow, cipher);
            assertThat(FileVaultEscrow.decryptRecoveryKey(rotated, escrow)).isEqualTo("WXYZ-2345-6789-ABCD-EFGH-JKLM");
        }
    }

    @Test
    void rejectsOtherRecipientsGarbageAndOddContent() throws Exception {
        KeyAndChain other = FileVaultEscrow.newEscrowIdentity("other", Duration.ofDays(1));
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(envelope(TestPki.utf8(PRK), other,
                CMSAlgorithm.AES128_CBC), escrow)).isInstanceOf(DecryptionException.class);
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(TestPki.utf8("garbage"), escrow))
                .isInstanceOf(MalformedDataException.class);
        byte[] good = envelope(TestPki.utf8(PRK), escrow, CMSAlgorithm.AES128_CBC);
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(java.util.Arrays.copyOf(good, good.length - 20), escrow))
                .isInstanceOf(MalformedDataException.class);
        byte[] signed = TestPki.detachedSignature(TestPki.utf8(PRK), escrow, TestPki.SignatureStyle.MODERN);
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(signed, escrow))
                .isInstanceOf(WrongContentTypeException.class);
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(envelope(new byte[] {0, 1, 2}, escrow,
                CMSAlgorithm.AES128_CBC), escrow)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> FileVaultEscrow.decryptRecoveryKey(new byte[FileVaultEscrow.MAX_MESSAGE + 1], escrow))
                .isInstanceOf(dev.orchardmdm.crypto.OversizedInputException.class);
    }
}
