package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The event fan-out decorator: tells every {@link MdmEventListener} what happened. */
public final class EventFanOut implements MdmService {
    private static final Logger LOG = LoggerFactory.getLogger(EventFanOut.class);
    private final MdmService next;
    private final List<MdmEventListener> listeners;

    public EventFanOut(MdmService next, List<MdmEventListener> listeners) {
        this.next = Objects.requireNonNull(next, "next");
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public MdmResponse checkin(MdmRequest request, CheckinMessage message) throws MdmException {
        MdmResponse response;
        try {
            response = next.checkin(request, message);
        } catch (MdmException e) {
            each(l -> l.refused(request, message, e));
            throw e;
        }
        each(l -> l.checkedIn(request, message, response));
        return response;
    }

    @Override
    public MdmResponse connect(MdmRequest request, CommandReport report) throws MdmException {
        MdmResponse response;
        try {
            response = next.connect(request, report);
        } catch (MdmException e) {
            each(l -> l.refused(request, report, e));
            throw e;
        }
        each(l -> l.connected(request, report, response));
        return response;
    }

    private void each(java.util.function.Consumer<MdmEventListener> call) {
        for (MdmEventListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.warn("event listener {} failed: {}", l.getClass().getSimpleName(), e.toString());
            }
        }
    }
}
