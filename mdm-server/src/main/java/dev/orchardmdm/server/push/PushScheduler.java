package dev.orchardmdm.server.push;

import dev.orchardmdm.apns.MdmPush;
import dev.orchardmdm.apns.PushOutcome;
import dev.orchardmdm.store.EnrolledDevice;
import dev.orchardmdm.store.EnrolledUser;
import dev.orchardmdm.store.PushRequest;
import dev.orchardmdm.store.Store;
import dev.orchardmdm.store.StoreException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push scheduler: wakes devices through the push outbox. Each round claims a batch of due
 * rows with a lease (so several replicas share the outbox and a crashed replica's rows are taken
 * over when their lease ends), groups them by push certificate, sends them through the
 * {@link PushGateway}, and records each outcome: accepted → row done and device marked notified;
 * token dead (410, BadDeviceToken) → the token is marked dead and not pushed again until a new
 * TokenUpdate; retryable → the row is due again after a backoff; certificate refused → due again
 * in an hour. Rows of devices that cannot be pushed (checked out, no token) are dropped. Sending is
 * paced to {@code ratePerSecond}. Requests never wait on this: they only write outbox rows. Every
 * five minutes a {@link StaleDeviceSweep} also queues devices not seen for four hours.
 */
public final class PushScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PushScheduler.class);
    private static final Duration MAX_BACKOFF = Duration.ofHours(1);

    private final Store store;
    private final PushGateway gateway;
    private final Clock clock;
    private final String owner;
    private final int batchSize;
    private final int ratePerSecond;
    private final Duration lease;
    private final Duration pollInterval;
    private ScheduledExecutorService executor;
    private final StaleDeviceSweep staleSweep;
    private long lastSweepNanos;
    /** How often the stale-device sweep runs. */
    static final Duration SWEEP_EVERY = Duration.ofMinutes(5);

    /** The outcome counts of one round. */
    public record Round(int claimed, int accepted, int tokenDead, int retried, int dropped) {
    }

    public PushScheduler(Store store, PushGateway gateway, Clock clock, int batchSize, int ratePerSecond,
                         Duration lease, Duration pollInterval) {
        this.store = Objects.requireNonNull(store, "store");
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.owner = "push-" + UUID.randomUUID();
        this.batchSize = batchSize;
        this.ratePerSecond = ratePerSecond;
        this.lease = Objects.requireNonNull(lease, "lease");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.staleSweep = new StaleDeviceSweep(store, clock, StaleDeviceSweep.DEFAULT_STALE_AFTER);
        this.lastSweepNanos = System.nanoTime() - SWEEP_EVERY.toNanos();
    }

    /** Starts rounds on a background thread: back-to-back while there is work, then every poll interval. */
    public synchronized void start() {
        if (executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchard-push-scheduler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::loop, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void loop() {
        try {
            if (System.nanoTime() - lastSweepNanos >= SWEEP_EVERY.toNanos()) {
                lastSweepNanos = System.nanoTime();
                int stale = staleSweep.sweep(batchSize * 10);
                if (stale > 0) {
                    LOG.info("waking {} devices not seen for {}", stale, StaleDeviceSweep.DEFAULT_STALE_AFTER);
                }
            }
            for (int i = 0; i < 1000; i++) {
                if (runOnce().claimed() < batchSize) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException | StoreException e) {
            LOG.warn("push round failed: {}", e.toString());
        }
    }

    /** Runs one round: claim, send, record. */
    public Round runOnce() throws StoreException, InterruptedException {
        long started = System.nanoTime();
        List<PushRequest> claimed = store.pushOutbox().claim(owner, lease, batchSize);
        if (claimed.isEmpty()) {
            return new Round(0, 0, 0, 0, 0);
        }
        int dropped = 0;
        Map<Long, List<Target>> byCertificate = new LinkedHashMap<>();
        for (PushRequest row : claimed) {
            Optional<Target> target = target(row);
            if (target.isEmpty()) {
                store.pushOutbox().complete(row.id(), owner);
                dropped++;
                continue;
            }
            byCertificate.computeIfAbsent(target.get().pushCertificateId(), k -> new ArrayList<>()).add(target.get());
        }
        int accepted = 0;
        int dead = 0;
        int retried = 0;
        for (Map.Entry<Long, List<Target>> e : byCertificate.entrySet()) {
            List<Target> targets = e.getValue();
            List<PushOutcome> outcomes = gateway.send(e.getKey(), targets.stream().map(Target::push).toList());
            for (int i = 0; i < targets.size(); i++) {
                Target t = targets.get(i);
                PushOutcome outcome = i < outcomes.size() ? outcomes.get(i)
                        : new PushOutcome.Retryable(0, "no outcome", 0);
                if (outcome instanceof PushOutcome.Accepted) {
                    store.pushOutbox().complete(t.row().id(), owner);
                    store.devices().markNotified(t.row().enrolledDeviceId());
                    accepted++;
                } else if (outcome instanceof PushOutcome.TokenDead) {
                    if (t.row().enrolledUserId() == null) {
                        store.devices().markPushTokenDead(t.row().enrolledDeviceId());
                    }
                    store.pushOutbox().complete(t.row().id(), owner);
                    dead++;
                } else if (outcome instanceof PushOutcome.Rejected r) {
                    LOG.warn("push to device {} rejected: {} {}", t.row().enrolledDeviceId(), r.status(), r.reason());
                    store.pushOutbox().complete(t.row().id(), owner);
                    dropped++;
                } else {
                    Duration delay = outcome instanceof PushOutcome.CertificateRejected ? MAX_BACKOFF
                            : backoff(t.row().attempts());
                    store.pushOutbox().retry(t.row().id(), owner, describe(outcome), now().plus(delay));
                    retried++;
                }
            }
        }
        pace(started, accepted + dead + retried);
        return new Round(claimed.size(), accepted, dead, retried, dropped);
    }

    private record Target(PushRequest row, long pushCertificateId, MdmPush push) {
    }

    private Optional<Target> target(PushRequest row) {
        Optional<EnrolledDevice> device = store.devices().findById(row.enrolledDeviceId());
        if (device.isEmpty() || device.get().pushCertificateId() == null || device.get().blockedAt() != null) {
            return Optional.empty();
        }
        EnrolledDevice d = device.get();
        if (row.enrolledUserId() == null) {
            if (!d.canBePushed()) {
                return Optional.empty();
            }
            return Optional.of(new Target(row, d.pushCertificateId(),
                    new MdmPush(HexFormat.of().formatHex(d.pushToken()), d.pushMagic())));
        }
        Optional<EnrolledUser> user = store.users().findById(row.enrolledUserId());
        if (user.isEmpty() || user.get().pushToken() == null || user.get().pushMagic() == null
                || user.get().pushTokenDead() || d.checkoutAt() != null) {
            return Optional.empty();
        }
        return Optional.of(new Target(row, d.pushCertificateId(),
                new MdmPush(HexFormat.of().formatHex(user.get().pushToken()), user.get().pushMagic())));
    }

    static Duration backoff(int attempts) {
        long seconds = 30L << Math.min(Math.max(attempts, 0), 10);
        Duration d = Duration.ofSeconds(seconds);
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    private void pace(long startedNanos, int sent) throws InterruptedException {
        if (sent == 0) {
            return;
        }
        long minimumNanos = TimeUnit.SECONDS.toNanos(sent) / ratePerSecond;
        long remaining = minimumNanos - (System.nanoTime() - startedNanos);
        if (remaining > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(remaining, TimeUnit.SECONDS.toNanos(60)));
        }
    }

    private static String describe(PushOutcome outcome) {
        if (outcome instanceof PushOutcome.Retryable r) {
            return r.status() + " " + r.reason();
        }
        if (outcome instanceof PushOutcome.CertificateRejected c) {
            return c.status() + " " + c.reason();
        }
        return outcome.toString();
    }

    private Instant now() {
        return Instant.ofEpochMilli(clock.millis());
    }

    /** Whether rounds are running (between {@link #start()} and {@link #close()}). */
    public synchronized boolean running() {
        return executor != null && !executor.isShutdown();
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            try {
                executor.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            executor = null;
        }
    }
}
