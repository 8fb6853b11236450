package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, "Abuse and cost": a flood of texts does not become a flood of AI calls or SMS, and staff sends
 * are capped per minute. Time moves only by the injected clock.
 */
class AbuseCapsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String BUSINESS = "+15550001111";
    private static final String FALLBACK = "Thanks! A person will text you back soon.";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryLeadRepository repo = new InMemoryLeadRepository();
    private final RecordingGateway gateway = new RecordingGateway();
    private final AtomicInteger aiCalls = new AtomicInteger();
    private FrontDesk desk;
    private int sid;

    @AfterEach
    void close() {
        if (desk != null) {
            desk.close();
        }
    }

    private FrontDesk desk(int perLead, int global, int outboundPerMinute) {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false).businessName("Acme Plumbing").fallbackReply(FALLBACK)
                .aiRepliesPerLeadPerHour(perLead).aiRepliesPerHour(global).outboundPerMinute(outboundPerMinute)
                .build();
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                .replyGenerator(request -> "AI reply " + aiCalls.incrementAndGet()).build();
        return desk;
    }

    private InboundReceipt text(String from, String body) {
        return desk.receiveInbound(TwilioWebhooks.inboundSms(
                Map.of("MessageSid", String.format("SMa%031d", ++sid), "From", from, "To", BUSINESS, "Body", body), "US"));
    }

    private int drain() {
        int jobs = 0;
        while (desk.processNextReply()) {
            jobs++;
        }
        return jobs;
    }

    private static String customer(int i) {
        return String.format("+1555200%04d", i);
    }

    // ------------------------------------------------------------------ answered together

    @Test
    void textsArrivingWhileAReplyIsPendingAreAnsweredTogetherByOneReply() {
        desk(20, 1000, 60);
        for (int i = 0; i < 5; i++) {
            text(customer(1), "message " + i);
        }

        assertThat(drain()).as("every job is finished").isEqualTo(5);
        assertThat(aiCalls.get()).as("one AI call for the burst").isEqualTo(1);
        assertThat(gateway.sent()).singleElement().satisfies(sms -> assertThat(sms.body()).isEqualTo("AI reply 1"));
        assertThat(repo.replyQueue().pendingCount()).isZero();
    }

    @Test
    void theOneReplyIsWrittenFromTheWholeBurst() {
        FrontDeskConfig config = FrontDeskConfig.builder()
                .twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false).businessName("Acme").build();
        java.util.List<ReplyRequest> seen = new java.util.ArrayList<>();
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                .replyGenerator(r -> {
                    seen.add(r);
                    return "ok";
                }).build();
        text(customer(1), "my sink leaks");
        text(customer(1), "also the toilet");
        text(customer(1), "I'm at 12 Elm St");
        drain();

        assertThat(seen).singleElement().satisfies(r -> assertThat(r.conversation()).extracting(Message::body)
                .containsExactly("my sink leaks", "also the toilet", "I'm at 12 Elm St"));
    }

    @Test
    void differentLeadsAreNotFoldedTogether() {
        desk(20, 1000, 60);
        text(customer(1), "hi");
        text(customer(2), "hello");
        text(customer(1), "anyone?");

        drain();

        assertThat(aiCalls.get()).isEqualTo(2);
        assertThat(gateway.sent()).extracting(s -> s.to().value()).containsExactlyInAnyOrder(customer(1), customer(2));
    }

    @Test
    void aTextAfterTheReplyWentOutGetsItsOwnReply() {
        desk(20, 1000, 60);
        text(customer(1), "hi");
        drain();
        text(customer(1), "thanks, and when can you come?");
        drain();

        assertThat(aiCalls.get()).isEqualTo(2);
        assertThat(gateway.sent()).hasSize(2);
    }

    // ------------------------------------------------------------------ per-lead cap: silence

    @Test
    void aLeadOverItsHourlyCapGetsSilenceLoggedOnceAndRepliesResumeAfterTheHour() {
        desk(3, 1000, 60);
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 0; i < 10; i++) {
                text(customer(1), "flood " + i);
                drain();
                clock.advance(Duration.ofMinutes(1));
            }

            assertThat(aiCalls.get()).isEqualTo(3);
            assertThat(gateway.sent()).hasSize(3);
            assertThat(logs.linesContaining("AI_REPLIES_PER_LEAD_PER_HOUR")).as("logged once, not per message").isEqualTo(1);
            assertThat(logs.text()).doesNotContain(customer(1));
        }
        assertThat(repo.messages().history(1, 100)).filteredOn(m -> m.direction() == Direction.INBOUND).as("every text is still stored").hasSize(10);

        clock.advance(Duration.ofHours(1));
        text(customer(1), "back again");
        drain();
        assertThat(aiCalls.get()).isEqualTo(4);
    }

    @Test
    void oneLeadOverItsCapDoesNotSilenceOthers() {
        desk(2, 1000, 60);
        for (int i = 0; i < 4; i++) {
            text(customer(1), "flood " + i);
            drain();
        }
        text(customer(2), "a normal customer");
        drain();

        assertThat(gateway.sent()).filteredOn(s -> s.to().value().equals(customer(2))).hasSize(1);
        assertThat(gateway.sent()).filteredOn(s -> s.to().value().equals(customer(1))).hasSize(2);
    }

    // ------------------------------------------------------------------ global cap: fallback without AI

    @Test
    void pastTheGlobalHourlyCapCustomersGetTheFallbackWithoutAnAiCallLoggedOnce() {
        desk(20, 3, 60);
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 1; i <= 6; i++) {
                text(customer(i), "hello");
                drain();
            }

            assertThat(aiCalls.get()).isEqualTo(3);
            assertThat(gateway.sent()).hasSize(6);
            assertThat(gateway.sent().subList(3, 6)).extracting(OutboundSms::body).containsOnly(FALLBACK);
            assertThat(logs.linesContaining("AI_REPLIES_PER_HOUR")).isEqualTo(1);
        }

        clock.advance(Duration.ofMinutes(61));
        text(customer(9), "hello");
        drain();
        assertThat(aiCalls.get()).as("the AI is called again after the hour").isEqualTo(4);
    }

    @Test
    void capsAreCountedFromTheStoreSoTheyHoldAcrossInstances() {
        desk(2, 1000, 60);
        FrontDesk other = FrontDesk.builder().replySettle(Duration.ZERO).config(desk.config()).repository(repo).gateway(gateway).clock(clock)
                .replyGenerator(request -> "AI reply " + aiCalls.incrementAndGet()).build();
        try {
            text(customer(1), "one");
            desk.processNextReply();
            text(customer(1), "two");
            other.processNextReply();
            text(customer(1), "three");
            other.processNextReply();
            text(customer(1), "four");
            desk.processNextReply();
        } finally {
            other.close();
        }
        assertThat(aiCalls.get()).isEqualTo(2);
    }

    // ------------------------------------------------------------------ counted once per answered job

    @Test
    void aJobReleasedAtShutdownIsCountedOnceAndItsOwnNoteDoesNotSilenceIt() throws Exception {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false).businessName("Acme Plumbing").fallbackReply(FALLBACK)
                .aiTimeout(Duration.ofSeconds(60)).aiRepliesPerLeadPerHour(1).build();
        java.util.concurrent.CountDownLatch asked = new java.util.concurrent.CountDownLatch(1);
        FrontDesk stopping = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                
                .replyGenerator(request -> {
                    asked.countDown();
                    try {
                        new java.util.concurrent.CountDownLatch(1).await(); // a model that never answers
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "too late";
                }).build();
        stopping.receiveInbound(TwilioWebhooks.inboundSms(
                Map.of("MessageSid", String.format("SMa%031d", ++sid), "From", customer(1), "To", BUSINESS, "Body", "hi"), "US"));
        stopping.start();
        assertThat(asked.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        stopping.close(); // releases the job waiting for the model

        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                .replyGenerator(request -> "AI reply " + aiCalls.incrementAndGet()).build();
        assertThat(drain()).isEqualTo(1);

        assertThat(gateway.sent()).as("answered by the next instance despite the cap of 1")
                .extracting(OutboundSms::body).containsExactly("AI reply 1");
        long leadId = repo.leads().findLeadByPhone(new PhoneNumber(customer(1))).orElseThrow().id();
        assertThat(repo.usage().countAutoReplies(leadId, false, T0.minusSeconds(1))).as("one answered job, one note").isEqualTo(1);
    }

    @Test
    void aJobRetriedAfterItFailedBeforeItsReplyWasRecordedIsCountedOnce() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(true).businessName("Acme Plumbing").fallbackReply(FALLBACK)
                .aiRepliesPerLeadPerHour(1).build();
        gateway.verify(customer(1));
        AtomicInteger lookups = new AtomicInteger();
        SmsGateway flaky = new SmsGateway() {
            @Override
            public SendResult send(OutboundSms sms) {
                return gateway.send(sms);
            }

            @Override
            public boolean isVerified(PhoneNumber number) {
                if (lookups.incrementAndGet() == 1) {
                    throw new IllegalStateException("Twilio's verified caller IDs could not be read");
                }
                return gateway.isVerified(number);
            }
        };
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(flaky).clock(clock)
                .replyGenerator(request -> "AI reply " + aiCalls.incrementAndGet()).build();
        text(customer(1), "hi");

        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).as("the first run failed before the send").isEmpty();
        clock.advance(Duration.ofMinutes(2)); // past the retry's backoff
        assertThat(drain()).isEqualTo(1);

        assertThat(gateway.sent()).as("the retry answers despite the cap of 1").hasSize(1);
        assertThat(repo.usage().countAutoReplies(null, false, T0.minusSeconds(1))).as("one answered job, one note").isEqualTo(1);
    }

    // ------------------------------------------------------------------ automatic texts in all, per hour

    /** Counts {@link FrontDeskMetrics#replySkipped} by reason. */
    private static final class SkipCounter implements FrontDeskMetrics {
        final Map<String, AtomicInteger> skipped = new java.util.concurrent.ConcurrentHashMap<>();

        @Override
        public void replySkipped(String reason) {
            skipped.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        int count(String reason) {
            AtomicInteger n = skipped.get(reason);
            return n == null ? 0 : n.get();
        }
    }

    private FrontDesk fallbackOnlyDesk(FrontDeskConfig config, FrontDeskMetrics metrics) {
        return FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                .metrics(metrics).build(); // no reply generator: every automatic text is the fallback
    }

    @Test
    void pastAutoRepliesPerHourNewNumbersGetNoTextAcrossInstancesLoggedOnceAndCounted() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false).businessName("Acme Plumbing").fallbackReply(FALLBACK).autoRepliesPerHour(5).build();
        SkipCounter metrics = new SkipCounter();
        desk = fallbackOnlyDesk(config, metrics);
        FrontDesk other = fallbackOnlyDesk(config, metrics);
        try (LogCapture logs = LogCapture.start()) {
            for (int i = 1; i <= 12; i++) {
                text(customer(i), "hello");
                (i % 2 == 0 ? other : desk).processNextReply();
                clock.advance(Duration.ofSeconds(1));
            }

            assertThat(gateway.sent()).as("exactly the cap, fallbacks included, over both instances").hasSize(5)
                    .extracting(OutboundSms::body).containsOnly(FALLBACK);
            assertThat(logs.linesContaining("AUTO_REPLIES_PER_HOUR")).as("logged once per instance, not per text").isEqualTo(2);
        } finally {
            other.close();
        }
        assertThat(metrics.count("auto_cap")).isEqualTo(7);
        assertThat(repo.leads().listLeads(100)).as("every customer is stored").hasSize(12);
        assertThat(repo.replyQueue().pendingCount()).as("the jobs over the cap are done, not left waiting").isZero();

        clock.advance(Duration.ofMinutes(61));
        text(customer(20), "an hour later");
        drain();
        assertThat(gateway.sent()).hasSize(6);
    }

    // ------------------------------------------------------------------ REPLY_COUNTRIES

    @Test
    void aNumberOutsideReplyCountriesIsStoredAndNotAnsweredButStaffCanStillTextIt() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false).businessName("Acme Plumbing").fallbackReply(FALLBACK)
                .replyCountries(java.util.Set.of("US", "CA")).build();
        SkipCounter metrics = new SkipCounter();
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway).clock(clock)
                .metrics(metrics).replyGenerator(request -> "AI reply " + aiCalls.incrementAndGet()).build();
        sid = 1000; // MessageSids apart from the gateway's SIDs, which the staff send below stores
        java.util.List<String> abroad = java.util.List.of("+447700900123", "+882160000000", "+2348031234567", "+96550012345");
        try (LogCapture logs = LogCapture.start()) {
            for (String number : abroad) {
                text(number, "hello from abroad");
            }
            text("+16135550123", "hello from Ottawa");
            text(customer(1), "hello from +1555");
            drain();

            assertThat(logs.linesContaining("REPLY_COUNTRIES")).as("one line, not one per text").isEqualTo(1);
            assertThat(logs.text()).doesNotContain("+447700900123");
        }

        assertThat(gateway.sent()).extracting(s -> s.to().value()).containsExactlyInAnyOrder("+16135550123", customer(1));
        assertThat(aiCalls.get()).as("no AI call for the others").isEqualTo(2);
        assertThat(metrics.count("region")).isEqualTo(4);
        for (String number : abroad) {
            Lead lead = repo.leads().findLeadByPhone(new PhoneNumber(number)).orElseThrow();
            assertThat(repo.messages().history(lead.id(), 10)).as(number + " is stored").extracting(Message::body).containsExactly("hello from abroad");
        }
        assertThat(repo.replyQueue().pendingCount()).isZero();

        desk.sendStaffMessage(new StaffMessage(null, "+447700900123", "Hi, we only work in Canada and the US", true));
        assertThat(gateway.sent()).as("staff may still text them").hasSize(3);
    }

    // ------------------------------------------------------------------ one answer per burst, written after it

    /** A generator that remembers what it was asked and when (by the injected clock). */
    private final java.util.List<ReplyRequest> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final java.util.List<Instant> askedAt = new java.util.concurrent.CopyOnWriteArrayList<>();

    private FrontDesk burstDesk() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false).businessName("Acme Plumbing").fallbackReply(FALLBACK).build();
        // The default settle (2 s of quiet) and limit (5 s from the first unanswered text).
        return FrontDesk.builder().config(config).repository(repo).gateway(gateway).clock(clock)
                .replyGenerator(request -> {
                    asked.add(request);
                    askedAt.add(clock.instant());
                    return "AI reply " + aiCalls.incrementAndGet();
                }).build();
    }

    @Test
    void thirtyBackToBackTextsGetExactlyOneReplyWrittenAfterTheLastAndSeeingIt() {
        desk = burstDesk();
        Instant last = null;
        for (int i = 1; i <= 30; i++) {
            text(customer(1), "text " + i);
            last = clock.instant();
            drain(); // a worker takes each job as soon as it is enqueued, as the woken workers do
            clock.advance(Duration.ofMillis(100));
        }
        assertThat(gateway.sent()).as("nothing while the texts keep coming").isEmpty();

        clock.set(last.plus(FrontDesk.DEFAULT_REPLY_SETTLE));
        drain();

        assertThat(gateway.sent()).as("one answer for the burst").singleElement()
                .satisfies(sms -> assertThat(sms.body()).isEqualTo("AI reply 1"));
        assertThat(asked).singleElement().satisfies(r -> assertThat(r.conversation()).last()
                .satisfies(m -> assertThat(m.body()).isEqualTo("text 30")));
        assertThat(askedAt.get(0)).as("written after the burst ended").isAfterOrEqualTo(last.plus(FrontDesk.DEFAULT_REPLY_SETTLE));
        assertThat(repo.replyQueue().pendingCount()).isZero();
    }

    @Test
    void aBurstThatGoesOnIsStillAnsweredWithinTheSettleLimitOfItsFirstUnansweredText() {
        desk = burstDesk();
        Instant first = clock.instant();
        for (int i = 1; i <= 12; i++) { // a text every second for 12 s: never 2 s of quiet
            text(customer(1), "text " + i);
            drain();
            clock.advance(Duration.ofSeconds(1));
        }
        clock.advance(FrontDesk.DEFAULT_REPLY_SETTLE);
        drain();

        assertThat(askedAt).as("answered while it goes on, each within the limit").hasSize(2);
        assertThat(askedAt.get(0)).isBeforeOrEqualTo(first.plus(FrontDesk.DEFAULT_REPLY_SETTLE_LIMIT));
        assertThat(askedAt.get(1)).as("the second from the first text after the first answer")
                .isBeforeOrEqualTo(first.plusSeconds(6).plus(FrontDesk.DEFAULT_REPLY_SETTLE_LIMIT));
        assertThat(asked.get(1).conversation()).last().satisfies(m -> assertThat(m.body()).isEqualTo("text 12"));
        assertThat(gateway.sent()).hasSize(2);
    }

    @Test
    void aSingleTextIsAnsweredOnceTheSettleTimeHasPassed() {
        desk = burstDesk();
        text(customer(1), "my sink leaks");
        drain();
        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.replyQueue().nextDueAt(clock.instant())).as("a worker wakes for it")
                .contains(clock.instant().plus(FrontDesk.DEFAULT_REPLY_SETTLE));

        clock.advance(FrontDesk.DEFAULT_REPLY_SETTLE);
        drain();
        assertThat(gateway.sent()).hasSize(1);
    }

    // ------------------------------------------------------------------ staff outbound per minute

    @Test
    void staffMessagesPastThePerMinuteCapAreRefusedBeforeAnythingIsStored() {
        desk(20, 1000, 3);
        for (int i = 0; i < 3; i++) {
            desk.sendStaffMessage(new StaffMessage(null, customer(1), "update " + i));
        }
        int leadsBefore = repo.leads().listLeads(100).size();

        try (LogCapture logs = LogCapture.start()) {
            assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, customer(2), "one more")))
                    .isInstanceOfSatisfying(RateLimitedException.class, e -> {
                        assertThat(e.code()).isEqualTo("rate_limited");
                        assertThat(e.getMessage()).contains("OUTBOUND_PER_MINUTE");
                        assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1));
                    });
            assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, customer(1), "and another")))
                    .isInstanceOf(RateLimitedException.class);
            assertThat(logs.linesContaining("OUTBOUND_PER_MINUTE")).isEqualTo(1);
        }
        assertThat(gateway.sent()).hasSize(3);
        assertThat(repo.leads().listLeads(100)).as("no lead created by a refused send").hasSize(leadsBefore);

        clock.advance(Duration.ofSeconds(61));
        desk.sendStaffMessage(new StaffMessage(null, customer(2), "a minute later"));
        assertThat(gateway.sent()).hasSize(4);
    }

    @Test
    void automaticRepliesDoNotCountAgainstTheStaffCap() {
        desk(20, 1000, 1);
        text(customer(1), "hi");
        drain();
        desk.sendStaffMessage(new StaffMessage(null, customer(1), "staff here"));
        assertThat(gateway.sent()).hasSize(2);
    }
}
