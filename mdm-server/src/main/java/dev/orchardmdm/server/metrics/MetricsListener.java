package dev.orchardmdm.server.metrics;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.protocol.CommandStatus;
import dev.orchardmdm.server.engine.MdmEventListener;
import dev.orchardmdm.server.engine.MdmException;
import dev.orchardmdm.server.engine.MdmRequest;
import dev.orchardmdm.server.engine.MdmResponse;
import dev.orchardmdm.store.Command;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Counts what the engine does, from its event chain (no counter lives in the engine's code). The
 * connect path only reads counters created beforehand or cached by a small, bounded key (message
 * class, report status, command request type): no meter is looked up in the registry per request.
 */
final class MetricsListener implements MdmEventListener {
    private static final Pattern REQUEST_TYPE = Pattern.compile("[A-Za-z0-9.]{1,64}");
    private final MeterRegistry registry;
    private final ClassValue<Counter> checkins;
    private final Map<CommandStatus, Counter> connects = new EnumMap<>(CommandStatus.class);
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, CommandCounters> commands = new ConcurrentHashMap<>();

    MetricsListener(MeterRegistry registry) {
        this.registry = registry;
        this.checkins = new ClassValue<>() {
            @Override
            protected Counter computeValue(Class<?> type) {
                return Counter.builder("orchard.checkins").description("Check-in messages answered, by message type")
                        .tag("message_type", type.getSimpleName()).register(registry);
            }
        };
        for (CommandStatus status : CommandStatus.values()) {
            connects.put(status, Counter.builder("orchard.connects")
                    .description("Connect requests answered, by the status the device reported")
                    .tag("status", status.name()).register(registry));
        }
    }

    @Override
    public void checkedIn(MdmRequest request, CheckinMessage message, MdmResponse response) {
        checkins.get(message.getClass()).increment();
    }

    @Override
    public void connected(MdmRequest request, CommandReport report, MdmResponse response) {
        connects.get(report.status()).increment();
    }

    @Override
    public void refused(MdmRequest request, Object message, MdmException error) {
        String endpoint = message instanceof CheckinMessage ? "checkin" : "connect";
        String reason = error.getClass().getSimpleName();
        refused.computeIfAbsent(endpoint + ' ' + reason, k -> Counter.builder("orchard.device.requests.refused")
                .description("Device requests refused by the engine, by endpoint and reason")
                .tag("endpoint", endpoint).tag("reason", reason).register(registry)).increment();
    }

    @Override
    public void commandQueued(Command command) {
        counters(command.requestType()).queued.increment();
    }

    @Override
    public void commandSent(Command command) {
        counters(command.requestType()).sent.increment();
    }

    @Override
    public void commandAnswered(Command command) {
        if (command.status() != null) {
            counters(command.requestType()).results.get(command.status()).increment();
        }
    }

    private CommandCounters counters(String requestType) {
        CommandCounters c = commands.get(requestType);
        if (c != null) {
            return c;
        }
        String label = requestType != null && REQUEST_TYPE.matcher(requestType).matches()
                && commands.size() < ServerMetrics.MAX_REQUEST_TYPES ? requestType : ServerMetrics.OTHER;
        // beyond the cap, unknown types share "other" (and are not cached under their own name)
        return commands.computeIfAbsent(label, l -> new CommandCounters(registry, l));
    }

    /** The counters of one request type. */
    private static final class CommandCounters {
        final Counter queued;
        final Counter sent;
        final Map<dev.orchardmdm.store.CommandStatus, Counter> results =
                new EnumMap<>(dev.orchardmdm.store.CommandStatus.class);

        CommandCounters(MeterRegistry registry, String requestType) {
            queued = Counter.builder("orchard.commands.queued").description("Commands queued, by request type")
                    .tag("request_type", requestType).register(registry);
            sent = Counter.builder("orchard.commands.sent").description("Commands handed to devices, by request type")
                    .tag("request_type", requestType).register(registry);
            for (dev.orchardmdm.store.CommandStatus status : dev.orchardmdm.store.CommandStatus.values()) {
                results.put(status, Counter.builder("orchard.command.results")
                        .description("Command results reported by devices, by request type and status")
                        .tag("request_type", requestType).tag("status", status.name().toLowerCase(Locale.ROOT))
                        .register(registry));
            }
        }
    }
}
