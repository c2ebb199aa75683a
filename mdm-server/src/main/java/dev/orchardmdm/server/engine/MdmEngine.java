package dev.orchardmdm.server.engine;

import dev.orchardmdm.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Composes the MDM service chain, in one place:
 * {@code EventFanOut(IdentityBinding(CoreMdmService))} — one unit of work per request, and events see
 * every outcome, refusals included; identity binding runs before anything changes; the core does the work.
 */
public final class MdmEngine {
    private final MdmService service;
    private final CommandService commands;

    /**
     * @param statusReports     where declarative-management status reports are stored
     * @param fileVault         decrypts FileVault PRKs with the device escrow keys
     * @param inventoryInterval DeviceInformation/SecurityInfo are queued again when older
     * @param extraListeners    listeners beside the audit log (e.g. metrics)
     */
    public MdmEngine(Store store, Clock clock, DeclarativeManagementHandler.StatusReportSink statusReports,
                     ResultProcessor.FileVaultEscrow fileVault, Duration inventoryInterval,
                     List<MdmEventListener> extraListeners) {
        Objects.requireNonNull(store, "store");
        List<MdmEventListener> listeners = new ArrayList<>();
        listeners.add(new AuditListener(store.auditLog()));
        listeners.addAll(extraListeners);
        this.commands = new CommandService(store, EventFanOut.commandEvents(listeners));
        CoreMdmService core = new CoreMdmService(store, commands, new ResultProcessor(store, fileVault,
                        new EscrowFlows(store, commands, new FileVaultEscrowKeys(store), clock)),
                new DeclarativeManagementHandler(statusReports), inventoryInterval, clock);
        this.service = new EventFanOut(new IdentityBinding(core, store), listeners, store);
    }

    /** The composed service the device endpoints call. */
    public MdmService service() {
        return service;
    }

    /** Queues commands and wakes devices (also for the admin API). */
    public CommandService commands() {
        return commands;
    }
}
