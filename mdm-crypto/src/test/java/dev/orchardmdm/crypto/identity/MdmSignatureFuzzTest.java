package dev.orchardmdm.crypto.identity;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.orchardmdm.crypto.CryptoException;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.crypto.testing.TestPki.SignatureStyle;
import dev.orchardmdm.protocol.testing.FuzzRuns;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fuzz target: the {@code Mdm-Signature} header, {@link DeviceIdentityVerifier#fromMdmSignature} (CMS
 * SignedData parsing and verification in {@code SignedMessages}, then the chain check to the SCEP CA). The
 * input is the DER/BER CMS message; the target base64-encodes it as a device does. Contract: an identity or a
 * {@link CryptoException}; any other throwable is a finding. Seeds: real signatures over a check-in body in the
 * styles devices and openssl use (RSA and EC, SHA-1/256/512, BER and DER, with and without signed attributes,
 * issued under an intermediate). See docs/fuzzing.md.
 */
class MdmSignatureFuzzTest {
    private static final byte[] BODY = TestPki.utf8("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">"
            + "<dict><key>MessageType</key><string>Authenticate</string><key>Topic</key><string>com.apple.mgmt.x"
            + "</string><key>UDID</key><string>00008030-001A2B3C4D5E6F70</string></dict></plist>");
    /** One CA per JVM: the seeds are signed under it, and the verifier trusts it. */
    private static final TestPki PKI = TestPki.createWithIntermediate("Orchard Fuzz CA");

    private final DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(PKI.chain());
    private final FuzzRuns runs = new FuzzRuns("mdm-signature");

    static Stream<Arguments> seeds() {
        KeyAndChain rsa = PKI.issueDevice("00008030-001A2B3C4D5E6F70", "MDM$OTA$fuzz", "C02FUZZ");
        Instant now = Instant.now();
        KeyAndChain ec = PKI.issue(TestPki.subject("MDM$DEP$ec", "Orchard", null), KeyPairs.ec("secp256r1"),
                now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)));
        return Stream.of(
                seed("rsa-sha1-ber-device", rsa, SignatureStyle.DEVICE),
                seed("rsa-sha256-der-attributes", rsa, SignatureStyle.MODERN),
                seed("rsa-sha512-der", rsa, new SignatureStyle("SHA512", false, false)),
                seed("ec-sha256-der-attributes", ec, SignatureStyle.MODERN),
                seed("ec-sha1-ber", ec, new SignatureStyle("SHA1", false, true)));
    }

    private static Arguments seed(String name, KeyAndChain device, SignatureStyle style) {
        return Arguments.of(Named.of(name, TestPki.detachedSignature(BODY, device, style)));
    }

    @MethodSource("seeds")
    @FuzzTest
    void verify(byte[] cms) {
        runs.count();
        try {
            verifier.fromMdmSignature(Base64.getEncoder().encodeToString(cms), BODY);
        } catch (CryptoException refused) {
            // the documented refusal
        }
    }

    @AfterEach
    void report(TestInfo invocation) {
        runs.report(invocation);
    }
}
