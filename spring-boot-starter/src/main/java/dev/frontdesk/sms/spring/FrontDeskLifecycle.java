package dev.frontdesk.sms.spring;

import dev.frontdesk.sms.FrontDesk;
import java.util.Objects;
import org.springframework.context.SmartLifecycle;

/**
 * Starts the front desk's reply workers with the context and closes them at shutdown. Its phase is below the
 * embedded web server's: the workers start before the server takes webhooks and are closed only after the server
 * has stopped taking them (graceful shutdown included), so every acknowledged webhook has a worker to answer it.
 * Closing waits at most {@code frontdesk.reply.shutdown-seconds}; jobs still busy then are taken over by another
 * instance when their lease ends.
 */
public class FrontDeskLifecycle implements SmartLifecycle {
    /** Below Spring Boot's web server phases ({@code DEFAULT_PHASE - 1024} and {@code - 2048}). */
    public static final int PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    private final FrontDesk frontDesk;
    private volatile boolean running;

    /** @param frontDesk the front desk to start and close */
    public FrontDeskLifecycle(FrontDesk frontDesk) {
        this.frontDesk = Objects.requireNonNull(frontDesk, "frontDesk");
    }

    @Override
    public void start() {
        frontDesk.start();
        running = true;
    }

    @Override
    public void stop() {
        running = false;
        frontDesk.close();
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        return PHASE;
    }
}
