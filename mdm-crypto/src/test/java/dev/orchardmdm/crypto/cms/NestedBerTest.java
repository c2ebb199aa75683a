package dev.orchardmdm.crypto.cms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.MalformedDataException;
import dev.orchardmdm.crypto.keys.Asn1Nesting;
import dev.orchardmdm.crypto.keys.Csrs;
import dev.orchardmdm.crypto.keys.KeyPairs;
import dev.orchardmdm.crypto.scep.ChallengeChecker;
import dev.orchardmdm.crypto.scep.IssuancePolicy;
import dev.orchardmdm.crypto.scep.ScepCa;
import dev.orchardmdm.crypto.testing.TestPki;
import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Deeply nested BER (indefinite-length constructed values inside each other) used to overflow the
 * stack of the recursive ASN.1 parsers: every entry point refuses it as malformed.
 */
class NestedBerTest {
    /** A ContentInfo-looking SEQUENCE holding {@code depth} nested indefinite-length SEQUENCEs. */
    static byte[] nestedIndefinite(int depth) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            out.write(0x80);
        }
        for (int i = 0; i < depth; i++) {
            out.write(0);
            out.write(0);
        }
        return out.toByteArray();
    }

    /** The same with definite lengths (each SEQUENCE of length 4 bytes, as DER would encode it). */
    static byte[] nestedDefinite(int depth) {
        byte[] inner = new byte[0];
        for (int i = 0; i < depth; i++) {
            int len = inner.length;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(0x30);
            out.write(0x84);
            out.write(len >>> 24);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
            out.writeBytes(inner);
            inner = out.toByteArray();
        }
        return inner;
    }

    @Test
    void signedMessagesRefuseDeepNesting() {
        for (byte[] hostile : new byte[][] {nestedIndefinite(60_000), nestedDefinite(20_000)}) {
            assertThatThrownBy(() -> SignedMessages.verify(hostile, null, 1 << 20))
                    .isInstanceOf(MalformedDataException.class).hasMessageContaining("nested");
        }
    }

    @Test
    void scepCaRefusesDeepNesting() throws Exception {
        TestPki pki = TestPki.create("Nested CA");
        ScepCa ca = new ScepCa(pki.ca(), ChallengeChecker.staticChallenge("x"),
                IssuancePolicy.deviceIdentity(Duration.ofDays(1)), Clock.systemUTC());
        byte[] hostile = nestedIndefinite(60_000);
        assertThatThrownBy(() -> ca.handle("PKIOperation", null, hostile))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("nested");
    }

    @Test
    void csrParserRefusesDeepNesting() {
        assertThatThrownBy(() -> Csrs.parse(nestedIndefinite(60_000)))
                .isInstanceOf(MalformedDataException.class).hasMessageContaining("nested");
    }

    @Test
    void nestingCheckAcceptsRealStructuresAndRefusesBrokenLengths() throws Exception {
        byte[] csr = Csrs.create(KeyPairs.rsa(2048), "CN=ok");
        Asn1Nesting.check("CSR", csr, Asn1Nesting.MAX_DEPTH);
        assertThat(Csrs.parse(csr)).isNotNull();
        Asn1Nesting.check("nested", nestedIndefinite(Asn1Nesting.MAX_DEPTH), Asn1Nesting.MAX_DEPTH);
        assertThatThrownBy(() -> Asn1Nesting.check("nested", nestedIndefinite(Asn1Nesting.MAX_DEPTH + 1),
                Asn1Nesting.MAX_DEPTH)).isInstanceOf(MalformedDataException.class);
        // a child longer than its parent, a length beyond the input, an unterminated indefinite value
        assertThatThrownBy(() -> Asn1Nesting.check("x", new byte[] {0x30, 0x03, 0x04, 0x05, 1, 2, 3, 4, 5},
                8)).isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Asn1Nesting.check("x", new byte[] {0x30, 0x7f, 0x00}, 8))
                .isInstanceOf(MalformedDataException.class);
        assertThatThrownBy(() -> Asn1Nesting.check("x", new byte[] {0x30, (byte) 0x80, 0x04, 0x00}, 8))
                .isInstanceOf(MalformedDataException.class);
    }
}
