package dev.orchardmdm.dep;

/** The service's data changed in the middle of a paged walk (for example the Apps and Books {@code versionId}). */
public final class AbmDataChangedException extends AbmException {
    public AbmDataChangedException(String message) {
        super(message, 200, null, null);
    }
}
