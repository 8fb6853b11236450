package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.FrontDeskException;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.RateLimitedException;
import dev.frontdesk.sms.SmsSendException;
import dev.frontdesk.sms.StoreUnavailableException;
import dev.frontdesk.sms.http.FrontDeskHttpHandler;
import dev.frontdesk.sms.http.HttpResponse;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what an endpoint threw into the contract's answer: the status comes from the exception's {@link ErrorCode},
 * the message is the exception's own (written for a person) except where it could carry a detail a client must not
 * see. Anything unexpected, and every code whose status is 500, is {@code internal_error} with the details only in the
 * log. Thread-safe.
 */
public final class ErrorMapping {
    private static final Logger log = LoggerFactory.getLogger(FrontDeskHttpHandler.class);

    private ErrorMapping() {
    }

    /** The answer to {@code method path} failing with {@code failure}. */
    public static HttpResponse answer(String method, String path, RuntimeException failure) {
        if (failure instanceof ApiError e) {
            return Answers.error(e.errorCode(), e.getMessage(), e.headers());
        }
        if (failure instanceof StoreUnavailableException e) {
            log.warn("{} {}: store unavailable, answering 503 ({})", method, path, LogSafe.message(e.getMessage(), 200));
            return Answers.error(ErrorCode.UNAVAILABLE, "The message store is not reachable right now; try again in a minute.",
                    Map.of("Retry-After", "5"));
        }
        if (failure instanceof SmsSendException e) {
            return Answers.error(e.errorCode(), twilioMessage(e), Map.of());
        }
        if (failure instanceof FrontDeskException e) {
            if (e.errorCode().httpStatus() == 500) {
                log.error("{} {} failed ({})", method, path, e.code(), LogSafe.exception(e));
                return Answers.internalError();
            }
            Map<String, String> headers = e instanceof RateLimitedException limited
                    ? Map.of("Retry-After", Long.toString(Math.max(1, limited.retryAfter().toSeconds()))) : Map.of();
            return Answers.error(e.errorCode(), e.getMessage(), headers);
        }
        // The driver's or library's message may quote customer values: logged redacted, stack kept.
        log.error("{} {} failed unexpectedly", method, path, LogSafe.exception(failure));
        return Answers.internalError();
    }

    /** Twilio's refusal for staff: numbers masked, Twilio's code named so they can look it up. */
    private static String twilioMessage(SmsSendException e) {
        String message = e.getMessage() == null ? "Twilio refused the message." : LogSafe.maskPhones(e.getMessage());
        if (e.providerCode() != null && !message.contains(e.providerCode().toString())) {
            message = message + " (Twilio error " + e.providerCode() + ")";
        }
        return message;
    }
}
