package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.orchardmdm.crypto.keys.KeyAndChain;
import dev.orchardmdm.crypto.keys.Pem;
import dev.orchardmdm.crypto.keys.Pkcs12;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushCredentialsTest {
    private static TestPki pki;
    private static PushCredentials first;
    private static PushCredentials second;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
        first = pki.pushCredentials(TestPki.newTopic());
        second = pki.pushCredentials(TestPki.newTopic());
    }

    @Test
    void theTopicIsTheSubjectUid() throws Exception {
        PushCredentials credentials = PushCredentials.of(first.certificate(), first.privateKey());
        String topic = first.topic();
        assertThat(topic).startsWith("com.apple.mgmt.External.");
        assertThat(credentials.topic()).isEqualTo(topic);
        assertThat(PushCredentials.topicOf(credentials.certificate())).isEqualTo(topic);
        assertThat(credentials.chain()).containsExactly(credentials.certificate());
        assertThat(credentials.toString()).contains(topic).doesNotContain("PRIVATE");
    }

    @Test
    void aCertificateWithoutUidIsNotAPushCertificate() {
        assertThatThrownBy(() -> PushCredentials.of(pki.server, pki.serverKey()))
                .isInstanceOf(ApnsException.class).hasMessageContaining("UID");
    }

    @Test
    void theKeyMustBelongToTheCertificate() throws Exception {
        assertThatThrownBy(() -> PushCredentials.of(first.certificate(), second.privateKey()))
                .isInstanceOf(ApnsException.class).hasMessageContaining("does not belong");
    }

    @Test
    void theChainStartsWithTheCertificateAndCarriesIntermediates() throws Exception {
        PushCredentials a = first;
        PushCredentials withCa = PushCredentials.of(a.certificate(), a.privateKey(), pki.ca);
        assertThat(withCa.chain()).containsExactly(a.certificate(), pki.ca);
    }

    @Test
    void loadsPemFilesAndPkcs12Bundles() throws Exception {
        PushCredentials a = first;
        byte[] certPem = Pem.certificate(a.certificate()).getBytes(StandardCharsets.US_ASCII);
        byte[] keyPem = Pem.privateKey(a.privateKey()).getBytes(StandardCharsets.US_ASCII);
        PushCredentials fromPem = PushCredentials.load(certPem, keyPem, null);
        assertThat(fromPem.topic()).isEqualTo(a.topic());
        assertThat(fromPem.certificate()).isEqualTo(a.certificate());

        char[] password = "secret".toCharArray();
        byte[] p12 = Pkcs12.write(new KeyAndChain(a.privateKey(), List.of(a.certificate(), pki.ca)), "push", password);
        PushCredentials fromP12 = PushCredentials.fromPkcs12(p12, password);
        assertThat(fromP12.topic()).isEqualTo(a.topic());
        assertThat(fromP12.chain()).containsExactly(a.certificate(), pki.ca);

        assertThatThrownBy(() -> PushCredentials.fromPkcs12(p12, "wrong".toCharArray()))
                .isInstanceOf(ApnsException.class);
        assertThatThrownBy(() -> PushCredentials.load("garbage".getBytes(StandardCharsets.US_ASCII), keyPem, null))
                .isInstanceOf(ApnsException.class);
    }
}
