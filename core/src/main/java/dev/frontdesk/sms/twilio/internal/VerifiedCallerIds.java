package dev.frontdesk.sms.twilio.internal;

import com.twilio.base.Page;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.OutgoingCallerId;
import com.twilio.rest.api.v2010.account.OutgoingCallerIdReader;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.internal.LogSafe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The account's verified caller IDs from Twilio's {@code OutgoingCallerIds} API, for test mode: read at most
 * {@value #MAX_CALLER_ID_PAGES} pages, following only Twilio's own next-page URLs, cached for the refresh
 * period; when a refresh fails the list read before is used, with none the answer is empty (nothing goes
 * to a number nobody checked). Thread-safe.
 */
public final class VerifiedCallerIds {
    private static final Logger log = LoggerFactory.getLogger("dev.frontdesk.sms.twilio.TwilioSmsGateway");
    private static final int MAX_CALLER_ID_PAGES = 20;
    private static final String TWILIO_API_PREFIX = "https://api.twilio.com/2010-04-01/";

    private final TwilioRestClient client;
    private final String accountSid;
    private final Duration refresh;
    private final Clock clock;
    private final Object cacheLock = new Object();
    private Set<String> cachedVerified;
    private Instant cachedAt;

    public VerifiedCallerIds(TwilioRestClient client, String accountSid, Duration refresh, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.accountSid = Objects.requireNonNull(accountSid, "accountSid");
        this.refresh = Objects.requireNonNull(refresh, "refresh");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** The verified caller IDs: the list read last while it is fresh, else read again. */
    public Set<String> get() {
        synchronized (cacheLock) {
            Instant now = clock.instant();
            if (cachedVerified != null && cachedAt != null && Duration.between(cachedAt, now).compareTo(refresh) < 0) {
                return cachedVerified;
            }
            try {
                cachedVerified = read();
                cachedAt = now;
                log.info("Read {} verified caller IDs from Twilio for test mode", cachedVerified.size());
                return cachedVerified;
            } catch (RuntimeException e) {
                if (cachedVerified != null) {
                    log.warn("Could not refresh Twilio's verified caller IDs ({}); using the list read before",
                            LogSafe.truncate(e.getMessage(), 120));
                    return cachedVerified;
                }
                log.warn("Could not read Twilio's verified caller IDs ({}); treating numbers as unverified",
                        LogSafe.truncate(e.getMessage(), 120));
                return Set.of();
            }
        }
    }

    private Set<String> read() {
        Set<String> numbers = new HashSet<>();
        OutgoingCallerIdReader reader = OutgoingCallerId.reader(accountSid).setPageSize(1000L);
        Page<OutgoingCallerId> page = reader.firstPage(client);
        for (int pages = 1; ; pages++) {
            for (OutgoingCallerId id : page.getRecords()) {
                if (id.getPhoneNumber() != null) {
                    String raw = id.getPhoneNumber().toString();
                    if (PhoneNumber.isPossible(raw, PhoneNumber.DEFAULT_REGION)) {
                        numbers.add(PhoneNumber.parse(raw).value());
                    }
                }
            }
            if (!page.hasNextPage() || pages >= MAX_CALLER_ID_PAGES) {
                break;
            }
            String next = page.getNextPageUrl("api");
            if (next == null || !next.startsWith(TWILIO_API_PREFIX)) {
                // Twilio answers with a relative next_page_uri; anything else is not followed.
                log.warn("Twilio's caller ID list named an unexpected next page; reading no further");
                break;
            }
            page = reader.nextPage(page, client);
        }
        return Set.copyOf(numbers);
    }
}
