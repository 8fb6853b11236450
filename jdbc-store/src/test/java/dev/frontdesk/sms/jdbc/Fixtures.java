package dev.frontdesk.sms.jdbc;

import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.PhoneNumber;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Test data shared by the store's own tests. */
final class Fixtures {
    static final String BUSINESS = "+15550000000";
    static final Instant T0 = Instant.parse("2026-03-08T10:15:30.123456Z");

    private Fixtures() {
    }

    static PhoneNumber phone(int n) {
        return new PhoneNumber(String.format("+1555%07d", n));
    }

    static InboundSms inbound(String sid, PhoneNumber from, String body, MediaItem... media) {
        return new InboundSms(sid, "AC123", null, from, BUSINESS, body, 1, List.of(media), null, Map.of());
    }
}
