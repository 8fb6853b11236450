package dev.frontdesk.sms.spring.internal;

import dev.frontdesk.sms.FrontDeskConfig;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;

/** Logs {@link StartupLog}'s lines once the application is ready (the web server's port is known then). */
public final class StartupLogListener implements ApplicationListener<ApplicationReadyEvent> {
    private static final Logger log = LoggerFactory.getLogger("dev.frontdesk.sms.spring.FrontDesk");

    private final Supplier<FrontDeskConfig> config;
    private final boolean publicUrlSet;

    /**
     * @param config       the configuration as Twilio should see it, asked for when the application is ready
     * @param publicUrlSet whether the host set {@code frontdesk.public-base-url}
     */
    public StartupLogListener(Supplier<FrontDeskConfig> config, boolean publicUrlSet) {
        this.config = config;
        this.publicUrlSet = publicUrlSet;
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        for (String line : StartupLog.lines(config.get(), publicUrlSet)) {
            log.info(line);
        }
    }
}
