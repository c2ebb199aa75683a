package dev.orchardmdm.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.Bc;
import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.OversizedInputException;
import dev.orchardmdm.crypto.SignatureVerificationException;
import dev.orchardmdm.crypto.WrongContentTypeException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.testing.TestPki;
import java.util.List;
import org.bouncycastle.cert.jcajce.JcaCertStore;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Hostile SignedData shapes, each refused with a typed exception. */
class SignedMessagesHostileTest {
    static final byte[] BODY = TestPki.utf8("<plist><dict><key>MessageType</key><string>Idle</string></dict></plist>");
    static KeyAndChain a;
    static KeyAndChain b;

    @BeforeAll
    static void setUp() {
        TestPki pki = TestPki.create("Hostile CA");
        a = pki.issueDevice("a", null, null);
        b = pki.issueDevice("b", null, null);
    }

    static byte[] signed(String algorithm, boolean includeCert, boolean attach, KeyAndChain... signers) throws Exception {
        CMSSignedDataGenerator gen = new CMSSignedDataGenerator();
        for (KeyAndChain s : signers) {
            gen.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(
                    new JcaDigestCalculatorProviderBuilder().setProvider(Bc.PROVIDER).build())
                    .build(new JcaContentSignerBuilder(algorithm).setProvider(Bc.PROVIDER).build(s.privateKey()),
                            s.certificate()));
            if (includeCert) {
                gen.addCertificates(new JcaCertStore(List.of(s.certificate())));
            }
        }
        return gen.generate(new CMSProcessableByteArray(BODY), attach).getEncoded("DER");
    }

    @Test
    void refusesWeakDigestsMissingCertificatesAndSeveralSigners() throws Exception {
        assertThat(SignedMessages.verify(signed("SHA256withRSA", true, false, a), BODY, 1 << 16).signer())
                .isEqualTo(a.certificate());
        assertThatThrownBy(() -> SignedMessages.verify(signed("MD5withRSA", true, false, a), BODY, 1 << 16))
                .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("digest");
        assertThatThrownBy(() -> SignedMessages.verify(signed("SHA256withRSA", false, false, a), BODY, 1 << 16))
                .isInstanceOf(SignatureVerificationException.class).hasMessageContaining("certificate");
        assertThatThrownBy(() -> SignedMessages.verify(signed("SHA256withRSA", true, false, a, b), BODY, 1 << 16))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("one signer");
    }

    @Test
    void attachedContentMustBeTheBodyAndDetachedNeedsOne() throws Exception {
        byte[] attached = signed("SHA256withRSA", true, true, a);
        assertThat(SignedMessages.verify(attached, BODY, 1 << 16).content()).isEqualTo(BODY);
        assertThatThrownBy(() -> SignedMessages.verify(attached, TestPki.utf8("other"), 1 << 16))
                .isInstanceOf(SignatureVerificationException.class);
        assertThatThrownBy(() -> SignedMessages.verify(signed("SHA256withRSA", true, false, a), null, 1 << 16))
                .isInstanceOf(MalformedDataException.class);
    }

    @Test
    void refusesGarbageTrailingDataOtherTypesAndOversize() throws Exception {
        byte[] good = signed("SHA1withRSA", true, false, a);
        byte[] trailing = java.util.Arrays.copyOf(good, good.length + 3);
        trailing[good.length] = 0x30;
        trailing[good.length + 1] = 0x01;
        assertThatThrownBy(() -> SignedMessages.verify(trailing, BODY, 1 << 16)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SignedMessages.verify(new byte[0], BODY, 1 << 16)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SignedMessages.verify(new byte[] {0x30, (byte) 0x84, 0x7f, (byte) 0xff, (byte) 0xff,
                (byte) 0xff}, BODY, 1 << 16)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> SignedMessages.verify(good, BODY, 100)).isInstanceOf(OversizedInputException.class);
        byte[] enveloped = new org.bouncycastle.asn1.cms.ContentInfo(org.bouncycastle.asn1.cms.CMSObjectIdentifiers.envelopedData,
                new org.bouncycastle.asn1.DERSequence()).getEncoded();
        assertThatThrownBy(() -> SignedMessages.verify(enveloped, BODY, 1 << 16)).isInstanceOf(WrongContentTypeException.class);
        byte[] flipped = good.clone();
        flipped[flipped.length - 2] ^= 0x55; // inside the signature value
        assertThatThrownBy(() -> SignedMessages.verify(flipped, BODY, 1 << 16))
                .isInstanceOf(SignatureVerificationException.class);
    }
}
