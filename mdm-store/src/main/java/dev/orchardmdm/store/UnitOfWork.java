package dev.orchardmdm.store;

/**
 * Runs several storage calls as one unit: they commit once, together, or not at all. Implemented
 * by {@link Store} (over {@link Database#inUnitOfWork}); the engine depends on this interface.
 */
public interface UnitOfWork {

    /**
     * Runs {@code work} as one unit of work; a unit opened inside another joins it. The write
     * transaction is opened by the first write, so a unit that only reads writes nothing.
     *
     * @return what {@code work} returns
     */
    <R, X extends Exception> R inUnitOfWork(Database.UnitOfWorkCallback<R, X> work) throws X;
}
