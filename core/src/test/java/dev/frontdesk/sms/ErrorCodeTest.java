package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ErrorCodeTest {

    @Test
    void everyContractCodeHasItsStatus() {
        Map<String, Integer> contract = new LinkedHashMap<>();
        contract.put("invalid_request", 400);
        contract.put("invalid_phone_number", 400);
        contract.put("empty_message", 400);
        contract.put("message_too_long", 400);
        contract.put("unauthorized", 401);
        contract.put("invalid_signature", 403);
        contract.put("lead_not_found", 404);
        contract.put("not_found", 404);
        contract.put("method_not_allowed", 405);
        contract.put("request_timeout", 408);
        contract.put("opted_out", 409);
        contract.put("quiet_hours", 409);
        contract.put("outside_window", 409);
        contract.put("payload_too_large", 413);
        contract.put("unsupported_media_type", 415);
        contract.put("unverified_number", 422);
        contract.put("rate_limited", 429);
        contract.put("internal_error", 500);
        contract.put("twilio_error", 502);
        contract.put("unavailable", 503);
        contract.forEach((code, status) -> assertThat(ErrorCode.valueOf(code.toUpperCase(java.util.Locale.ROOT)))
                .satisfies(c -> assertThat(c.wireName()).isEqualTo(code))
                .satisfies(c -> assertThat(c.httpStatus()).as(code).isEqualTo(status)));
    }

    @Test
    void codesThatNeverReachAClientAreServerErrors() {
        for (ErrorCode c : new ErrorCode[] {ErrorCode.AI_ERROR, ErrorCode.REPLY_REFUSED, ErrorCode.INVALID_CONFIGURATION,
                ErrorCode.DUPLICATE_TWILIO_SID}) {
            assertThat(c.httpStatus()).as(c.wireName()).isEqualTo(500);
        }
    }

    @Test
    void eachExceptionCarriesItsCodeAndTheCompatibleString() {
        assertThat(new OptedOutException("x").errorCode()).isEqualTo(ErrorCode.OPTED_OUT);
        assertThat(new OptedOutException("x").code()).isEqualTo("opted_out");
        assertThat(new QuietHoursException("x").errorCode().httpStatus()).isEqualTo(409);
        assertThat(new RateLimitedException("x", Duration.ofSeconds(3)).errorCode()).isEqualTo(ErrorCode.RATE_LIMITED);
        assertThat(new StoreUnavailableException("x").errorCode().httpStatus()).isEqualTo(503);
        assertThat(new SmsSendException("x", 21211, 400, false).errorCode()).isEqualTo(ErrorCode.TWILIO_ERROR);
        assertThat(new ReplyRefusedException("link").code()).isEqualTo("reply_refused");
    }
}
