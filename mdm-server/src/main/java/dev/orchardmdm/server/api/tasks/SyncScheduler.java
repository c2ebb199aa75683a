package dev.orchardmdm.server.api.tasks;

import dev.orchardmdm.server.config.ServerConfig;
import dev.orchardmdm.store.StoreException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits the periodic background syncs (ADE devices per virtual server, Apps &amp; Books assets per
 * location, the software-update catalog) to the shared {@link TaskQueue}, replica-safe.
 *
 * <p>Time is cut into slots of each job's interval, counted from the epoch, so every replica agrees
 * on them. The run of a slot is one task row whose uuid is derived from the job and the slot: the
 * first replica to insert it wins, the others' inserts do nothing (a unique key, not an in-process
 * timer, decides). A job whose previous run is still pending or running is not submitted again.
 * The queue's workers, with their leases, then run the task on whichever replica claims it.
 */
public final class SyncScheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SyncScheduler.class);

    /** One periodic sync: a task with its arguments, every {@code interval}. */
    public record Job(String task, Map<String, ?> arguments, Duration interval) {
        public Job {
            Objects.requireNonNull(task, "task");
            arguments = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(arguments)); // one JSON text everywhere
            if (interval.isZero() || interval.isNegative()) {
                throw new IllegalArgumentException("interval must be positive");
            }
        }
    }

    private final TaskQueue queue;
    private final Clock clock;
    private final ServerConfig.Schedule config;
    private final Supplier<List<Job>> jobs;
    private ScheduledExecutorService executor;

    /**
     * @param jobs the jobs as of now (read at every tick: virtual servers and locations come and go)
     */
    public SyncScheduler(TaskQueue queue, Clock clock, ServerConfig.Schedule config, Supplier<List<Job>> jobs) {
        this.queue = Objects.requireNonNull(queue, "queue");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.config = Objects.requireNonNull(config, "config");
        this.jobs = Objects.requireNonNull(jobs, "jobs");
    }

    /** Starts ticking after {@code schedule.initial_delay_seconds}, every {@code schedule.tick_seconds}; nothing when disabled. */
    public synchronized void start() {
        if (!config.enabled() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "orchard-sync-scheduler");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                tick();
            } catch (RuntimeException | StoreException e) {
                LOG.warn("sync scheduler: {}", e.toString());
            }
        }, config.initialDelay().toMillis(), config.tick().toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Submits every job whose run of the current slot was not submitted yet (by any replica).
     *
     * @return how many tasks this call submitted
     */
    public int tick() throws StoreException {
        long now = clock.millis();
        int submitted = 0;
        for (Job job : jobs.get()) {
            long slot = Math.floorDiv(now, job.interval().toMillis());
            String args = queue.argumentsJson(job.arguments());
            UUID run = UUID.nameUUIDFromBytes(("orchard-schedule\u0000" + job.task() + '\u0000' + args + '\u0000'
                    + job.interval().toMillis() + '\u0000' + slot).getBytes(StandardCharsets.UTF_8));
            if (queue.find(run).isPresent() || queue.active(job.task(), job.arguments())) {
                continue;
            }
            if (queue.submitOnce(run, job.task(), job.arguments()).isPresent()) {
                LOG.info("scheduled {} {}", job.task(), args);
                submitted++;
            }
        }
        return submitted;
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
