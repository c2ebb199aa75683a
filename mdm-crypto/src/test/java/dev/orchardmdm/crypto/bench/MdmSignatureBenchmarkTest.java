package dev.orchardmdm.crypto.bench;

import dev.orchardmdm.crypto.identity.DeviceIdentityVerifier;
import dev.orchardmdm.crypto.identity.Identity;
import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.testing.TestPki;
import dev.orchardmdm.crypto.testing.TestPki.SignatureStyle;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Mdm-Signature verifications per second (parse CMS, verify RSA-2048 signature, chain to the SCEP
 * CA, build the identity), one thread. Run: {@code mvn -B -o -Pbench -pl mdm-crypto test}.
 * Prints figures; asserts nothing about timing.
 */
@Tag("benchmark")
class MdmSignatureBenchmarkTest {
    static final int WARMUP_MS = 2_000;
    static final int MEASURE_MS = 1_500;
    static final int ROUNDS = 4;

    @Test
    void verificationsPerSecond() throws Exception {
        TestPki pki = TestPki.create("Bench CA");
        KeyAndChain device = pki.issueDevice("MDM$OTA$bench", "MBU$1", "BENCH0001");
        DeviceIdentityVerifier verifier = new DeviceIdentityVerifier(pki.chain());
        byte[] body = TestPki.utf8("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>MessageType</key>"
                + "<string>Idle</string><key>UDID</key><string>0000-BENCH</string><key>Status</key>"
                + "<string>Idle</string></dict></plist>");
        // baseline in the same run: one bare RSA-2048 SHA-256 signature verification (JDK provider)
        java.security.Signature signer = java.security.Signature.getInstance("SHA256withRSA");
        signer.initSign(device.privateKey());
        signer.update(body);
        byte[] raw = signer.sign();
        java.security.PublicKey pub = device.certificate().getPublicKey();
        List<SignatureStyle> styles = List.of(new SignatureStyle("SHA256", true, false), SignatureStyle.DEVICE);
        List<String> headers = new ArrayList<>();
        for (SignatureStyle style : styles) {
            headers.add(TestPki.mdmSignature(body, device, style));
        }
        // the machine is shared: rounds interleave the cases, and the best round of each is kept
        bare(pub, body, raw, WARMUP_MS);
        for (String header : headers) {
            run(verifier, header, body, WARMUP_MS);
        }
        double bare = 0;
        double[] best = new double[styles.size()];
        for (int round = 0; round < ROUNDS; round++) {
            bare = Math.max(bare, bare(pub, body, raw, MEASURE_MS));
            for (int i = 0; i < styles.size(); i++) {
                best[i] = Math.max(best[i], run(verifier, headers.get(i), body, MEASURE_MS));
            }
        }
        System.out.printf("BENCH baseline bare RSA-2048 SHA-256 verify: %.0f/s%n", bare);
        for (int i = 0; i < styles.size(); i++) {
            SignatureStyle style = styles.get(i);
            System.out.printf("BENCH Mdm-Signature RSA-2048 %s %s attrs, %s: %.0f verifications/s (%.3f ms each),"
                    + " ratio to the bare RSA verify %.2f%n", style.digest(), style.signedAttributes() ? "with" : "without",
                    style.ber() ? "BER" : "DER", best[i], 1000.0 / best[i], bare / best[i]);
        }
    }

    private static double bare(java.security.PublicKey pub, byte[] body, byte[] sig, long millis) throws Exception {
        long end = System.nanoTime() + millis * 1_000_000L;
        long start = System.nanoTime();
        int n = 0;
        int ok = 0;
        while (System.nanoTime() < end && n < 10_000_000) {
            java.security.Signature v = java.security.Signature.getInstance("SHA256withRSA");
            v.initVerify(pub);
            v.update(body);
            ok += v.verify(sig) ? 1 : 0;
            n++;
        }
        if (ok != n) {
            throw new AssertionError("baseline verification failed");
        }
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private static double run(DeviceIdentityVerifier verifier, String header, byte[] body, long millis) throws Exception {
        List<Identity> sink = new ArrayList<>();
        long end = System.nanoTime() + millis * 1_000_000L;
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < end && n < 10_000_000) {
            Identity id = verifier.fromMdmSignature(header, body);
            if ((n & 1023) == 0) {
                sink.add(id);
            }
            n++;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink.isEmpty()) {
            throw new AssertionError("no verification ran");
        }
        return n / seconds;
    }
}
