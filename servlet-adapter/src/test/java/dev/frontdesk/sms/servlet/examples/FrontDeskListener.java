package dev.frontdesk.sms.servlet.examples;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import java.util.function.Supplier;

/**
 * Registration in any Jakarta Servlet 6 container from a {@link ServletContextListener} (README,
 * "Servlet adapter and HTTP API"). In a WAR, annotate a subclass with {@code @WebListener} and give it a
 * no-argument constructor that supplies the app's {@link FrontDesk}.
 */
public class FrontDeskListener implements ServletContextListener {
    private final Supplier<FrontDesk> frontDesk;

    public FrontDeskListener(Supplier<FrontDesk> frontDesk) {
        this.frontDesk = frontDesk;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        // PUBLIC_BASE_URL must then name the mount point: https://example.com/<context>/sms
        ServletRegistration.Dynamic sms = event.getServletContext()
                .addServlet("frontdesk-sms", FrontDeskServlet.builder(frontDesk.get()).build());
        sms.setAsyncSupported(true); // bodies are read without holding a thread
        sms.addMapping("/sms/*");
    }
}
