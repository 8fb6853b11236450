package dev.frontdesk.sms.internal;

/** Thrown inside a reply job when shutdown interrupted it before anything was sent: the job is given back at once. */
final class ReleasedAtShutdown extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ReleasedAtShutdown() {
        super("released at shutdown", null, false, false);
    }
}
