package dev.orchardmdm.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.orchardmdm.store.testing.DatabaseKind;
import dev.orchardmdm.store.testing.TestDatabases;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Connect-path throughput: for a random device, one "connect cycle" is what the server does for
 * the two requests of one command round trip:
 * <ol>
 *   <li>Idle: load the device by enrollment id, its enrollment session and enrollment, pick the next command (marked sent);</li>
 *   <li>Acknowledged: load the device again, record the result (moves the command to history), pick the next command (none).</li>
 * </ol>
 * Measured on a small database (1,000 devices, 10,000 commands) and on a large one (100,000
 * devices, 1,000,000 commands: 900,000 answered in history, 100,000 pending), on SQLite and
 * PostgreSQL, in one run; the cycles alternate between the two databases so that both see the
 * same machine conditions. Sizes: {@code -Dorchard.bench.devices}, {@code -Dorchard.bench.commandsPerDevice},
 * {@code -Dorchard.bench.cycles}. Prints figures; asserts only correctness.
 *
 * <p>Run: {@code mvn -B -o -Pbench -pl mdm-store test -Dtest=ConnectPathBenchmark}
 */
@Tag("benchmark")
class ConnectPathBenchmark {
    @RegisterExtension
    static final TestDatabases SMALL = new TestDatabases();
    @RegisterExtension
    static final TestDatabases LARGE = new TestDatabases();

    private static final int DEVICES = Integer.getInteger("orchard.bench.devices", 100_000);
    private static final int COMMANDS_PER_DEVICE = Integer.getInteger("orchard.bench.commandsPerDevice", 10);
    private static final int CYCLES = Integer.getInteger("orchard.bench.cycles", 3_000);
    private static final int WARMUP = Integer.getInteger("orchard.bench.warmup", 500);
    private static final byte[] COMMAND = ("<?xml version=\"1.0\"?><plist version=\"1.0\"><dict><key>Command</key><dict>"
            + "<key>RequestType</key><string>DeviceInformation</string></dict></dict></plist>").getBytes(StandardCharsets.UTF_8);
    private static final byte[] RESULT = "<plist><dict><key>Status</key><string>Acknowledged</string></dict></plist>"
            .getBytes(StandardCharsets.UTF_8);

    @ParameterizedTest
    @EnumSource(DatabaseKind.class)
    void connectPath(DatabaseKind kind) throws Exception {
        Setup small = setup(SMALL, kind, Math.max(2, DEVICES / 100));
        Setup large = setup(LARGE, kind, DEVICES);
        // interleave the two databases cycle by cycle, so that both see the same machine conditions
        int cycles = Math.min(CYCLES, small.order().size() - 1);
        long[] smallNanos = new long[4];
        long[] largeNanos = new long[4];
        long smallTotal = 0;
        long largeTotal = 0;
        for (int i = 0; i < cycles; i++) {
            long t = System.nanoTime();
            cycle(small.store(), udid(small.order().get(i)), smallNanos);
            long u = System.nanoTime();
            cycle(large.store(), udid(large.order().get(i)), largeNanos);
            smallTotal += u - t;
            largeTotal += System.nanoTime() - u;
        }
        double smallRate = report(kind, small, cycles, smallTotal, smallNanos);
        double largeRate = report(kind, large, cycles, largeTotal, largeNanos);
        System.out.printf(Locale.ROOT, "RESULT %s: large/small connect-cycle throughput ratio = %.2f%n", kind, largeRate / smallRate);
    }

    /** A loaded, warmed-up database and the random order in which its devices connect. */
    private record Setup(Store store, int devices, long commands, List<Integer> order) {
    }

