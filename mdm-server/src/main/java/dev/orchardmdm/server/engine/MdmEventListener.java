package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;

/**
 * Receives every device request's outcome from {@link EventFanOut}: audit log, metrics, webhooks.
 * Listeners must be quick and must not throw (a failing listener is logged and skipped).
 */
public interface MdmEventListener {

    /** A check-in was answered. */
    default void checkedIn(MdmRequest request, CheckinMessage message, MdmResponse response) {
    }

    /** A command report was answered. */
    default void connected(MdmRequest request, CommandReport report, MdmResponse response) {
    }

    /** A request was refused ({@code message} is a CheckinMessage or a CommandReport). */
    default void refused(MdmRequest request, Object message, MdmException error) {
    }

    /** A command was queued (by the admin API or the engine). */
    default void commandQueued(dev.orchardmdm.store.Command command) {
    }

    /** A command was handed to its device in a connect answer. */
    default void commandSent(dev.orchardmdm.store.Command command) {
    }

    /** A device reported a result of a command ({@code command} holds the new status). */
    default void commandAnswered(dev.orchardmdm.store.Command command) {
    }
}
