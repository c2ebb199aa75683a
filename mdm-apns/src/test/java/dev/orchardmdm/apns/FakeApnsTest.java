package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.List;
import java.util.UUID;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fake is only useful if it is strict: raw requests that break APNs' rules must be refused. */
class FakeApnsTest {
    private static final String TOKEN = "a1".repeat(32);
    private static TestPki pki;
    private static PushCredentials credentials;
    private static FakeApns fake;
    private static OkHttpClient http;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki();
        credentials = pki.pushCredentials(TestPki.newTopic());
        fake = new FakeApns(pki);
        http = client(credentials);
    }

    @AfterAll
    static void stop() throws IOException {
        fake.close();
    }

    private static OkHttpClient client(PushCredentials identity) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        if (identity != null) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry("push", identity.privateKey(), "x".toCharArray(),
                    identity.chain().toArray(new Certificate[0]));
            kmf.init(store, "x".toCharArray());
        }
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(identity != null ? kmf.getKeyManagers() : null, new TrustManager[] {pki.trustManager()}, null);
        return new OkHttpClient.Builder().sslSocketFactory(tls.getSocketFactory(), pki.trustManager())
                .protocols(List.of(Protocol.HTTP_2, Protocol.HTTP_1_1)).retryOnConnectionFailure(false).build();
    }

    private static Request.Builder valid(String token) {
        return new Request.Builder().url(fake.baseUrl() + "/3/device/" + token)
                .header("apns-push-type", "mdm").header("apns-topic", credentials.topic())
                .header("apns-priority", "10").header("apns-expiration", "0")
                .post(RequestBody.create("{\"mdm\":\"magic\"}", MediaType.get("application/json")));
    }

    private static String answer(OkHttpClient client, Request request) throws IOException {
        try (Response response = client.newCall(request).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_2);
            return response.code() + " " + response.body().string();
        }
    }

    @Test
    void acceptsAWellFormedMdmPushOverHttp2() throws Exception {
        assertThat(answer(http, valid(TOKEN).build())).isEqualTo("200 ");
        assertThat(fake.accepted()).anySatisfy(r -> assertThat(r.token()).isEqualTo(TOKEN));
    }

    @Test
    void refusesWhatApnsRefuses() throws Exception {
        String json = "application/json";
        assertThat(answer(http, valid("abc").build())).isEqualTo("400 {\"reason\":\"BadDeviceToken\"}");
        assertThat(answer(http, valid(TOKEN).header("apns-topic", "com.apple.mgmt.External.other").build()))
                .isEqualTo("400 {\"reason\":\"TopicDisallowed\"}");
        assertThat(answer(http, valid(TOKEN).removeHeader("apns-topic").build()))
                .isEqualTo("400 {\"reason\":\"MissingTopic\"}");
        assertThat(answer(http, valid(TOKEN).header("apns-push-type", "alert").build()))
                .isEqualTo("400 {\"reason\":\"InvalidPushType\"}");
        assertThat(answer(http, valid(TOKEN).header("apns-priority", "11").build()))
                .isEqualTo("400 {\"reason\":\"BadPriority\"}");
        assertThat(answer(http, valid(TOKEN).header("apns-expiration", "soon").build()))
                .isEqualTo("400 {\"reason\":\"BadExpirationDate\"}");
        assertThat(answer(http, valid(TOKEN).header("apns-id", "not-a-uuid").build()))
                .isEqualTo("400 {\"reason\":\"BadMessageId\"}");
        assertThat(answer(http, valid(TOKEN).post(RequestBody.create(new byte[0], MediaType.get(json))).build()))
                .isEqualTo("400 {\"reason\":\"PayloadEmpty\"}");
        String huge = "{\"mdm\":\"" + "x".repeat(4100) + "\"}";
        assertThat(answer(http, valid(TOKEN).post(RequestBody.create(huge, MediaType.get(json))).build()))
                .isEqualTo("413 {\"reason\":\"PayloadTooLarge\"}");
        assertThat(answer(http, valid(TOKEN).post(RequestBody.create("{\"aps\":{}}", MediaType.get(json))).build()))
                .isEqualTo("400 {\"reason\":\"BadPayload\"}");
        assertThat(answer(http, valid(TOKEN).get().build())).isEqualTo("405 {\"reason\":\"MethodNotAllowed\"}");
        assertThat(answer(http, valid(TOKEN).url(fake.baseUrl() + "/3/other").build()))
                .isEqualTo("404 {\"reason\":\"BadPath\"}");
    }

    @Test
    void requiresHttp2() throws Exception {
        OkHttpClient http1 = http.newBuilder().protocols(List.of(Protocol.HTTP_1_1)).build();
        try (Response response = http1.newCall(valid(TOKEN).build()).execute()) {
            assertThat(response.protocol()).isEqualTo(Protocol.HTTP_1_1);
            assertThat(response.code()).isEqualTo(505);
        }
    }

    @Test
    void requiresAClientCertificateFromTheTrustedCa() throws Exception {
        String token = UUID.randomUUID().toString().replace("-", "").repeat(2);
        int before = fake.requestCount();
        PushCredentials rogue = pki.roguePushCredentials(credentials.topic());
        assertThatThrownBy(() -> answer(client(null), valid(token).build())).isInstanceOf(IOException.class);
        assertThatThrownBy(() -> answer(client(rogue), valid(token).build())).isInstanceOf(IOException.class);
        assertThat(fake.requestCount()).isEqualTo(before);
    }
}
