package dev.frontdesk.sms.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.InboundReceipt;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.LeadStore;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStore;
import dev.frontdesk.sms.MutableClock;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.RecordingGateway;
import dev.frontdesk.sms.ReplyQueue;
import dev.frontdesk.sms.StaffMessage;
import dev.frontdesk.sms.UsageLedger;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event webhooks end to end: the front desk's writes, the outbox, the delivery worker, a real receiver over HTTP. */
class EventDeliveryTest {
    private static final String BUSINESS = "+15550001111";
    private static final String CUSTOMER = "+15551234567";
    private static final String SECRET = "whsec_delivery_test";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final MutableClock clock = new MutableClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
    private final RecordingGateway gateway = new RecordingGateway();
    private final InMemoryLeadRepository repo = new InMemoryLeadRepository();
    private MockWebServer receiver;
    private FrontDesk desk;

    @BeforeEach
    void startReceiver() throws Exception {
        receiver = new MockWebServer();
        receiver.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (desk != null) {
            desk.close();
        }
        receiver.shutdown();
    }

    private EventWebhooks.Builder events() {
        return EventWebhooks.builder().url(receiver.url("/hooks/frontdesk").toString()).secret(SECRET).allowPrivate(true);
    }

    private FrontDesk desk(EventWebhooks events) {
        return desk(events, repo);
    }

