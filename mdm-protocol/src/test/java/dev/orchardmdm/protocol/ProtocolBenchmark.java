package dev.orchardmdm.protocol;

import dev.orchardmdm.protocol.schema.SchemaCatalog;
import dev.orchardmdm.protocol.schema.SchemaValidator;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of the hot paths of a connect/check-in endpoint. Run with
 * {@code mvn -B -o -Pbench -pl mdm-protocol test}; prints figures, asserts nothing about timing.
 */
@Tag("benchmark")
class ProtocolBenchmark {
    private static final long WARMUP_NANOS = 2_000_000_000L;
    private static final long MEASURE_NANOS = 3_000_000_000L;

    interface Op {
        Object run() throws Exception;
    }

    private static void measure(String name, Op op) throws Exception {
        Object sink = null;
        long end = System.nanoTime() + WARMUP_NANOS;
        while (System.nanoTime() < end) {
            sink = op.run();
        }
        long n = 0;
        long start = System.nanoTime();
        end = start + MEASURE_NANOS;
        long now;
        do {
            for (int i = 0; i < 100; i++) {
                sink = op.run();
            }
            n += 100;
            now = System.nanoTime();
        } while (now < end);
        double perOpMicros = (now - start) / 1000.0 / n;
        System.out.printf(Locale.ROOT, "BENCH %-48s %10.0f ops/s %9.2f us/op%n", name, 1e6 / perOpMicros,
                perOpMicros);
        if (sink == null) {
            throw new IllegalStateException();
        }
    }

    @Test
    void hotPaths() throws Exception {
        byte[] reportXml = Fixtures.zentral("device_information.plist");
        byte[] reportBinary = CommandReport.parse(reportXml).raw().toBinary();
        byte[] idle = PlistDict.of("UDID", "9353BC9A-5CF9-4C9E-9AD4-8D1E41D5FE3E", "Status", "Idle").toXml();
        byte[] tokenUpdate = PlistDict.builder().put("MessageType", "TokenUpdate").put("Topic", "com.apple.mgmt.x")
                .put("UDID", "9353BC9A-5CF9-4C9E-9AD4-8D1E41D5FE3E").put("Token", new byte[32])
                .put("PushMagic", "6B4D1F55-3A5E-4A0E-9F3A-DEADBEEF0000").build().toXml();
        Command lock = Commands.deviceLock().message("Call IT").pin("123456").build();
        Command info = Commands.deviceInformation();
        SchemaValidator validator = new SchemaValidator(SchemaCatalog.bundled());
        System.out.printf(Locale.ROOT, "BENCH sizes: DeviceInformation report XML %d bytes, binary %d bytes%n",
                reportXml.length, reportBinary.length);

        measure("parse connect report (DeviceInformation, XML)", () -> CommandReport.parse(reportXml));
        measure("baseline: dd-plist XMLPropertyListParser, same report",
                () -> com.dd.plist.XMLPropertyListParser.parse(reportXml));
        measure("parse connect report (DeviceInformation, binary)", () -> CommandReport.parse(reportBinary));
        measure("parse connect report (Idle, XML)", () -> CommandReport.parse(idle));
        measure("parse check-in (TokenUpdate, XML)", () -> CheckinMessage.parse(tokenUpdate));
        measure("serialise command (DeviceLock)", lock::toPlist);
        measure("serialise command (DeviceInformation, 34 queries)", info::toPlist);
        measure("validate command against schema (DeviceLock)", () -> validator.validate(lock));
    }
}
