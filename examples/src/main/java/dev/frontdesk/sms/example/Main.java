package dev.frontdesk.sms.example;

import dev.frontdesk.sms.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar frontdesk-example.jar [serve | simulate ... | simulate-status ... | simulate-call ... | help]}.
 *
 * <p>Configuration comes from the environment and from {@code .env} in the working directory; a variable
 * set in the environment wins.
 */
public final class Main {
    private static final Logger log = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        Path workDir = Path.of("").toAbsolutePath();
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve" -> serve(workDir);
            case "simulate", "simulate-status", "simulate-call" -> System.exit(new Simulator(environment(workDir), workDir, System.out, System.err).run(args));
            case "help", "--help", "-h" -> System.out.println(USAGE);
            default -> {
                System.err.println("Unknown command '" + command + "'.\n\n" + USAGE);
                System.exit(2);
            }
        }
    }

    private static void serve(Path workDir) throws Exception {
        ExampleApp app;
        try {
            app = ExampleApp.start(environment(workDir), workDir);
        } catch (ConfigurationException e) {
            log.error("❌ Configuration: {}", e.getMessage());
            System.exit(1);
            return;
        } catch (IOException e) {
            log.error("❌ Could not start: {} (is PORT in use? set PORT=... in .env)", e.toString());
            System.exit(1);
            return;
        } catch (RuntimeException e) {
            // Most often the database: wrong DATABASE_URL, server down, bad credentials.
            log.error("❌ Could not start: {} (check DATABASE_URL, DATABASE_USER, DATABASE_PASSWORD)", e.getMessage());
            log.debug("Start-up failure", e);
            System.exit(1);
            return;
        }
        // SIGTERM / Ctrl-C: stop taking requests, let reply workers finish, close the pool.
        Runtime.getRuntime().addShutdownHook(new Thread(app::close, "frontdesk-shutdown"));
        app.join();
    }

    /** The environment over {@code .env} in {@code workDir}. */
    static Map<String, String> environment(Path workDir) {
        try {
            return DotEnv.merge(DotEnv.load(workDir.resolve(".env")), System.getenv());
        } catch (UncheckedIOException e) {
            log.warn("Ignoring .env: {}", e.getMessage());
            return System.getenv();
        }
    }

    static final String USAGE = """
            frontdesk-sms example app

              java -jar frontdesk-example.jar                 start the app (dashboard at http://localhost:$PORT/)
              java -jar frontdesk-example.jar simulate --from +15551234567 --body "Hi, I need help with my plumbing issue"
                                                              post a signed inbound SMS webhook to the running app,
                                                              then print the reply it sends
                  [--to +1555...] [--media https://...] [--url http://localhost:3001] [--no-wait] [--wait-seconds 30]
              java -jar frontdesk-example.jar simulate-status --sid SM... --status delivered [--error-code 30003]
                                                              post a signed delivery-status callback
              java -jar frontdesk-example.jar simulate-call --from +15551234567 [--answered] [--to +1555...] [--no-wait]
                                                              post a signed call (and, when the app forwards it to
                                                              OWNER_PHONE_NUMBER, its dial status: no-answer, or
                                                              completed with --answered), then print the text a
                                                              missed call gets

            Configuration: environment variables, or KEY=value lines in .env in this directory (see README).
            The simulator reads the same configuration as the app, so it signs with the token the app checks.""";
}
