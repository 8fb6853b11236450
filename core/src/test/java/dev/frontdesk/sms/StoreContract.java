package dev.frontdesk.sms;

import dev.frontdesk.sms.internal.SmsSegments;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the store's contract suites share: a fresh store per test and the fixtures to fill it. Each suite
 * checks one interface ({@link LeadRepositoryContract}: the inbound transaction and health;
 * {@link LeadStoreContract}, {@link MessageStoreContract}, {@link UsageLedgerContract},
 * {@link ReplyQueueContract}: the parts). An implementation runs every suite: subclass each, return a fresh,
 * empty repository from {@link #createRepository()}, and release it in {@link #tearDownRepository()}.
 *
 * <p>Published in core's test-jar; the JDBC store runs the suites on H2 and PostgreSQL.
 */
public abstract class StoreContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final PhoneNumber CUSTOMER = new PhoneNumber("+15551234567");
    protected static final PhoneNumber OTHER = new PhoneNumber("+15557654321");
    protected static final String BUSINESS = "+15550001111";

    protected LeadRepository repo;
    protected LeadStore leads;
    protected MessageStore messages;
    protected UsageLedger usage;
    protected ReplyQueue queue;

    /** A fresh repository with no data. */
    protected abstract LeadRepository createRepository();

    /** Releases what {@link #createRepository()} made (drop schema, close pool). */
    protected void tearDownRepository() {
    }

    @BeforeEach
    void setUpContract() {
        repo = createRepository();
        leads = repo.leads();
        messages = repo.messages();
        usage = repo.usage();
        queue = repo.replyQueue();
    }

    @AfterEach
    void tearDownContract() {
        tearDownRepository();
    }

    protected static InboundSms inbound(String sid, PhoneNumber from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("From", from.value());
        params.put("To", BUSINESS);
        params.put("Body", body);
        return new InboundSms(sid, "AC123", null, from, BUSINESS, body, 1, List.of(), null, params);
    }

    /** A WhatsApp message from {@code from} to the business's WhatsApp number, as Twilio's webhook carries it. */
    protected static InboundSms whatsApp(String sid, PhoneNumber from, String body) {
        Map<String, String> params = new LinkedHashMap<>();
        params.put("MessageSid", sid);
        params.put("From", "whatsapp:" + from.value());
        params.put("To", "whatsapp:" + BUSINESS);
        params.put("Body", body);
        return new InboundSms(sid, "AC123", null, from, "whatsapp:" + BUSINESS, body, 1, List.of(), null, params, Channel.WHATSAPP);
    }

    protected static InboundSms inboundWithMedia(String sid, PhoneNumber from, String body, List<MediaItem> media) {
        return new InboundSms(sid, "AC123", null, from, BUSINESS, body, 1, media, null, Map.of());
    }

    protected Message recordPendingOutbound(long leadId, String body, Long jobId, Instant at) {
        return messages.recordOutbound(new NewOutboundMessage(leadId, BUSINESS, CUSTOMER.value(), body,
                MessageStatus.PENDING, null, SmsSegments.count(body), jobId, at));
    }

    /** A task run by many threads released at once. */
    @FunctionalInterface
    protected interface IndexedTask<T> {
        T run(int index) throws Exception;
    }

    /** Runs {@code task} on {@code threads} threads started together; returns results in thread order. */
    protected static <T> List<T> runConcurrently(int threads, IndexedTask<T> task) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch ready = new CountDownLatch(threads);
            CountDownLatch go = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return task.run(index);
                }));
            }
            ready.await();
            go.countDown();
            List<T> results = new ArrayList<>();
            for (Future<T> f : futures) {
                results.add(f.get(60, TimeUnit.SECONDS));
            }
            return results;
        } finally {
            pool.shutdownNow();
        }
    }
}
