package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PushCredentialsTest {
    private static TestPki pki;

    @BeforeAll
    static void pki() throws Exception {
        pki = new TestPki();
    }

    @Test
    void theTopicIsTheSubjectUid() throws Exception {
        String topic = TestPki.newTopic();
        PushCredentials credentials = pki.pushCredentials(topic);
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
        PushCredentials a = pki.pushCredentials(TestPki.newTopic());
        PushCredentials b = pki.pushCredentials(TestPki.newTopic());
        assertThatThrownBy(() -> PushCredentials.of(a.certificate(), b.privateKey()))
                .isInstanceOf(ApnsException.class).hasMessageContaining("does not belong");
    }

    @Test
    void theChainStartsWithTheCertificateAndCarriesIntermediates() throws Exception {
        PushCredentials a = pki.pushCredentials(TestPki.newTopic());
        PushCredentials withCa = PushCredentials.of(a.certificate(), a.privateKey(), pki.ca);
        assertThat(withCa.chain()).containsExactly(a.certificate(), pki.ca);
    }
}
