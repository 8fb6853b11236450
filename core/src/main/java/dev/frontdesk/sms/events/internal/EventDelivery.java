package dev.frontdesk.sms.events.internal;

import dev.frontdesk.sms.EventOutbox;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.events.EventSignatures;
import dev.frontdesk.sms.events.EventWebhooks;
import dev.frontdesk.sms.internal.Backoff;
import dev.frontdesk.sms.internal.DueWorkLoop;
import dev.frontdesk.sms.internal.LogSafe;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Proxy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;
import okhttp3.Dns;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers the outbox's events to the host's CRM on a thread of its own, so a slow or dead receiver never holds a
 * webhook or a reply. Each pass claims due events with a lease (two instances never send one event at once), POSTs
 * each signed ({@link EventSignatures}) with short timeouts and without following redirects, and settles it:
 * delivered on 2xx; otherwise retried with exponential backoff and jitter (first retry within 10 s, at most an hour
 * apart) until {@link EventWebhooks#retryFor()} after the event, then failed. The thread is woken when the front desk
 * writes (an event rides in that write) and otherwise looks every {@link #POLL} for other instances' events and
 * retries that came due. Thread-safe.
 */
public final class EventDelivery implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(EventDelivery.class);

    /** How often an idle worker looks for events no wake-up announced (other instances', retries). */
    static final Duration POLL = Duration.ofSeconds(10);
    /** Events one pass claims. */
    static final int BATCH = 5;
    private static final MediaType JSON = MediaType.get("application/json");
    private static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    private static final Duration LONGEST_WAIT = Duration.ofHours(1);

    private final EventWebhooks settings;
    private final EventOutbox outbox;
    private final EventPayloads payloads;
    private final Clock clock;
    private final String workerId;
    private final Backoff backoff;
    private final OkHttpClient http;
    private final Duration lease;
    private final DueWorkLoop loop;

    public EventDelivery(EventWebhooks settings, LeadRepository repository, Clock clock, String workerId) {
        this(settings, repository, clock, workerId, () -> ThreadLocalRandom.current().nextDouble(), Dns.SYSTEM);
    }

    /**
     * @param jitter random numbers in [0, 1) for the backoff
     * @param dns    how host names are resolved (checked for private addresses unless they are allowed)
     */
    public EventDelivery(EventWebhooks settings, LeadRepository repository, Clock clock, String workerId, DoubleSupplier jitter,
            Dns dns) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.outbox = repository.events();
        this.payloads = new EventPayloads(repository);
        this.clock = Objects.requireNonNull(clock, "clock");
        this.workerId = Objects.requireNonNull(workerId, "workerId");
        this.backoff = new Backoff(FIRST_RETRY, LONGEST_WAIT, jitter);
        Duration perCall = settings.connectTimeout().plus(settings.readTimeout()).multipliedBy(2);
        this.lease = perCall.multipliedBy(BATCH).plusSeconds(30);
        OkHttpClient.Builder b = new OkHttpClient.Builder()
                .connectTimeout(settings.connectTimeout())
                .readTimeout(settings.readTimeout())
                .writeTimeout(settings.readTimeout())
                .callTimeout(perCall)
                .followRedirects(false)
                .followSslRedirects(false)
                .retryOnConnectionFailure(false)
                .proxy(Proxy.NO_PROXY); // the address check must see the receiver's address, not a proxy's
        if (!settings.allowPrivate()) {
            b.dns(new PublicAddresses(dns)).addNetworkInterceptor(PublicAddresses.interceptor());
        } else {
            b.dns(dns);
        }
        this.http = b.build();
        this.loop = new DueWorkLoop(workerId, BATCH, POLL, clock, this::deliverDue, outbox::nextDueAt,
                e -> log.warn("📤 Event delivery paused: {}", LogSafe.error(e)));
    }

    /** Starts the delivery thread. Idempotent. */
    public void start() {
        if (loop.start()) {
            log.info("📤 Event webhooks: delivering to {}", settings);
        }
    }

    /** Makes an idle delivery thread look for due events now; quick, never throws. */
    public void wake() {
        loop.wake();
    }

    /**
     * One pass on the calling thread: claims up to {@value #BATCH} due events, posts and settles each.
     *
     * @return how many events were attempted
     */
    public int deliverDue() {
        List<OutboxEvent> claimed = outbox.claim(workerId, lease, clock.instant(), BATCH);
        for (OutboxEvent e : claimed) {
            deliver(e);
        }
        return claimed.size();
    }

    private void deliver(OutboxEvent e) {
        Instant now = clock.instant();
        Optional<byte[]> body = payloads.body(e, now);
        if (body.isEmpty()) {
            outbox.markFailed(e.id(), workerId, "its lead or message is no longer in the store", now);
            return;
        }
        String failure = post(e, body.get(), now);
        Instant after = clock.instant();
        if (failure == null) {
            outbox.markDelivered(e.id(), workerId, after);
            return;
        }
        Instant next = after.plus(backoff.delay(e.attempts()));
        if (next.isAfter(e.createdAt().plus(settings.retryFor()))) {
            log.warn("📤 Event {} ({}) failed for good after {} attempts: {}", e.eventId(), e.type().wireName(), e.attempts(), failure);
            outbox.markFailed(e.id(), workerId, failure, after);
        } else {
            log.info("📤 Event {} ({}) not delivered (attempt {}): {}; next attempt at {}", e.eventId(), e.type().wireName(),
                    e.attempts(), failure, next);
            outbox.retryLater(e.id(), workerId, failure, next);
        }
    }

    /** POSTs the event; null when the receiver answered 2xx, else why not (safe to show staff). */
    private String post(OutboxEvent e, byte[] body, Instant now) {
        long timestamp = now.getEpochSecond();
        Request request = new Request.Builder()
                .url(settings.url().toString())
                .header("User-Agent", "frontdesk-sms")
                .header(EventSignatures.EVENT_ID_HEADER, e.eventId())
                .header(EventSignatures.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(EventSignatures.SIGNATURE_HEADER, EventSignatures.sign(settings.secret(), timestamp, body))
                .post(RequestBody.create(body, JSON))
                .build();
        try (Response response = http.newCall(request).execute()) {
            if (response.isSuccessful()) {
                return null;
            }
            int code = response.code();
            return "HTTP " + code + (code >= 300 && code < 400 ? " (redirects are not followed; give the final URL)" : "");
        } catch (InterruptedIOException timeout) {
            return "timed out (" + LogSafe.message(timeout.getMessage(), 120) + ")";
        } catch (IOException | RuntimeException ioe) {
            return LogSafe.message(ioe.getMessage() == null ? ioe.getClass().getSimpleName() : ioe.getMessage(), 300);
        }
    }

    /** Stops the thread; a POST in flight is cancelled (its event stays leased and is retried after the lease). */
    @Override
    public void close() {
        loop.stop(true, () -> http.dispatcher().cancelAll(), Duration.ofSeconds(2));
        http.dispatcher().executorService().shutdown();
        http.connectionPool().evictAll();
    }
}
