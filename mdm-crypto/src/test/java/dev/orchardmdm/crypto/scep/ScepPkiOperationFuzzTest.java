package dev.orchardmdm.crypto.scep;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.CertificateBuilder;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.ScepTestClient;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.protocol.testing.FuzzRuns;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.cms.CMSAlgorithm;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target: SCEP {@code PKIOperation}, {@link ScepCa#handle}. The first input byte picks the mode: even,
 * the rest is the whole pkiMessage (CMS SignedData around an EnvelopedData); odd, the rest is a CSR that the
 * harness encrypts to the CA and signs as a client does, so that the fuzzer reaches CSR parsing, the challenge
 * and the issuance policy behind the signature. Contract: a {@link ScepResponse} (a CertRep, SUCCESS or
 * FAILURE) or a {@link CryptoException}; any other throwable is a finding. See docs/fuzzing.md.
 */
class ScepPkiOperationFuzzTest {
    private static final String CHALLENGE = "fuzz-challenge";
    /** One CA and client per JVM: the seeds are encrypted to this CA and signed by this client. */
    private static final TestPki PKI = TestPki.create("Orchard Fuzz SCEP CA");
    private static final KeyPair CLIENT = KeyPairs.rsa(2048);
    private static final X509Certificate CLIENT_CERT = new CertificateBuilder("CN=SCEP SIGNER,O=device",
            CLIENT.getPublic()).selfSigned(CLIENT.getPrivate());

    private final ScepCa ca;
    private final FuzzRuns runs = new FuzzRuns("scep-pkioperation");

    ScepPkiOperationFuzzTest() throws CryptoException {
        ca = new ScepCa(PKI.ca(), ChallengeChecker.staticChallenge(CHALLENGE),
                IssuancePolicy.deviceIdentity(Duration.ofDays(365)), Clock.systemUTC());
    }

    static Stream<Arguments> seeds() {
        byte[] csr = ScepTestClient.csr(CLIENT, "CN=00008030-001A2B3C4D5E6F70,O=MDM$OTA$fuzz", CHALLENGE);
        byte[] wrongChallenge = ScepTestClient.csr(CLIENT, "CN=device,O=Orchard", "not-the-challenge");
        return Stream.of(
                FuzzRuns.modeSeed("pkcsreq-sha256-aes128", 0, request(19, csr, CMSAlgorithm.AES128_CBC, "SHA256")),
                FuzzRuns.modeSeed("pkcsreq-sha1-des3", 0, request(19, csr, CMSAlgorithm.DES_EDE3_CBC, "SHA1")),
                FuzzRuns.modeSeed("pkcsreq-sha512-aes256", 0, request(19, csr, CMSAlgorithm.AES256_CBC, "SHA512")),
                FuzzRuns.modeSeed("renewalreq-self-signed", 0, request(17, csr, CMSAlgorithm.AES128_CBC, "SHA256")),
                FuzzRuns.modeSeed("pkcsreq-wrong-challenge", 0,
                        request(19, wrongChallenge, CMSAlgorithm.AES128_CBC, "SHA256")),
                FuzzRuns.modeSeed("csr", 1, csr),
                FuzzRuns.modeSeed("csr-wrong-challenge", 1, wrongChallenge));
    }

    private static byte[] request(int messageType, byte[] csr, ASN1ObjectIdentifier cipher, String digest) {
        return ScepTestClient.request(messageType, csr, PKI.certificate(), cipher, CLIENT_CERT, CLIENT.getPrivate(),
                digest, "FUZZ-TX", new byte[16]);
    }

    @MethodSource("seeds")
    @FuzzTest
    void pkiOperation(byte[] input) {
        runs.count();
        if (input.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(input, 1, input.length);
        byte[] message = (input[0] & 1) == 0 ? rest : request(19, rest, CMSAlgorithm.AES128_CBC, "SHA256");
        try {
            ca.handle("PKIOperation", null, message);
        } catch (CryptoException refused) {
            // the documented refusal (400)
        }
    }

    @AfterEach
    void report(TestInfo invocation) {
        runs.report(invocation);
    }
}
