package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import dev.orchardmdm.store.UnitOfWork;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's request entry: each device request runs as one unit of work of the store (all its
 * writes, and the listeners' events about its outcome, commit once, together), then every
 * {@link MdmEventListener} is told what happened. A refused request changes nothing: its unit of
 * work is rolled back and the refusal is reported (and audited) after that, on its own. A request
 * that only reads (the common Idle with an empty queue) opens no write transaction.
 */
public final class EventFanOut implements MdmService {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanOut.class);
    private final MdmService next;
    private final List<MdmEventListener> listeners;
    private final UnitOfWork unitOfWork;

    public EventFanOut(MdmService next, List<MdmEventListener> listeners, UnitOfWork unitOfWork) {
        this.next = Objects.requireNonNull(next, "next");
        this.listeners = List.copyOf(listeners);
        this.unitOfWork = Objects.requireNonNull(unitOfWork, "unitOfWork");
    }

    @Override
    public MdmResponse checkin(MdmRequest request, CheckinMessage message) throws MdmException {
        try {
            return unitOfWork.inUnitOfWork(() -> {
                MdmResponse response = next.checkin(request, message);
                each(l -> l.checkedIn(request, message, response));
                return response;
            });
        } catch (MdmException e) {
            each(l -> l.refused(request, message, e));
            throw e;
        }
    }

    @Override
    public MdmResponse connect(MdmRequest request, CommandReport report) throws MdmException {
        try {
            return unitOfWork.inUnitOfWork(() -> {
                MdmResponse response = next.connect(request, report);
                each(l -> l.connected(request, report, response));
                return response;
            });
        } catch (MdmException e) {
            each(l -> l.refused(request, report, e));
            throw e;
        }
    }

    private void each(java.util.function.Consumer<MdmEventListener> call) {
        each(listeners, call);
    }

    private static void each(List<MdmEventListener> listeners, java.util.function.Consumer<MdmEventListener> call) {
        for (MdmEventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
            }
        }
    }

    /** One listener that tells each of {@code listeners} of the command events, skipping failing ones. */
    static MdmEventListener commandEvents(List<MdmEventListener> listeners) {
        List<MdmEventListener> all = List.copyOf(listeners);
        return new MdmEventListener() {
            @Override
            public void commandQueued(dev.orchardmdm.store.Command command) {
                each(all, l -> l.commandQueued(command));
            }

            @Override
            public void commandSent(dev.orchardmdm.store.Command command) {
                each(all, l -> l.commandSent(command));
            }

            @Override
            public void commandAnswered(dev.orchardmdm.store.Command command) {
                each(all, l -> l.commandAnswered(command));
            }
        };
    }
}