    private static Setup setup(TestDatabases dbs, DatabaseKind kind, int devices) throws Exception {
        Database db = dbs.database(kind);
        Store store = new Store(db, dbs.cipher(), Clock.systemUTC());
        long t0 = System.nanoTime();
        long[] loaded = load(db, devices, COMMANDS_PER_DEVICE);
        double loadSeconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf(Locale.ROOT, "LOAD %s: %,d devices, %,d sessions, %,d commands (%,d history + %,d queued) in %.1f s (%,.0f rows/s)%n",
                kind, devices, devices, loaded[0] + loaded[1], loaded[0], loaded[1], loadSeconds,
                (2.0 * devices + loaded[0] + loaded[1]) / loadSeconds);
        List<Integer> order = new ArrayList<>();
        for (int i = 1; i <= devices; i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(42));
        // warm-up (JIT, caches): fresh commands for a device outside the measured ones
        EnrolledDevice warm = store.devices().findByEnrollmentId(udid(order.get(order.size() - 1))).orElseThrow();
        store.commands().next(warm.enrollmentId(), false).orElseThrow();
        for (int i = 0; i < WARMUP; i++) {
            store.commands().enqueue(NewCommand.of(UUID.randomUUID(), CommandTarget.device(warm), "DeviceInformation", COMMAND));
            cycle(store, warm.enrollmentId(), new long[4]);
        }
        return new Setup(store, devices, loaded[0] + loaded[1], order);
    }

    private static double report(DatabaseKind kind, Setup s, int cycles, long totalNanos, long[] nanos) {
        double seconds = totalNanos / 1e9;
        double perSecond = cycles / seconds;
        System.out.printf(Locale.ROOT, "RESULT %s %,d devices / %,d commands: %,d connect cycles in %.2f s = %,.0f cycles/s"
                        + " (%,.0f device requests/s); mean per cycle: load %.0f us, next %.0f us, device+result %.0f us,"
                        + " next(empty) %.0f us%n", kind, s.devices(), s.commands(), cycles, seconds, perSecond, 2 * perSecond,
                nanos[0] / 1e3 / cycles, nanos[1] / 1e3 / cycles, nanos[2] / 1e3 / cycles, nanos[3] / 1e3 / cycles);
        return perSecond;
    }

    /** One command round trip of one device; adds the time of its four steps to {@code nanos}. */
    private static void cycle(Store store, String enrollmentId, long[] nanos) throws StoreException {
        long a = System.nanoTime();
        EnrolledDevice d = store.devices().findByEnrollmentId(enrollmentId).orElseThrow();
        EnrollmentSession s = store.enrollmentSessions().latestForDevice(d.id()).orElseThrow();
        store.enrollments().findById(s.enrollmentId()).orElseThrow();
        long b = System.nanoTime();
        CommandQueue.Delivery delivery = store.commands().next(enrollmentId, false).orElseThrow();
        long c = System.nanoTime();
        store.devices().findByEnrollmentId(enrollmentId).orElseThrow();
        store.commands().recordResult(enrollmentId, delivery.command().uuid(), CommandStatus.ACKNOWLEDGED, RESULT, null);
        long e = System.nanoTime();
        assertThat(store.commands().next(enrollmentId, false)).isEmpty();
        long f = System.nanoTime();
        nanos[0] += b - a;
        nanos[1] += c - b;
        nanos[2] += e - c;
        nanos[3] += f - e;
    }

    private static String udid(int device) {
        return String.format(Locale.ROOT, "00008103-%016X", device);
    }

