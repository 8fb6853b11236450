package dev.frontdesk.sms;

/**
 * Told of every {@link StoreChange} the front desk makes, here and (where the store relays them) on other
 * instances sharing the store; see {@link FrontDesk#onChange}. Calls come from the thread that made the change
 * or the store's listening thread: an implementation must be quick (hand the change to a queue of its own),
 * thread-safe, and should not throw (what it throws is logged and dropped).
 */
@FunctionalInterface
public interface ChangeListener {

    /** A lead or message changed. */
    void onChange(StoreChange change);

    /** The front desk was closed: no more changes come. */
    default void onClosed() {
    }
}
