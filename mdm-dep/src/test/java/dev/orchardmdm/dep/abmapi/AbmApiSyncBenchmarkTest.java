package dev.orchardmdm.dep.abmapi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.dep.SyncResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full sync of 100,000 devices assigned to one MDM server through the School and Business Manager API fake:
 * the server's device linkage (100 pages of 1,000) and the organisation's devices (100 pages of 1,000), one access
 * token. Run with {@code mvn -B -o -Pbench -pl mdm-dep test}.
 */
@Tag("benchmark")
class AbmApiSyncBenchmarkTest {

    private static final int DEVICES = 100_000;
    private static final String SERVER = "1F97349736CF4614A94F624E705841AD";

    @Test
    void fullSyncOf100kDevices() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair key = g.generateKeyPair();
        String clientId = "BUSINESSAPI.bench";
        try (MockWebServer server = new MockWebServer()) {
            server.start();
            FakeAbmApiServer fake = new FakeAbmApiServer(clientId, "kid", key.getPublic(), server.url("/"),
                    Clock.systemUTC());
            server.setDispatcher(fake);
            fake.addServer(SERVER, "Orchard");
            fake.addDevices(DEVICES, SERVER, 1);
            AbmApiClient abm = AbmApiClient.builder(AbmApiCredentials.of(clientId, "kid", key.getPrivate()))
                    .baseUrl(fake.apiUrl()).tokenUrl(fake.tokenUrl()).mdmServerId(SERVER).build();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            for (int round = 1; round <= 3; round++) {
                AtomicLong count = new AtomicLong();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                SyncResult result = abm.syncDevices(null, page -> count.addAndGet(page.size()));
                double seconds = (System.nanoTime() - start) / 1e9;
                double clientCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                assertThat(count.get()).isEqualTo(DEVICES);
                System.out.printf("ABM API full sync round %d: %,d devices in %d pages, %.2f s wall (%,.0f devices/s),"
                        + " client thread CPU %.2f s (%,.0f devices per CPU-second)%n", round, result.devices(),
                        result.pages(), seconds, result.devices() / seconds, clientCpu, result.devices() / clientCpu);
            }
            System.out.printf("load average during the run: %.1f on %d cores%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("access tokens issued: %d, API requests: %d%n", fake.tokensIssued.get(),
                    fake.apiRequests.get());
        }
    }
}
