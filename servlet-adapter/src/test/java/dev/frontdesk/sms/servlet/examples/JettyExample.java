package dev.frontdesk.sms.servlet.examples;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;

/** Registration in embedded Jetty 12 (README, "Servlet adapter and HTTP API"). */
public final class JettyExample {
    private JettyExample() {
    }

    /**
     * Serves the front desk at the root of {@code port} (0 for any free port) and returns the started server;
     * {@code env} holds {@code TWILIO_AUTH_TOKEN} (webhook signatures) and {@code FRONTDESK_API_KEY} (staff key).
     */
    public static Server start(FrontDesk frontDesk, int port, java.util.Map<String, String> env) throws Exception {
        Server server = new Server(port);
        ServletContextHandler context = new ServletContextHandler("/");
        ServletHolder sms = new ServletHolder(FrontDeskServlet.builder(frontDesk)
                .signingToken(env.get("TWILIO_AUTH_TOKEN")).apiKey(env.get("FRONTDESK_API_KEY")).build());
        sms.setAsyncSupported(true); // bodies are read without holding a thread
        context.addServlet(sms, "/*");
        server.setHandler(context);
        server.start();
        return server;
    }
}
