package dev.orchardmdm.crypto.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.CertificateValidityException;
import dev.orchardmdm.crypto.identity.DistinguishedName;
import dev.orchardmdm.crypto.push.AppleCertificates;
import dev.orchardmdm.crypto.testing.DocsExamples;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The keys example of docs/crypto.md on Apple's real certificates (its lines must appear, in order, in this file),
 * and the public API of the classes it shows holds no Bouncy Castle type.
 */
class CryptoDocsExamplesTest {

    @Test
    void readsNamesAndVerifiesTheExpiredAppleChainWithoutTheTimeCheck() throws Exception {
        X509Certificate root = AppleCertificates.appleRootCa();
        String organisation = Certificates.subjectAttribute(root, NameAttribute.O);     // "Apple Inc."
        DistinguishedName name = DistinguishedName.of(root.getSubjectX500Principal());
        String commonName = name.get(NameAttribute.CN);                                 // "Apple Root CA"
        List<X509Certificate> apple = AppleCertificates.iPhoneDeviceCaChain();           // intermediates expired
        ChainVerifier verifier = new ChainVerifier(List.of(root));
        List<X509Certificate> path = verifier.verify(apple.get(0), apple, ChainVerifier.ValidityCheck.NONE);

        assertThat(organisation).isEqualTo("Apple Inc.");
        assertThat(commonName).isEqualTo("Apple Root CA");
        assertThat(Certificates.subjectAttribute(root, NameAttribute.OU)).isEqualTo("Apple Certification Authority");
        assertThat(Certificates.subjectAttribute(root, NameAttribute.UID)).isNull();
        assertThat(Certificates.subjectAttribute(apple.get(0), NameAttribute.CN)).isEqualTo("Apple iPhone Device CA");
        assertThat(name.attributes()).extracting(DistinguishedName.Attribute::oid)
                .containsExactly("2.5.4.6", "2.5.4.10", "2.5.4.11", "2.5.4.3");
        assertThat(name.attributes().get(0).type()).contains(NameAttribute.C);
        assertThat(path).extracting(c -> Certificates.subjectAttribute(c, NameAttribute.CN)).containsExactly(
                "Apple iPhone Device CA", "Apple iPhone Certification Authority", "Apple Root CA");

        // the same chain checked at a time fails: its intermediates have expired
        assertThatThrownBy(() -> verifier.verify(apple.get(0), apple,
                ChainVerifier.ValidityCheck.at(Instant.now(), Duration.ofMinutes(5))))
                .isInstanceOf(CertificateValidityException.class);
        assertThatThrownBy(() -> verifier.verify(apple.get(0), apple, null, Duration.ZERO))
                .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> verifier.verify(apple.get(0), apple, (ChainVerifier.ValidityCheck) null))
                .isInstanceOf(NullPointerException.class);
    }

    @Test
    void theNamesOfAttributesAreTheirOids() {
        assertThat(NameAttribute.ofOid("0.9.2342.19200300.100.1.1")).contains(NameAttribute.UID);
        assertThat(NameAttribute.ofOid("1.2.3")).isEmpty();
        assertThat(Arrays.stream(NameAttribute.values()).map(NameAttribute::oid)).doesNotHaveDuplicates();
    }

    @Test
    void noBouncyCastleTypeInThePublicApiOfTheseClasses() {
        List<String> leaks = new ArrayList<>();
        for (Class<?> c : List.of(Certificates.class, ChainVerifier.class, ChainVerifier.ValidityCheck.class,
                NameAttribute.class, DistinguishedName.class, DistinguishedName.Attribute.class)) {
            for (Method m : c.getDeclaredMethods()) {
                if (Modifier.isPublic(m.getModifiers())) {
                    Stream.concat(Stream.of(m.getGenericReturnType()), Arrays.stream(m.getGenericParameterTypes()))
                            .filter(t -> t.getTypeName().contains("org.bouncycastle"))
                            .forEach(t -> leaks.add(c.getSimpleName() + "." + m.getName() + ": " + t));
                }
            }
            for (Constructor<?> k : c.getDeclaredConstructors()) {
                if (Modifier.isPublic(k.getModifiers())) {
                    Arrays.stream(k.getGenericParameterTypes()).filter(t -> t.getTypeName().contains("org.bouncycastle"))
                            .forEach(t -> leaks.add(c.getSimpleName() + "(): " + t));
                }
            }
            if (c.isRecord()) {
                for (RecordComponent rc : c.getRecordComponents()) {
                    if (rc.getGenericType().getTypeName().contains("org.bouncycastle")) {
                        leaks.add(c.getSimpleName() + "." + rc.getName());
                    }
                }
            }
        }
        assertThat(leaks).isEmpty();
    }

    @Test
    void everyLineOfTheDocsExampleIsInThisTest() throws IOException {
        DocsExamples.assertBlockIn("docs/crypto.md", "`CryptoDocsExamplesTest` holds this code", Path.of("src", "test",
                "java", "dev", "orchardmdm", "crypto", "keys", "CryptoDocsExamplesTest.java"));
    }
}