    private FrontDesk desk(EventWebhooks events, LeadRepository store) {
        desk = FrontDesk.builder().replySettle(Duration.ZERO)
                .config(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false)
                        .businessName("Acme Plumbing").fallbackReply("Thanks! A person will text you back soon.").build())
                .repository(store).gateway(gateway).clock(clock).events(events).build();
        return desk;
    }

    private static dev.frontdesk.sms.InboundSms sms(String sid, String body) {
        return TwilioWebhooks.inboundSms(Map.of("MessageSid", sid, "From", CUSTOMER, "To", BUSINESS, "Body", body), "US");
    }

    private RecordedRequest take() throws InterruptedException {
        RecordedRequest r = receiver.takeRequest(5, TimeUnit.SECONDS);
        assertThat(r).as("the receiver got a request").isNotNull();
        return r;
    }

    @Test
    void eachEventIsPostedOnceSignedWithTheApisLeadAndMessageJson() throws Exception {
        for (int i = 0; i < 4; i++) {
            receiver.enqueue(new MockResponse().setResponseCode(204));
        }
        desk(events().build());
        InboundReceipt in = desk.receiveInbound(sms("SM7e57e0000000000000000000000000a1", "Hi, my sink leaks"));
        assertThat(desk.deliverEvents()).isEqualTo(2);
        assertThat(desk.processNextReply()).isTrue(); // the fallback goes out: message.sent
        assertThat(desk.deliverEvents()).isEqualTo(1);
        assertThat(desk.deliverEvents()).as("each event once").isZero();

        List<JsonNode> bodies = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            RecordedRequest r = take();
            assertThat(r.getMethod()).isEqualTo("POST");
            assertThat(r.getPath()).isEqualTo("/hooks/frontdesk");
            assertThat(r.getHeader("Content-Type")).startsWith("application/json");
            byte[] body = r.getBody().readByteArray();
            String ts = r.getHeader("FrontDesk-Timestamp");
            assertThat(ts).isEqualTo(Long.toString(clock.instant().getEpochSecond()));
            assertThat(EventSignatures.verify(SECRET, r.getHeader("FrontDesk-Signature"), ts, body, Duration.ofMinutes(5)))
                    .as("the signature verifies with EventSignatures").isTrue();
            assertThat(EventSignatures.verify("other", r.getHeader("FrontDesk-Signature"), ts, body, Duration.ofMinutes(5))).isFalse();
            JsonNode json = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            assertThat(r.getHeader("FrontDesk-Event-Id")).isEqualTo(json.get("id").asText()).matches("evt_[0-9a-f]{32}");
            assertThat(json.fieldNames()).toIterable().containsExactly("id", "type", "createdAt", "data");
            bodies.add(json);
        }
        assertThat(bodies).extracting(b -> b.get("type").asText()).containsExactly("lead.created", "message.received", "message.sent");
        JsonNode created = bodies.get(0);
        assertThat(created.get("createdAt").asText()).isEqualTo(clock.instant().toString());
        assertThat(created.get("data").fieldNames()).toIterable().as("no message in lead.* events").containsExactly("lead");
        JsonNode lead = created.get("data").get("lead");
        assertThat(lead.get("id").asLong()).isEqualTo(in.result().lead().id());
        assertThat(lead.get("phoneNumber").asText()).isEqualTo(CUSTOMER);
        assertThat(lead.has("qualification")).isTrue();
        assertThat(lead.has("lastMessage")).as("Lead JSON as the API writes it").isTrue();

        JsonNode received = bodies.get(1).get("data");
        assertThat(received.fieldNames()).toIterable().containsExactly("lead", "message");
        assertThat(received.get("message").get("id").asLong()).isEqualTo(in.result().message().id());
        assertThat(received.get("message").get("body").asText()).isEqualTo("Hi, my sink leaks");
        assertThat(received.get("message").get("direction").asText()).isEqualTo("inbound");
        JsonNode sent = bodies.get(2).get("data").get("message");
        assertThat(sent.get("direction").asText()).isEqualTo("outbound");
        assertThat(sent.get("twilioSid").asText()).isEqualTo(String.format("SM%032d", 1));

        assertThat(desk.events(OutboxEvent.Status.DELIVERED, 10)).hasSize(3);
        assertThat(desk.events(OutboxEvent.Status.PENDING, 10)).isEmpty();
    }

    @Test
    void aStaffTextToANewNumberPostsLeadCreatedAndMessageSent() throws Exception {
        receiver.enqueue(new MockResponse());
        receiver.enqueue(new MockResponse());
        desk(events().build());
        Message m = desk.sendStaffMessage(new StaffMessage(null, "+15557654321", "Your plumber is on the way."));
        assertThat(desk.deliverEvents()).isEqualTo(2);
        assertThat(JSON.readTree(take().getBody().readUtf8()).get("type").asText()).isEqualTo("lead.created");
        JsonNode sent = JSON.readTree(take().getBody().readUtf8());
        assertThat(sent.get("type").asText()).isEqualTo("message.sent");
        assertThat(sent.get("data").get("message").get("id").asLong()).isEqualTo(m.id());
    }

    @Test
    void a500IsRetriedWithBackoffUnderTheSameIdUntilDelivered() throws Exception {
        receiver.enqueue(new MockResponse().setResponseCode(500));
        receiver.enqueue(new MockResponse().setResponseCode(200));
        desk(events().build());
        desk.sendStaffMessage(new StaffMessage(null, "+15557654321", "Hello")); // lead.created, message.sent
        receiver.enqueue(new MockResponse().setResponseCode(200));
        desk.deliverEvents();
        RecordedRequest first = take();
        String id = first.getHeader("FrontDesk-Event-Id");

        OutboxEvent waiting = desk.events(OutboxEvent.Status.PENDING, 10).stream().filter(e -> e.eventId().equals(id)).findFirst()
                .orElseThrow();
        assertThat(waiting.lastError()).isEqualTo("HTTP 500");
        assertThat(waiting.attempts()).isEqualTo(1);
        assertThat(waiting.nextAttemptAt()).as("first retry within 30 s").isAfter(clock.instant())
                .isBefore(clock.instant().plusSeconds(30));
        take(); // message.sent, delivered at once
        assertThat(desk.deliverEvents()).as("not due yet").isZero();

        clock.set(waiting.nextAttemptAt());
        assertThat(desk.deliverEvents()).isEqualTo(1);
        RecordedRequest retry = take();
        assertThat(retry.getHeader("FrontDesk-Event-Id")).as("same id on the retry").isEqualTo(id);
        byte[] retried = retry.getBody().readByteArray();
        assertThat(JSON.readTree(retried).get("id").asText()).isEqualTo(id);
        assertThat(EventSignatures.verify(SECRET, retry.getHeader("FrontDesk-Signature"), retry.getHeader("FrontDesk-Timestamp"),
                retried, Duration.ofMinutes(5), clock)).as("signed anew at the retry's time").isTrue();
        assertThat(desk.events(OutboxEvent.Status.DELIVERED, 10)).extracting(OutboxEvent::eventId).contains(id);
        assertThat(desk.events(OutboxEvent.Status.PENDING, 10)).isEmpty();
    }

    @Test
    void aReceiverThatDoesNotAnswerInTimeIsRetriedUnderTheSameId() throws Exception {
        receiver.enqueue(new MockResponse().setHeadersDelay(3, TimeUnit.SECONDS));
        receiver.enqueue(new MockResponse());
        desk(events().readTimeout(Duration.ofMillis(500)).build());
        desk.receiveInbound(sms("SM7e57e0000000000000000000000000b1", "hi"));
        long started = System.nanoTime();
        assertThat(desk.deliverEvents()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the read timeout cut the wait short").isLessThan(Duration.ofSeconds(3));
        String timedOut = take().getHeader("FrontDesk-Event-Id");
        take();
        OutboxEvent waiting = desk.events(OutboxEvent.Status.PENDING, 10).get(0);
        assertThat(waiting.eventId()).isEqualTo(timedOut);
        assertThat(waiting.lastError()).startsWith("timed out");

        receiver.enqueue(new MockResponse());
        clock.advance(Duration.ofSeconds(30));
        assertThat(desk.deliverEvents()).isEqualTo(1);
        assertThat(take().getHeader("FrontDesk-Event-Id")).isEqualTo(timedOut);
        assertThat(desk.events(OutboxEvent.Status.DELIVERED, 10)).hasSize(2);
    }

    @Test
    void anEventStillRefusedAfter24HoursIsFailed() throws Exception {
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(503);
            }
        });
        desk(events().build());
        desk.receiveInbound(sms("SM7e57e0000000000000000000000000c1", "hi"));
        Instant start = clock.instant();
        for (int round = 0; round < 200 && desk.events(OutboxEvent.Status.FAILED, 10).size() < 2; round++) {
            desk.deliverEvents();
            clock.advance(Duration.ofMinutes(30));
        }
        List<OutboxEvent> failed = desk.events(OutboxEvent.Status.FAILED, 10);
        assertThat(failed).hasSize(2);
        assertThat(failed).allSatisfy(e -> {
            assertThat(e.lastError()).isEqualTo("HTTP 503");
            assertThat(e.nextAttemptAt()).isNull();
            assertThat(e.attempts()).isGreaterThan(5);
        });
        assertThat(clock.instant()).as("retried for 24 hours, not longer than a day and an hour")
                .isAfter(start.plus(Duration.ofHours(23))).isBefore(start.plus(Duration.ofHours(26)));
        int requests = receiver.getRequestCount();
        clock.advance(Duration.ofDays(3));
        assertThat(desk.deliverEvents()).isZero();
        assertThat(receiver.getRequestCount()).isEqualTo(requests);
    }

    @Test
    void aPrivateAddressIsRefusedWithoutTheFlag() throws Exception {
        desk(EventWebhooks.builder().url(receiver.url("/hooks").toString()).secret(SECRET).build());
        desk.receiveInbound(sms("SM7e57e0000000000000000000000000d1", "hi"));
        assertThat(desk.deliverEvents()).isEqualTo(2);
        assertThat(receiver.getRequestCount()).as("nothing reached the loopback receiver").isZero();
        assertThat(desk.events(OutboxEvent.Status.PENDING, 10)).allSatisfy(e ->
                assertThat(e.lastError()).contains("private or local address").contains("EVENTS_ALLOW_PRIVATE=true"));
    }

    @Test
    void aHostNameThatResolvesToAPrivateAddressIsRefusedBeforeConnecting() throws Exception {
        desk(EventWebhooks.builder().url("http://localhost:" + receiver.getPort() + "/hooks").secret(SECRET).build());
        desk.receiveInbound(sms("SM7e57e0000000000000000000000000d2", "hi"));
        desk.deliverEvents();
        assertThat(receiver.getRequestCount()).isZero();
        assertThat(desk.events(OutboxEvent.Status.PENDING, 10)).allSatisfy(e -> assertThat(e.lastError()).contains("EVENTS_ALLOW_PRIVATE"));
    }

    @Test
    void aRedirectIsNotFollowed() throws Exception {
        MockWebServer inner = new MockWebServer();
        inner.start();
        try {
            receiver.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", inner.url("/internal").toString()));
            receiver.enqueue(new MockResponse().setResponseCode(307).setHeader("Location", inner.url("/internal").toString()));
            desk(events().build());
            desk.receiveInbound(sms("SM7e57e0000000000000000000000000d3", "hi"));
            desk.deliverEvents();
            assertThat(inner.getRequestCount()).isZero();
            assertThat(desk.events(OutboxEvent.Status.PENDING, 10)).allSatisfy(e -> assertThat(e.lastError()).startsWith("HTTP 307"));
        } finally {
            inner.shutdown();
        }
    }

    @Test
    void aWebhookAndAReplyGoOnWhileTheReceiverHangs() throws Exception {
        CountDownLatch hanging = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        receiver.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
                hanging.countDown();
                release.await(30, TimeUnit.SECONDS);
                return new MockResponse();
            }
        });
        FrontDesk d = FrontDesk.builder().replySettle(Duration.ZERO)
                .config(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false).build())
                .repository(repo).gateway(gateway).clock(Clock.system(ZoneOffset.UTC))
                .events(events().readTimeout(Duration.ofSeconds(20)).build()).build();
        desk = d;
        d.start();
        try {
            d.receiveInbound(sms("SM7e57e0000000000000000000000000e1", "first"));
            assertThat(hanging.await(10, TimeUnit.SECONDS)).as("the delivery thread is stuck in the receiver").isTrue();
            long started = System.nanoTime();
            InboundReceipt second = d.receiveInbound(sms("SM7e57e0000000000000000000000000e2", "second"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the webhook does not wait").isLessThan(Duration.ofSeconds(1));
            assertThat(second.result().duplicate()).isFalse();
            assertThat(gateway.awaitSent(1, 10_000)).as("the reply goes out while the receiver hangs").isNotEmpty();
            assertThat(hanging.getCount()).isZero();
            assertThat(release.getCount()).as("the receiver still has not answered").isEqualTo(1);
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStoreWithoutAnOutboxRefusesToStartWithEvents() {
        LeadRepository foreign = new LeadRepository() {
            @Override
            public dev.frontdesk.sms.InboundResult recordInbound(dev.frontdesk.sms.InboundSms sms, dev.frontdesk.sms.Keyword keyword,
                    Instant now, Duration replyDelay) {
                return repo.recordInbound(sms, keyword, now, replyDelay);
            }

            @Override
            public boolean recordOtherSender(dev.frontdesk.sms.OtherSenderMessage message, Instant now) {
                return repo.recordOtherSender(message, now);
            }

            @Override
            public dev.frontdesk.sms.MissedCallResult recordMissedCall(dev.frontdesk.sms.PhoneNumber caller, String called, String callSid, Instant now) {
                return repo.recordMissedCall(caller, called, callSid, now);
            }

            @Override
            public void checkAvailable() {
            }

            @Override
            public LeadStore leads() {
                return repo.leads();
            }

            @Override
            public MessageStore messages() {
                return repo.messages();
            }

            @Override
            public UsageLedger usage() {
                return repo.usage();
            }

            @Override
            public ReplyQueue replyQueue() {
                return repo.replyQueue();
            }
        };
        assertThatThrownBy(() -> desk(events().build(), foreign)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EVENTS_WEBHOOK_URL").hasMessageContaining("no event outbox");
        desk = null;
    }

    @Test
    void withoutEventWebhooksNothingIsRecorded() {
        desk = FrontDesk.builder().replySettle(Duration.ZERO)
                .config(FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false).build())
                .repository(repo).gateway(gateway).clock(clock).build();
        desk.receiveInbound(sms("SM7e57e0000000000000000000000000f1", "hi"));
        assertThat(desk.deliverEvents()).isZero();
        assertThat(repo.events().list(OutboxEvent.Status.PENDING, 10)).isEmpty();
        assertThat(receiver.getRequestCount()).isZero();
    }
}
