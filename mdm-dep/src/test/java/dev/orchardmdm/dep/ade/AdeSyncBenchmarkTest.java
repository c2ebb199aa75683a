package dev.orchardmdm.dep.ade;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.dep.SyncResult;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A full ADE sync of 100,000 devices from the local fake (pages of 1,000, OAuth session, rotating session tokens),
 * then a delta sync of 1,000 changes. Run with {@code mvn -B -o -Pbench -pl mdm-dep test}.
 */
@Tag("benchmark")
class AdeSyncBenchmarkTest {

    private static final int DEVICES = 100_000;

    @Test
    void fullSyncOf100kDevices() throws Exception {
        FakeAdeServer fake = new FakeAdeServer();
        fake.addDevices(DEVICES);
        try (MockWebServer server = new MockWebServer()) {
            server.setDispatcher(fake);
            server.start();
            AdeClient ade = AdeClient.builder(FakeAdeServer.token()).baseUrl(server.url("/")).build();
            ThreadMXBean threads = ManagementFactory.getThreadMXBean();
            String cursor = null;
            for (int round = 1; round <= 3; round++) {
                AtomicLong count = new AtomicLong();
                long cpuStart = threads.getCurrentThreadCpuTime();
                long start = System.nanoTime();
                SyncResult result = ade.syncDevices(null, page -> count.addAndGet(page.size()));
                double seconds = (System.nanoTime() - start) / 1e9;
                double clientCpu = (threads.getCurrentThreadCpuTime() - cpuStart) / 1e9;
                assertThat(count.get()).isEqualTo(DEVICES);
                cursor = result.cursor();
                System.out.printf("ADE full sync round %d: %,d devices in %d pages, %.2f s wall (%,.0f devices/s),"
                        + " client thread CPU %.2f s (%,.0f devices per CPU-second)%n", round, result.devices(),
                        result.pages(), seconds, result.devices() / seconds, clientCpu, result.devices() / clientCpu);
            }
            for (int i = 0; i < 1_000; i++) {
                fake.modifyDevice(String.format("C0%010d", i * 100), "TAG" + i);
            }
            long start = System.nanoTime();
            SyncResult delta = ade.syncDevices(cursor, page -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("ADE delta sync: %,d changes in %d page(s), %.3f s%n", delta.devices(), delta.pages(),
                    seconds);
            System.out.printf("load average during the run: %.1f on %d cores%n",
                    ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("sessions opened: %d, API requests: %d%n", fake.sessionRequests.get(),
                    fake.apiRequests.get());
        }
    }
}