    /** Bulk-loads with multi-row INSERTs in large transactions; returns {history, queued} counts. */
    private static long[] load(Database db, int devices, int commandsPerDevice) throws SQLException {
        long now = System.currentTimeMillis();
        long history = 0;
        long queued = 0;
        try (Connection c = db.dataSource().getConnection()) {
            c.setAutoCommit(false);
            try (var s = c.createStatement()) {
                s.execute("INSERT INTO push_certificates (id, name, topic, created_at, updated_at) VALUES (1, 'bench', 'bench.topic', "
                        + now + ", " + now + ")");
                s.execute("INSERT INTO enrollments (id, type, name, display_name, push_certificate_id, secret, created_at, updated_at)"
                        + " VALUES (1, 'OTA', 'bench', 'bench', 1, 'bench-secret', " + now + ", " + now + ")");
            }
            MultiRowInsert dev = new MultiRowInsert(c, "enrolled_devices", "id, udid, enrollment_id, serial_number, name, model,"
                    + " platform, os_version, build_version, push_certificate_id, push_token, push_magic, push_topic, cert_fingerprint,"
                    + " created_at, updated_at", 16);
            MultiRowInsert ses = new MultiRowInsert(c, "enrollment_sessions", "id, kind, enrollment_id, status, secret_hash,"
                    + " enrolled_device_id, cert_fingerprint, created_at, updated_at", 9);
            for (int i = 1; i <= devices; i++) {
                String udid = udid(i);
                dev.add((long) i, udid, udid, "C02" + i, "Mac " + i, "Mac14,2", "macOS", "14.2.1", "23C71", 1L,
                        UUID.randomUUID().toString().getBytes(StandardCharsets.US_ASCII), "magic-" + i, "bench.topic",
                        "fp-" + i, now, now);
                ses.add((long) i, "OTA", 1L, "COMPLETED", "hash-" + i, (long) i, "fp-" + i, now, now);
            }
            dev.flush();
            ses.flush();
            c.commit();
            MultiRowInsert hist = new MultiRowInsert(c, "command_history", "id, uuid, channel, enrollment_id, enrolled_device_id,"
                    + " request_type, name, command_plist, sent_at, send_count, status, result_plist, result_time, created_at,"
                    + " updated_at", 15);
            MultiRowInsert queue = new MultiRowInsert(c, "command_queue", "id, uuid, channel, enrollment_id, enrolled_device_id,"
                    + " request_type, name, command_plist, created_at, updated_at", 10);
            long id = 0;
            for (int i = 1; i <= devices; i++) {
                String udid = udid(i);
                for (int k = 0; k < commandsPerDevice - 1; k++) {
                    id++;
                    hist.add(id, new UUID(i, k).toString(), "DEVICE", udid, (long) i, "DeviceInformation", "DeviceInformation",
                            COMMAND, now, 1, "Acknowledged", RESULT, now, now - 1000 * (commandsPerDevice - k), now);
                    history++;
                }
                if (i % 20_000 == 0) {
                    hist.flush();
                    c.commit();
                }
            }
            for (int i = 1; i <= devices; i++) {
                id++;
                queue.add(id, new UUID(i, commandsPerDevice).toString(), "DEVICE", udid(i), (long) i, "DeviceInformation",
                        "DeviceInformation", COMMAND, now, now);
                queued++;
            }
            hist.flush();
            queue.flush();
            if (db.dialect() == Dialect.POSTGRESQL) {
                try (var s = c.createStatement()) {
                    for (String t : new String[] {"push_certificates", "enrollments", "enrolled_devices", "enrollment_sessions",
                            "command_queue"}) {
                        s.execute("SELECT setval(pg_get_serial_sequence('" + t + "', 'id'), (SELECT MAX(id) FROM " + t + "))");
                    }
                }
            }
            c.commit();
            // settle the bulk load before measuring: statistics, visibility map, dirty pages written out
            c.setAutoCommit(true);
            try (var s = c.createStatement()) {
                if (db.dialect() == Dialect.SQLITE) {
                    s.execute("ANALYZE");
                    s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                } else {
                    s.execute("VACUUM ANALYZE enrolled_devices, enrollment_sessions, enrollments, command_history, command_queue");
                    s.execute("CHECKPOINT");
                }
            }
        }
        return new long[] {history, queued};
    }

    /** Batches rows into {@code INSERT ... VALUES (...), (...), ...} statements of up to 500 rows. */
    private static final class MultiRowInsert {
        private static final int ROWS = 500;
        private final Connection connection;
        private final String table;
        private final String columns;
        private final int width;
        private final List<Object[]> rows = new ArrayList<>();
        private PreparedStatement full;

        MultiRowInsert(Connection connection, String table, String columns, int width) {
            this.connection = connection;
            this.table = table;
            this.columns = columns;
            this.width = width;
        }

        void add(Object... values) throws SQLException {
            if (values.length != width) {
                throw new IllegalArgumentException("expected " + width + " values");
            }
            rows.add(values);
            if (rows.size() == ROWS) {
                if (full == null) {
                    full = connection.prepareStatement(sql(ROWS));
                }
                execute(full);
            }
        }

        void flush() throws SQLException {
            if (!rows.isEmpty()) {
                try (PreparedStatement partial = connection.prepareStatement(sql(rows.size()))) {
                    execute(partial);
                }
            }
        }

        private void execute(PreparedStatement statement) throws SQLException {
            int p = 1;
            for (Object[] row : rows) {
                for (Object v : row) {
                    statement.setObject(p++, v);
                }
            }
            statement.executeUpdate();
            rows.clear();
        }

        private String sql(int n) {
            String one = "(" + "?, ".repeat(width - 1) + "?)";
            return "INSERT INTO " + table + " (" + columns + ") VALUES " + String.join(", ", java.util.Collections.nCopies(n, one));
        }
    }
}
