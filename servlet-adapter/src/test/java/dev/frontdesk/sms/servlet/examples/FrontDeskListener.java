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
    private final java.util.Map<String, String> env;

    /** {@code env} holds {@code TWILIO_AUTH_TOKEN} (webhook signatures) and {@code FRONTDESK_API_KEY} (staff key). */
    public FrontDeskListener(Supplier<FrontDesk> frontDesk, java.util.Map<String, String> env) {
        this.frontDesk = frontDesk;
        this.env = env;
    }

    @Override
    public void contextInitialized(ServletContextEvent event) {
        // PUBLIC_BASE_URL must then name the mount point: https://example.com/<context>/sms
        ServletRegistration.Dynamic sms = event.getServletContext()
                .addServlet("frontdesk-sms", FrontDeskServlet.builder(frontDesk.get())
                        .signingToken(env.get("TWILIO_AUTH_TOKEN")).apiKey(env.get("FRONTDESK_API_KEY")).build());
        sms.setAsyncSupported(true); // bodies are read without holding a thread
        sms.addMapping("/sms/*");
    }
}
