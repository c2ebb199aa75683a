package dev.orchardmdm.apns;

import java.util.Objects;

/**
 * The final outcome of one push of a bulk send.
 *
 * @param push    the push as given
 * @param outcome what APNs (or the client, for pushes it refused to send) answered
 */
public record PushResult(MdmPush push, PushOutcome outcome) {
    /** Both parts are required. */
    public PushResult {
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(outcome, "outcome");
    }
}
