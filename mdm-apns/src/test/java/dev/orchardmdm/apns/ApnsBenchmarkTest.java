package dev.orchardmdm.apns;

import static org.assertj.core.api.Assertions.assertThat;

import com.eatthepath.pushy.apns.ApnsClientBuilder;
import com.eatthepath.pushy.apns.DeliveryPriority;
import com.eatthepath.pushy.apns.PushType;
import com.eatthepath.pushy.apns.util.SimpleApnsPushNotification;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Notifications per second to 100,000 devices on a local Pushy MockApnsServer (TLS client certificate, HTTP/2,
 * validating tokens and topic), with Orchard's client and with Pushy's own client, in the same run, with the same
 * in-flight window, alternately for several rounds. Run: {@code mvn -B -o -Pbench -pl mdm-apns test}. Prints figures; asserts only correctness.
 */
@Tag("benchmark")
class ApnsBenchmarkTest {
    private static final int DEVICES = Integer.getInteger("apns.bench.devices", 100_000);
    private static final int WINDOW = Integer.getInteger("apns.bench.window", 100);
    private static final int ROUNDS = Integer.getInteger("apns.bench.rounds", 3);
    private static final int WARMUP = 5_000;

    private static String format(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).collect(java.util.stream.Collectors.joining(", "));
    }

    private static String format2(List<Double> values) {
        return values.stream().map(v -> String.format("%.2f", v)).collect(java.util.stream.Collectors.joining(", "));
    }

    @Test
    void notificationsPerSecondOrchardVersusPushy() throws Exception {
        TestPki pki = new TestPki();
        PushCredentials credentials = pki.pushCredentials(TestPki.newTopic());
        List<MdmPush> pushes = new ArrayList<>(DEVICES);
        Set<String> tokens = new HashSet<>();
        for (int i = 0; i < DEVICES; i++) {
            String token = String.format("%064x", i + 1L);
            tokens.add(token);
            pushes.add(new MdmPush(token, "PushMagic-" + i));
        }
        try (PushyMockServer server = new PushyMockServer(pki, Map.of(credentials.topic(), tokens), Map.of())) {
            List<Double> orchard = new ArrayList<>();
            List<Double> pushy = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                double p = pushy(pki, credentials, server, pushes);
                double o = orchard(pki, credentials, server, pushes);
                pushy.add(p);
                orchard.add(o);
                ratios.add(o / p);
            }
            System.out.printf("APNs benchmark: %d devices, window %d, %d rounds, %d cores%n", DEVICES, WINDOW,
                    ROUNDS, Runtime.getRuntime().availableProcessors());
            System.out.printf("  Orchard ApnsClient (OkHttp) notifications/s: %s%n", format(orchard));
            System.out.printf("  Pushy ApnsClient (Netty)    notifications/s: %s%n", format(pushy));
            System.out.printf("  ratio Orchard/Pushy per round: %s; best/best %.2f%n", format2(ratios),
                    orchard.stream().mapToDouble(d -> d).max().orElseThrow()
                            / pushy.stream().mapToDouble(d -> d).max().orElseThrow());
        }
    }

    private static double orchard(TestPki pki, PushCredentials credentials, PushyMockServer server,
                                  List<MdmPush> pushes) throws Exception {
        try (ApnsClient apns = ApnsClient.builder(credentials).baseUrl(server.baseUrl())
                .trustManager(pki.trustManager()).maxInFlight(WINDOW).build()) {
            assertThat(apns.notifyBulk(pushes.subList(0, WARMUP)))
                    .allSatisfy(r -> assertThat(r.outcome().accepted()).as("%s", r).isTrue());
            AtomicInteger accepted = new AtomicInteger();
            long start = System.nanoTime();
            apns.notifyBulk(pushes, r -> {
                if (r.outcome().accepted()) {
                    accepted.incrementAndGet();
                }
            });
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(accepted.get()).isEqualTo(pushes.size());
            return pushes.size() / seconds;
        }
    }

    private static double pushy(TestPki pki, PushCredentials credentials, PushyMockServer server,
                                List<MdmPush> pushes) throws Exception {
        com.eatthepath.pushy.apns.ApnsClient pushy = new ApnsClientBuilder()
                .setApnsServer("127.0.0.1", server.port())
                .setClientCredentials(credentials.certificate(), credentials.privateKey(), null)
                .setTrustedServerCertificateChain(pki.ca)
                .setUseAlpn(true)
                .build();
        try {
            send(pushy, credentials, pushes.subList(0, WARMUP));
            long start = System.nanoTime();
            int accepted = send(pushy, credentials, pushes);
            double seconds = (System.nanoTime() - start) / 1e9;
            assertThat(accepted).isEqualTo(pushes.size());
            return pushes.size() / seconds;
        } finally {
            pushy.close().get();
        }
    }

    private static int send(com.eatthepath.pushy.apns.ApnsClient pushy, PushCredentials credentials,
                            List<MdmPush> pushes) throws InterruptedException {
        Semaphore window = new Semaphore(WINDOW);
        AtomicInteger accepted = new AtomicInteger();
        Instant expiration = Instant.now().plus(Duration.ofDays(1));
        for (MdmPush push : pushes) {
            window.acquire();
            String payload = new String(ApnsClient.payload(push.pushMagic()), java.nio.charset.StandardCharsets.UTF_8);
            pushy.sendNotification(new SimpleApnsPushNotification(push.deviceToken(), credentials.topic(), payload,
                    expiration, DeliveryPriority.IMMEDIATE, PushType.MDM)).whenComplete((response, failure) -> {
                        if (response != null && response.isAccepted()) {
                            accepted.incrementAndGet();
                        }
                        window.release();
                    });
        }
        window.acquire(WINDOW);
        return accepted.get();
    }
}
