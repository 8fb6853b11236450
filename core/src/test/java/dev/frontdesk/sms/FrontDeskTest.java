package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.internal.ReplyWriter;
import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FrontDeskTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final String CUSTOMER = "+15551234567";
    private static final String BUSINESS = "+15550001111";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryLeadRepository repo = new InMemoryLeadRepository();
    private final RecordingGateway gateway = new RecordingGateway().verify(CUSTOMER);
    private final List<ReplyRequest> aiRequests = new ArrayList<>();
    private FrontDesk desk;

    @AfterEach
    void close() {
        if (desk != null) {
            desk.close();
        }
    }

    private FrontDeskConfig.Builder config() {
        return FrontDeskConfig.builder()
                .twilioPhoneNumber(new PhoneNumber(BUSINESS))
                .twilioTestMode(false)
                .businessName("Acme Plumbing")
                .publicBaseUrl("https://abc123.ngrok.io")
                .fallbackReply("Thanks! A person will text you back soon.");
    }

    private FrontDesk desk(FrontDeskConfig config, ReplyGenerator generator) {
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway)
                .replyGenerator(generator).clock(clock).build();
        return desk;
    }

    private FrontDesk deskAnswering(String reply) {
        return desk(config().build(), request -> {
            synchronized (aiRequests) {
                aiRequests.add(request);
            }
            return reply;
        });
    }

    private static InboundSms sms(String sid, String from, String body) {
        return TwilioWebhooks.inboundSms(Map.of("MessageSid", sid, "From", from, "To", BUSINESS, "Body", body), "US");
    }

    // ------------------------------------------------------------------ inbound and AI reply

    @Test
    void anInboundTextIsRecordedAndAnsweredByTheWorker() {
        deskAnswering("Sorry to hear that! What's the address?");
        InboundReceipt receipt = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "Hi, I need help with my plumbing issue"));

        assertThat(receipt.result().replyJobId()).isNotNull();
        assertThat(gateway.sent()).as("no send on the webhook thread").isEmpty();
        assertThat(desk.processNextReply()).isTrue();

        assertThat(gateway.sent()).singleElement().satisfies(out -> {
            assertThat(out.to().value()).isEqualTo(CUSTOMER);
            assertThat(out.body()).isEqualTo("Sorry to hear that! What's the address?");
            assertThat(out.from()).isEqualTo(BUSINESS);
            assertThat(out.statusCallback()).isEqualTo("https://abc123.ngrok.io/api/twilio/sms/status");
        });
        List<Message> history = desk.history(receipt.result().lead().id(), 50);
        assertThat(history).extracting(Message::direction).containsExactly(Direction.INBOUND, Direction.OUTBOUND);
        Message reply = history.get(1);
        assertThat(reply.twilioSid()).startsWith("SM");
        assertThat(reply.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(reply.numSegments()).isEqualTo(1);
        assertThat(reply.sentAt()).isEqualTo(T0);
        assertThat(repo.replyQueue().pendingCount()).isZero();

        ReplyRequest asked = aiRequests.get(0);
        assertThat(asked.business().name()).isEqualTo("Acme Plumbing");
        assertThat(asked.conversation()).extracting(Message::body).containsExactly("Hi, I need help with my plumbing issue");
        assertThat(asked.deadline()).isEqualTo(T0.plusSeconds(20));
    }

    @Test
    void theOutputCheckRunsOncePerReplyInTheGeneratorThatSaysItChecks() {
        // A link fails the output check. A generator that checks its own replies (OpenAiReplyGenerator checks the
        // model's text before fitting it) is not checked a second time by the front desk.
        String linked = "Book online at acme-plumbing.example.com today!";
        desk(config().build(), new ReplyGenerator() {
            @Override
            public String generateReply(ReplyRequest request) {
                return linked;
            }

            @Override
            public boolean checksReplies() {
                return true;
            }
        });
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        assertThat(desk.processNextReply()).isTrue();

        assertThat(gateway.sent()).singleElement().satisfies(out -> assertThat(out.body()).isEqualTo(linked));
    }

    @Test
    void theFrontDeskChecksTheRepliesOfAGeneratorThatDoesNotCheckThem() {
        deskAnswering("Book online at acme-plumbing.example.com today!");
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        assertThat(desk.processNextReply()).isTrue();

        assertThat(gateway.sent()).singleElement().satisfies(out -> assertThat(out.body()).isEqualTo("Thanks! A person will text you back soon."));
    }

    @Test
    void aRepeatedMessageSidGetsOneReply() {
        deskAnswering("Hello!");
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        InboundReceipt again = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));

        assertThat(again.result().duplicate()).isTrue();
        assertThat(desk.processNextReply()).isTrue();
        assertThat(desk.processNextReply()).isFalse();
        assertThat(gateway.sent()).hasSize(1);
    }

    @Test
    void aRepeatedMessageSidFromTwoThreadsAtOnceGetsOneReply() throws Exception {
        deskAnswering("Hello!");
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        List<InboundReceipt> receipts = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 2; i++) {
            Thread t = new Thread(() -> {
                try {
                    go.await();
                    receipts.add(desk.receiveInbound(sms("SM7e57129ce50dd90bf244858763d3f109", CUSTOMER, "hi")));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            t.start();
            threads.add(t);
        }
        go.countDown();
        for (Thread t : threads) {
            t.join(10_000);
        }
        assertThat(receipts).hasSize(2).filteredOn(r -> r.result().duplicate()).hasSize(1);
        while (desk.processNextReply()) {
            // drain
        }
        assertThat(gateway.sent()).hasSize(1);
    }

    @Test
    void theFallbackReplyGoesOutWhenTheGeneratorThrows() {
        desk(config().build(), request -> {
            throw new IllegalStateException("OpenAI answered 500");
        });
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();
        assertThat(gateway.sent()).extracting(OutboundSms::body).containsExactly("Thanks! A person will text you back soon.");
    }

    @Test
    void theFallbackReplyGoesOutWhenTheGeneratorTimesOut() {
        CountDownLatch interrupted = new CountDownLatch(1);
        desk(config().aiTimeout(Duration.ofMillis(200)).build(), request -> {
            try {
                new CountDownLatch(1).await(); // blocks until cancelled
            } catch (InterruptedException e) {
                interrupted.countDown();
            }
            return "too late";
        });
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();
        assertThat(gateway.sent()).extracting(OutboundSms::body).containsExactly("Thanks! A person will text you back soon.");
        assertThat(awaitQuietly(interrupted)).as("the slow call is cancelled").isTrue();
    }

    @Test
    void afterRepeatedGeneratorFailuresTheFallbackGoesOutWithoutAskingUntilThePauseEnds() {
        java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
        desk(config().build(), request -> {
            if (calls.incrementAndGet() <= ReplyWriter.FAILURES_BEFORE_PAUSE) {
                throw new IllegalStateException("OpenAI answered 503");
            }
            return "We're back!";
        });
        for (int i = 1; i <= ReplyWriter.FAILURES_BEFORE_PAUSE + 2; i++) {
            desk.receiveInbound(sms(TestSids.sms(i), "+1555123400" + i, "hi"));
            desk.processNextReply();
        }
        assertThat(calls.get()).as("paused after the failures in a row").isEqualTo(ReplyWriter.FAILURES_BEFORE_PAUSE);
        assertThat(gateway.sent()).extracting(OutboundSms::body).containsOnly("Thanks! A person will text you back soon.")
                .hasSize(ReplyWriter.FAILURES_BEFORE_PAUSE + 2);

        clock.advance(ReplyWriter.PAUSE.plusSeconds(1));
        desk.receiveInbound(sms("SM7e570000000000000000000000000099", "+15551234099", "hi"));
        desk.processNextReply();
        assertThat(gateway.sent().get(gateway.sent().size() - 1).body()).isEqualTo("We're back!");
    }

    @Test
    void closeReleasesAJobWaitingForTheGeneratorAtOnceWithoutSending() throws Exception {
        CountDownLatch asked = new CountDownLatch(1);
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config().aiTimeout(Duration.ofSeconds(60)).build()).repository(repo).gateway(gateway)
                .replyGenerator(request -> {
                    asked.countDown();
                    try {
                        new CountDownLatch(1).await(); // a model that never answers
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return "too late";
                })
                .clock(clock).lease(Duration.ofSeconds(30)).shutdownTimeout(Duration.ofSeconds(20)).build();
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.start();
        assertThat(asked.await(10, TimeUnit.SECONDS)).isTrue();

        long t0 = System.nanoTime();
        desk.close();
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).as("close does not wait for the generator").isLessThan(Duration.ofSeconds(5));
        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.replyQueue().pendingCount()).isEqualTo(1);
        assertThat(repo.replyQueue().claim("other-instance", Duration.ofSeconds(30), clock.instant()))
                .as("released, not left to its lease").isPresent();
    }

    @Test
    void theFallbackReplyGoesOutWhenTheGeneratorSaysNothing() {
        deskAnswering("   ");
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();
        assertThat(gateway.sent()).extracting(OutboundSms::body).containsExactly("Thanks! A person will text you back soon.");
    }

    @Test
    void withoutAiEveryCustomerGetsTheFallbackReply() {
        desk(config().build(), ReplyGenerator.NONE);
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();
        assertThat(gateway.sent()).extracting(OutboundSms::body).containsExactly("Thanks! A person will text you back soon.");
    }

    @Test
    void anOptedOutLeadGetsNoAiReply() {
        deskAnswering("Hello!");
        InboundReceipt stop = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "STOP"));
        InboundReceipt later = desk.receiveInbound(sms("SM7e570000000000000000000000000002", CUSTOMER, "Actually, can you come today?"));

        assertThat(stop.keyword()).isEqualTo(Keyword.OPT_OUT);
        assertThat(later.result().lead().smsOptOut()).isTrue();
        assertThat(later.result().replyJobId()).isNull();
        assertThat(desk.processNextReply()).isFalse();
        assertThat(gateway.sent()).isEmpty();
        assertThat(aiRequests).isEmpty();
    }

    @Test
    void aLeadWhoOptsOutWhileAReplyIsQueuedGetsNoReply() {
        deskAnswering("Hello!");
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.receiveInbound(sms("SM7e570000000000000000000000000002", CUSTOMER, "stop"));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.replyQueue().pendingCount()).isZero();
    }

    @Test
    void keywordsGetNoAiReplyAndHelpMayAnswerWithTheConfiguredText() {
        desk(config().helpReply("Acme Plumbing: call +15550001111. Reply STOP to opt out.").build(), request -> "AI");
        InboundReceipt help = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "HELP"));
        InboundReceipt start = desk.receiveInbound(sms("SM7e570000000000000000000000000002", CUSTOMER, "start"));

        assertThat(help.keyword()).isEqualTo(Keyword.HELP);
        assertThat(help.immediateReply()).contains("Acme Plumbing: call +15550001111. Reply STOP to opt out.");
        assertThat(start.immediateReply()).isEmpty();
        assertThat(desk.processNextReply()).isFalse();
        assertThat(gateway.sent()).isEmpty();
    }

    @Test
    void helpStaysSilentByDefault() {
        deskAnswering("AI");
        assertThat(desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "info")).immediateReply()).isEmpty();
    }

    @Test
    void inTestModeAnAiReplyToAnUnverifiedNumberIsStoredAsFailedAndNotSent() {
        desk(config().twilioTestMode(true).build(), request -> "Hello!");
        InboundReceipt r = desk.receiveInbound(sms("SM7e570000000000000000000000000001", "+15559876543", "hi"));
        desk.processNextReply();

        assertThat(gateway.sent()).isEmpty();
        Message reply = desk.history(r.result().lead().id(), 10).get(1);
        assertThat(reply.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(reply.errorCode()).isEqualTo("unverified_number");
        assertThat(reply.body()).isEqualTo("Hello!");
    }

    @Test
    void aRetryableSendFailureIsRetriedWithTheSameMessageRow() {
        deskAnswering("Hello!");
        gateway.failNext(new SmsSendException("Too many requests", 20429, 429, true));
        InboundReceipt r = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));

        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.replyQueue().pendingCount()).isEqualTo(1);
        assertThat(desk.processNextReply()).as("not due before its backoff").isFalse();

        clock.advance(Duration.ofMinutes(2));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).hasSize(1);
        List<Message> history = desk.history(r.result().lead().id(), 10);
        assertThat(history).hasSize(2);
        assertThat(history.get(1).status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(aiRequests).as("the reply is written once").hasSize(1);
    }

    @Test
    void aFinalSendFailureIsRecordedWithTwiliosCodeAndOptOutMarksTheLead() {
        deskAnswering("Hello!");
        gateway.failNext(new SmsSendException("Attempt to send to unsubscribed recipient", 21610, 400, false));
        InboundReceipt r = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();

        Message reply = desk.history(r.result().lead().id(), 10).get(1);
        assertThat(reply.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(reply.errorCode()).isEqualTo("21610");
        assertThat(repo.leads().findLead(r.result().lead().id()).orElseThrow().smsOptOut()).isTrue();
        assertThat(repo.replyQueue().pendingCount()).isZero();
    }

    @Test
    void aSendWhoseOutcomeIsUnknownIsNotRetried() {
        deskAnswering("Hello!");
        gateway.failNext(new SmsSendException("read timed out after the request was sent", null, 0, true, true, null));
        InboundReceipt r = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.processNextReply();

        clock.advance(Duration.ofHours(1));
        assertThat(desk.processNextReply()).isFalse();
        assertThat(gateway.sent()).isEmpty();
        Message reply = desk.history(r.result().lead().id(), 10).get(1);
        assertThat(reply.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(reply.errorCode()).isEqualTo("outcome_unknown");
    }

    @Test
    void aJobWhoseReplyWasAlreadySentIsCompletedWithoutSendingAgain() {
        deskAnswering("Hello!");
        InboundReceipt r = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        ReplyQueue queue = repo.replyQueue();
        // A worker that sent the reply and died before completing the job:
        ReplyJob job = queue.claim("dead-worker", Duration.ofSeconds(30), T0).orElseThrow();
        Message m = repo.messages().recordOutbound(new NewOutboundMessage(job.leadId(), BUSINESS, CUSTOMER, "Hello!", MessageStatus.PENDING,
                null, 1, job.id(), T0));
        repo.messages().markSent(m.id(), new SendResult("SM7e57f827edb47a408e7368e8abc15320", MessageStatus.QUEUED, 1, BUSINESS), T0);

        clock.advance(Duration.ofSeconds(31));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).isEmpty();
        assertThat(queue.pendingCount()).isZero();
        assertThat(desk.history(r.result().lead().id(), 10)).hasSize(2);
    }

    @Test
    void theWorkerAnswersWithoutBeingAskedOnceStarted() throws Exception {
        deskAnswering("On our way!");
        desk.start();
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        assertThat(gateway.awaitSent(1, 10_000)).extracting(OutboundSms::body).containsExactly("On our way!");
        desk.close();
        desk.close(); // idempotent
    }

    // ------------------------------------------------------------------ staff outbound

    private SmsSendException twilioDown() {
        return new SmsSendException("Twilio could not be reached", null, 503, true);
    }

    @Test
    void staffCanTextANewNumberWhichCreatesAManualLead() {
        deskAnswering("AI");
        Message m = desk.sendStaffMessage(new StaffMessage(null, "(555) 123-4567", "Your plumber is on the way."));

        assertThat(m.twilioSid()).startsWith("SM");
        assertThat(m.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(m.to()).isEqualTo(CUSTOMER);
        assertThat(m.status()).isEqualTo(MessageStatus.QUEUED);
        Lead lead = repo.leads().findLeadByPhone(new PhoneNumber(CUSTOMER)).orElseThrow();
        assertThat(lead.source()).isEqualTo(Lead.SOURCE_MANUAL);
        assertThat(gateway.sent()).singleElement().extracting(OutboundSms::body).isEqualTo("Your plumber is on the way.");
    }

    @Test
    void staffCanTextAnExistingLeadById() {
        deskAnswering("AI");
        long leadId = desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi")).result().lead().id();
        Message m = desk.sendStaffMessage(new StaffMessage(leadId, CUSTOMER, "Hi from Acme"));
        assertThat(m.leadId()).isEqualTo(leadId);
    }

    @Test
    void everyOutboundValidationErrorHasItsOwnTypeAndNoSendHappens() {
        desk(config().twilioTestMode(true).build(), ReplyGenerator.NONE);
        long leadId = repo.leads().findOrCreateLead(new PhoneNumber(CUSTOMER), Lead.SOURCE_MANUAL, T0).id();

        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(leadId, null, "  ")))
                .isInstanceOf(EmptyMessageException.class);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(leadId, null, null)))
                .isInstanceOf(EmptyMessageException.class);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(leadId, null, "x".repeat(1601))))
                .isInstanceOf(MessageTooLongException.class).hasMessageContaining("1601");
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, "not a number", "hi")))
                .isInstanceOf(InvalidPhoneNumberException.class);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, null, "hi")))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("leadId or phoneNumber");
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(9999L, null, "hi")))
                .isInstanceOf(LeadNotFoundException.class);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(leadId, "+15557654321", "hi")))
                .isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, "+15559876543", "hi")))
                .isInstanceOf(UnverifiedNumberException.class).hasMessageContaining("+1555***6543");
        repo.leads().setOptOut(leadId, true, T0);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(leadId, null, "hi")))
                .isInstanceOf(OptedOutException.class);

        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.messages().history(leadId, 10)).as("nothing recorded for refused messages").isEmpty();
    }

    @Test
    void messageTooLongIsCheckedBeforeThePhoneNumber() {
        desk(config().build(), ReplyGenerator.NONE);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, "garbage", "x".repeat(1601))))
                .isInstanceOf(MessageTooLongException.class);
        assertThat(desk.sendStaffMessage(new StaffMessage(null, CUSTOMER, "x".repeat(1600))).numSegments()).isEqualTo(11);
    }

    @Test
    void testModeRefusesAnUnverifiedNumberWithoutAnySend() {
        desk(config().twilioTestMode(true).build(), ReplyGenerator.NONE);
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(null, "+15559876543", "hi")))
                .isInstanceOf(UnverifiedNumberException.class)
                .extracting(e -> ((FrontDeskException) e).code()).isEqualTo("unverified_number");
        assertThat(gateway.sent()).isEmpty();
        assertThat(desk.sendStaffMessage(new StaffMessage(null, CUSTOMER, "verified is fine")).twilioSid()).isNotNull();
    }

    @Test
    void aTwilioRefusalIsStoredAsFailedAndRethrown() {
        desk(config().build(), ReplyGenerator.NONE);
        gateway.failNext(twilioDown());
        AtomicReference<SmsSendException> thrown = new AtomicReference<>();
        try {
            desk.sendStaffMessage(new StaffMessage(null, CUSTOMER, "hi"));
        } catch (SmsSendException e) {
            thrown.set(e);
        }
        assertThat(thrown.get()).isNotNull();
        assertThat(thrown.get().code()).isEqualTo("twilio_error");
        Lead lead = repo.leads().findLeadByPhone(new PhoneNumber(CUSTOMER)).orElseThrow();
        assertThat(repo.messages().history(lead.id(), 10)).singleElement().satisfies(m -> {
            assertThat(m.status()).isEqualTo(MessageStatus.FAILED);
            assertThat(m.errorCode()).isEqualTo("twilio_error");
        });
    }

    // ------------------------------------------------------------------ status, reads

    @Test
    void statusCallbacksMoveForwardOnlyAndUnknownSidsAreFine() {
        deskAnswering("AI");
        Message m = desk.sendStaffMessage(new StaffMessage(null, CUSTOMER, "hi"));
        assertThat(desk.receiveStatus(new StatusUpdate(m.twilioSid(), MessageStatus.DELIVERED, null)).applied()).isTrue();
        assertThat(desk.receiveStatus(new StatusUpdate(m.twilioSid(), MessageStatus.SENT, null)).applied()).isFalse();
        assertThat(desk.receiveStatus(new StatusUpdate("SM7e57ca3704aa0b06f5954c79ee837faa", MessageStatus.SENT, null)).message()).isEmpty();
        assertThat(repo.messages().findMessage(m.id()).orElseThrow().deliveredAt()).isEqualTo(T0);
    }

    @Test
    void leadsCanBeFilteredByPhoneEvenWhenThePlusArrivedAsASpace() {
        deskAnswering("AI");
        desk.receiveInbound(sms("SM7e570000000000000000000000000001", CUSTOMER, "hi"));
        desk.receiveInbound(sms("SM7e570000000000000000000000000002", "+15557654321", "hi"));
        assertThat(desk.leads(null, 100)).hasSize(2);
        assertThat(desk.leads("+15551234567", 100)).extracting(l -> l.phoneNumber().value()).containsExactly(CUSTOMER);
        assertThat(desk.leads(" 15551234567", 100)).extracting(l -> l.phoneNumber().value()).containsExactly(CUSTOMER);
        assertThat(desk.leads("+15550000000", 100)).isEmpty();
        assertThatThrownBy(() -> desk.history(12345, 10)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void setupStatusReportsModeMaskedNumberAndMissingVariables() {
        desk(FrontDeskConfig.fromEnvironment(Map.of("TWILIO_PHONE_NUMBER", "+15551234567")), ReplyGenerator.NONE);
        SetupStatus s = desk.setupStatus();
        assertThat(s.configured()).isFalse();
        assertThat(s.mode()).isEqualTo("test");
        assertThat(s.phoneNumber()).isEqualTo("+1555***4567");
        assertThat(s.missing()).containsExactly("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN");
        assertThat(s.inboundWebhookUrl()).isEqualTo("http://localhost:3001/api/twilio/sms/inbound");
        assertThat(s.aiConfigured()).isFalse();
        assertThat(s.aiModel()).isEqualTo("gpt-4o-mini");
    }

    @Test
    void theBuilderNamesWhatIsMissing() {
        assertThatThrownBy(() -> FrontDesk.builder().build()).hasMessageContaining("config");
        assertThatThrownBy(() -> FrontDesk.builder().config(config().build()).build()).hasMessageContaining("repository");
        assertThatThrownBy(() -> FrontDesk.builder().config(config().build()).repository(repo).build()).hasMessageContaining("gateway");
    }

    private static boolean awaitQuietly(CountDownLatch latch) {
        try {
            return latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Test
    void startingWithoutBusinessTimezoneSaysOnceThatColdTextsToUnknownZonesAreNotChecked() {
        String line = "cold staff texts to numbers whose time zone is unknown are not held back";
        try (LogCapture logs = LogCapture.start()) {
            desk(config().build(), ReplyGenerator.NONE);
            desk.start();
            desk.start();
            desk.close();
            assertThat(logs.linesContaining(line)).isEqualTo(1);
        }
        try (LogCapture logs = LogCapture.start()) {
            desk(config().businessTimeZone(java.time.ZoneId.of("America/Chicago")).build(), ReplyGenerator.NONE);
            desk.start();
            desk.close();
            assertThat(logs.linesContaining(line)).isZero();
        }
    }
}
