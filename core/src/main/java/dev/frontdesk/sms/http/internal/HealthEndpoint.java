package dev.frontdesk.sms.http.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.Health;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /api/health}: 200 {@code {"status": "ok"}} while the store answers, else 503 {@code unavailable}. Open to
 * anyone, so it says nothing more; the reason goes to the log. Thread-safe.
 */
public final class HealthEndpoint {
    private static final Logger log = LoggerFactory.getLogger(FrontDeskHttpHandler.class);

    private final FrontDesk frontDesk;

    public HealthEndpoint(FrontDesk frontDesk) {
        this.frontDesk = frontDesk;
    }

    public HttpResponse health(HttpRequest request, List<String> pathParams) {
        Health health = frontDesk.health();
        if (!health.available()) {
            log.warn("Health check: store unavailable ({})", LogSafe.message(health.problem(), 200));
            return Answers.error(ErrorCode.UNAVAILABLE, "The message store is not reachable right now.", Map.of("Retry-After", "5"));
        }
        ObjectNode ok = Json.object();
        ok.put("status", "ok");
        return Answers.json(200, ok);
    }
}
