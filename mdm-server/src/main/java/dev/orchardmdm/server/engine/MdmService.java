package dev.orchardmdm.server.engine;

import dev.orchardmdm.protocol.CheckinMessage;
import dev.orchardmdm.protocol.CommandReport;

/**
 * The MDM protocol service: one interface, implemented by a chain of small decorators composed
 * in one place ({@link MdmEngine}): identity binding, then event fan-out, then the core service.
 */
public interface MdmService {

    /** Handles a check-in message ({@code PUT /public/mdm/checkin/}). */
    MdmResponse checkin(MdmRequest request, CheckinMessage message) throws MdmException;

    /**
     * Handles a command report ({@code PUT /public/mdm/connect/}): records the result of the
     * previous command, answers with the next command's plist or an empty 200.
     */
    MdmResponse connect(MdmRequest request, CommandReport report) throws MdmException;
}
