package com.example.desk;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.SmsGateway;
import dev.frontdesk.sms.internal.SmsSegments;
import dev.frontdesk.sms.jdbc.JdbcLeadRepository;
import dev.frontdesk.sms.openai.OpenAiReplyGenerator;
import dev.frontdesk.sms.servlet.FrontDeskServlet;
import dev.frontdesk.sms.twilio.TwilioSmsGateway;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A host app wired by hand: the library's variables from the environment, the JDBC store on an H2 pool, Twilio when
 * its credentials are set (a console gateway otherwise), OpenAI when its key is set, the servlet at {@code /sms/*} in
 * embedded Jetty.
 */
public final class DeskServer implements AutoCloseable {
    private final Server server;
    private final FrontDesk frontDesk;
    private final JdbcConnectionPool pool;

    private DeskServer(Server server, FrontDesk frontDesk, JdbcConnectionPool pool) {
        this.server = server;
        this.frontDesk = frontDesk;
        this.pool = pool;
    }

    public static void main(String[] args) throws Exception {
        DeskServer app = start(System.getenv());
        Runtime.getRuntime().addShutdownHook(new Thread(app::close));
        System.out.println("Inbound webhook: " + app.frontDesk.config().inboundWebhookUrl());
        app.server.join();
    }

    /** Starts on {@code PORT} (0: any free port); {@code PUBLIC_BASE_URL} names the app's root as Twilio reaches it. */
    public static DeskServer start(Map<String, String> env) throws Exception {
        int port = Integer.parseInt(env.getOrDefault("PORT", "8080"));
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        connector.open();
        server.addConnector(connector);

        Map<String, String> vars = new HashMap<>(env);
        String root = env.getOrDefault("PUBLIC_BASE_URL", "http://localhost:" + connector.getLocalPort());
        vars.put("PUBLIC_BASE_URL", root + "/sms"); // the servlet's mount point, as Twilio signs it
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(vars);

        JdbcConnectionPool pool = JdbcConnectionPool.create(
                env.getOrDefault("DATABASE_URL", "jdbc:h2:mem:desk-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1"), "sa", "");
        LeadRepository store = JdbcLeadRepository.create(pool);
        // Each client reads its own variables; the front desk's configuration holds no secret.
        SmsGateway gateway = config.twilioConfigured() ? TwilioSmsGateway.Builder.fromEnvironment(vars, config).build() : new ConsoleGateway();
        ReplyGenerator ai = config.aiConfigured() ? OpenAiReplyGenerator.Builder.fromEnvironment(vars, config).build() : ReplyGenerator.NONE;
        FrontDesk frontDesk = FrontDesk.builder().config(config).repository(store).gateway(gateway).replyGenerator(ai).build();

        ServletContextHandler context = new ServletContextHandler("/");
        context.addServlet(new ServletHolder(FrontDeskServlet.builder(frontDesk)
                .signingToken(env.get("TWILIO_AUTH_TOKEN")).apiKey(env.get("FRONTDESK_API_KEY")).build()), "/sms/*");
        server.setHandler(context);
        frontDesk.start();
        server.start();
        return new DeskServer(server, frontDesk, pool);
    }

    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            System.err.println("Jetty did not stop cleanly: " + e);
        }
        frontDesk.close();
        pool.dispose();
    }

    /** Without Twilio credentials: prints the reply instead of sending it. */
    static final class ConsoleGateway implements SmsGateway {
        @Override
        public SendResult send(OutboundSms sms) {
            String sid = "SM" + UUID.randomUUID().toString().replace("-", "");
            System.out.println("[console] reply to " + sms.to().masked() + ": " + sms.body());
            return new SendResult(sid, MessageStatus.SIMULATED, SmsSegments.count(sms.body()), sms.from());
        }

        @Override
        public boolean isVerified(PhoneNumber number) {
            return true;
        }
    }
}
