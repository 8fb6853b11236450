package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LeadRepository} must have: the webhook's transaction for an inbound text ({@link
 * LeadRepository#recordInbound}: lead, message, keywords and reply job, once per MessageSid, also under races),
 * texts from other senders ({@link LeadRepository#recordOtherSender}) and the health check. Written once, run
 * against every implementation through {@link StoreContracts}.
 */
public abstract class LeadRepositoryContract extends StoreContract {

    @Test
    void firstInboundCreatesLeadMessageAndReplyJob() {
        InboundResult r = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "Hi, I need help with my plumbing issue"), Keyword.NONE, T0);

        assertThat(r.duplicate()).isFalse();
        assertThat(r.replyJobId()).isNotNull();
        Lead lead = r.lead();
        assertThat(lead.phoneNumber()).isEqualTo(CUSTOMER);
        assertThat(lead.source()).isEqualTo(Lead.SOURCE_SMS);
        assertThat(lead.smsEnabled()).isTrue();
        assertThat(lead.smsOptOut()).isFalse();
        assertThat(lead.lastSmsAt()).isEqualTo(T0);
        assertThat(lead.createdAt()).isEqualTo(T0);

        Message m = r.message();
        assertThat(m.leadId()).isEqualTo(lead.id());
        assertThat(m.twilioSid()).isEqualTo("SM7e577a3e6b16cb75f48fb897eff3ae73");
        assertThat(m.direction()).isEqualTo(Direction.INBOUND);
        assertThat(m.from()).isEqualTo(CUSTOMER.value());
        assertThat(m.to()).isEqualTo(BUSINESS);
        assertThat(m.body()).isEqualTo("Hi, I need help with my plumbing issue");
        assertThat(m.status()).isEqualTo(MessageStatus.RECEIVED);
        assertThat(m.createdAt()).isEqualTo(T0);
        assertThat(leads.findLead(lead.id())).contains(lead);
        assertThat(leads.findLeadByPhone(CUSTOMER)).contains(lead);
        assertThat(messages.findMessageBySid("SM7e577a3e6b16cb75f48fb897eff3ae73")).contains(m);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void duplicateMessageSidIsStoredOnce() {
        InboundResult first = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hello"), Keyword.NONE, T0);
        InboundResult again = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hello"), Keyword.NONE, T0.plusSeconds(5));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.replyJobId()).isNull();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(messages.history(first.lead().id(), 100)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
        assertThat(leads.findLead(first.lead().id()).orElseThrow().lastSmsAt()).isEqualTo(T0);
    }

    @Test
    void aKnownMessageSidFromAnotherNumberIsADuplicateAndCreatesNoLead() {
        InboundResult first = repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "hello"), Keyword.NONE, T0);
        PhoneNumber stranger = new PhoneNumber("+15559870000");
        InboundResult again = repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", stranger, "hello"), Keyword.NONE, T0.plusSeconds(5));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(again.lead().id()).isEqualTo(first.lead().id());
        assertThat(leads.findLeadByPhone(stranger)).isEmpty();
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void duplicateMessageSidFromManyThreadsAtOnceIsStoredOnce() throws Exception {
        int threads = 8;
        List<InboundResult> results = runConcurrently(threads,
                i -> repo.recordInbound(inbound("SM7e57c51fb9b52aac0ff0312fc8e2cac2", CUSTOMER, "same message"), Keyword.NONE, T0));

        assertThat(results).filteredOn(r -> !r.duplicate()).hasSize(1);
        assertThat(results).extracting(r -> r.message().id()).containsOnly(results.get(0).message().id());
        long leadId = results.get(0).lead().id();
        assertThat(messages.history(leadId, 100)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    private static OtherSenderMessage otherSender(String sid, String from, String body) {
        OtherSender sender = OtherSender.of(from).orElseThrow();
        return TwilioWebhooks.otherSenderMessage(Map.of("MessageSid", sid, "From", from, "To", BUSINESS, "Body", body,
                "NumMedia", "1"), sender);
    }

    @Test
    void textsFromOtherSendersAreStoredOncePerMessageSidAndTouchNoLead() {
        repo.recordInbound(inbound(TestSids.sms("sms"), CUSTOMER, "a text by SMS"), Keyword.NONE, T0);
        List<String> senders = List.of("72975", "ACMEBANK", "whatsapp:US.1234", "whatsapp:" + CUSTOMER.value());
        for (int i = 0; i < senders.size(); i++) {
            OtherSenderMessage m = otherSender(TestSids.sms("other" + i), senders.get(i), "hello " + i);
            assertThat(repo.recordOtherSender(m, T0.plusSeconds(i))).as(senders.get(i)).isTrue();
            assertThat(repo.recordOtherSender(m, T0.plusSeconds(60))).as("repeated " + senders.get(i)).isFalse();
        }

        List<OtherSenderMessage> stored = messages.otherSenderMessages(10);
        assertThat(stored).extracting(m -> m.sender().address()).containsExactly(
                "whatsapp:" + CUSTOMER.value(), "whatsapp:US.1234", "ACMEBANK", "72975");
        OtherSenderMessage whatsapp = stored.get(0);
        assertThat(whatsapp.id()).isNotNull();
        assertThat(whatsapp.twilioSid()).isEqualTo(TestSids.sms("other3"));
        assertThat(whatsapp.sender().kind()).isEqualTo(OtherSender.Kind.CHANNEL);
        assertThat(whatsapp.sender().channel()).isEqualTo("whatsapp");
        assertThat(whatsapp.sender().phoneNumber()).isEqualTo(CUSTOMER);
        assertThat(whatsapp.to()).isEqualTo(BUSINESS);
        assertThat(whatsapp.body()).isEqualTo("hello 3");
        assertThat(whatsapp.numMedia()).isEqualTo(1);
        assertThat(whatsapp.leadId()).isNull();
        assertThat(whatsapp.createdAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(stored.get(1).sender().phoneNumber()).isNull();
        assertThat(stored.get(2).sender().kind()).isEqualTo(OtherSender.Kind.ALPHANUMERIC);
        assertThat(stored.get(3).sender().kind()).isEqualTo(OtherSender.Kind.SHORT_CODE);
        assertThat(messages.otherSenderMessages(2)).hasSize(2);

        // The SMS lead of the same number is untouched: no message merged in, no reply job, no new lead.
        assertThat(leads.listLeads(10)).hasSize(1);
        assertThat(messages.history(leads.findLeadByPhone(CUSTOMER).orElseThrow().id(), 10)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void aWhatsAppMessageMakesTheWhatsAppLeadOfTheNumberApartFromItsSmsLead() {
        InboundResult sms = repo.recordInbound(inbound(TestSids.sms("sms"), CUSTOMER, "by SMS"), Keyword.NONE, T0);
        InboundResult wa = repo.recordInbound(whatsApp(TestSids.sms("wa1"), CUSTOMER, "por WhatsApp"), Keyword.NONE, T0.plusSeconds(1));
        InboundResult again = repo.recordInbound(whatsApp(TestSids.sms("wa2"), CUSTOMER, "otra vez"), Keyword.NONE, T0.plusSeconds(2));

        assertThat(sms.lead().channel()).isEqualTo(Channel.SMS);
        assertThat(wa.lead().id()).as("two leads for one number").isNotEqualTo(sms.lead().id());
        assertThat(wa.lead().channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(wa.lead().source()).isEqualTo(Lead.SOURCE_WHATSAPP);
        assertThat(wa.lead().phoneNumber()).isEqualTo(CUSTOMER);
        assertThat(wa.replyJobId()).isNotNull();
        assertThat(wa.message().from()).isEqualTo("whatsapp:" + CUSTOMER.value());
        assertThat(wa.message().to()).isEqualTo("whatsapp:" + BUSINESS);
        assertThat(again.lead().id()).isEqualTo(wa.lead().id());
        assertThat(again.lead().channel()).isEqualTo(Channel.WHATSAPP);

        assertThat(leads.findLeadByPhone(CUSTOMER, Channel.WHATSAPP)).hasValueSatisfying(l -> {
            assertThat(l.id()).isEqualTo(wa.lead().id());
            assertThat(l.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(l.lastSmsAt()).isEqualTo(T0.plusSeconds(2));
        });
        assertThat(leads.findLeadByPhone(CUSTOMER)).map(Lead::id).contains(sms.lead().id());
        assertThat(leads.findLeadByPhone(CUSTOMER, Channel.SMS)).map(Lead::id).contains(sms.lead().id());
        assertThat(leads.findLeadByPhone(OTHER, Channel.WHATSAPP)).isEmpty();
        assertThat(leads.findLead(wa.lead().id()).orElseThrow().channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(messages.history(sms.lead().id(), 10)).extracting(Message::body).containsExactly("by SMS");
        assertThat(messages.history(wa.lead().id(), 10)).extracting(Message::body).containsExactly("por WhatsApp", "otra vez");
        assertThat(leads.listLeads(10)).extracting(Lead::channel).containsExactly(Channel.WHATSAPP, Channel.SMS);
        assertThat(leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0).id()).as("staff by number: the SMS lead")
                .isEqualTo(sms.lead().id());
    }

    @Test
    void stopOnWhatsAppOptsOutTheWhatsAppLeadOnly() {
        long smsLead = repo.recordInbound(inbound(TestSids.sms("sms"), CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        InboundResult stop = repo.recordInbound(whatsApp(TestSids.sms("stop"), CUSTOMER, "STOP"), Keyword.OPT_OUT, T0.plusSeconds(1));

        assertThat(stop.lead().smsOptOut()).isTrue();
        assertThat(stop.replyJobId()).isNull();
        assertThat(leads.findLead(smsLead).orElseThrow().smsOptOut()).isFalse();
        assertThat(repo.recordInbound(whatsApp(TestSids.sms("later"), CUSTOMER, "hello?"), Keyword.NONE, T0.plusSeconds(2))
                .replyJobId()).as("opted out on WhatsApp").isNull();
        assertThat(repo.recordInbound(inbound(TestSids.sms("sms2"), CUSTOMER, "hello?"), Keyword.NONE, T0.plusSeconds(3))
                .replyJobId()).as("still answered by SMS").isNotNull();
    }

    @Test
    void firstWhatsAppMessagesFromANewNumberAtOnceGiveOneWhatsAppLead() throws Exception {
        List<InboundResult> results = runConcurrently(8,
                i -> repo.recordInbound(whatsApp(TestSids.sms("wa" + i), CUSTOMER, "message " + i), Keyword.NONE, T0));

        assertThat(results).extracting(r -> r.lead().id()).containsOnly(results.get(0).lead().id());
        assertThat(leads.listLeads(100)).singleElement().extracting(Lead::channel).isEqualTo(Channel.WHATSAPP);
        assertThat(messages.history(results.get(0).lead().id(), 100)).hasSize(8);
    }

    @Test
    void aMissedCallMakesACallLeadAndOneMissedCallJobPerCallSid() {
        MissedCallResult first = repo.recordMissedCall(CUSTOMER, BUSINESS, "CA0123456789abcdef0123456789abcdef", T0);
        assertThat(first.duplicate()).isFalse();
        assertThat(first.replyJobId()).isNotNull();
        assertThat(first.lead().source()).isEqualTo(Lead.SOURCE_CALL);
        assertThat(first.lead().channel()).isEqualTo(Channel.SMS);
        assertThat(leads.findLeadByPhone(CUSTOMER)).map(Lead::id).contains(first.lead().id());

        MissedCallResult again = repo.recordMissedCall(CUSTOMER, BUSINESS, "CA0123456789abcdef0123456789abcdef", T0.plusSeconds(5));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.replyJobId()).isNull();
        assertThat(queue.pendingCount()).isEqualTo(1);

        ReplyContext claimed = queue.claimNext("w", java.time.Duration.ofSeconds(30), T0, 10, T0).claimed().orElseThrow();
        assertThat(claimed.job().id()).isEqualTo(first.replyJobId());
        assertThat(claimed.job().kind()).isEqualTo(ReplyJob.Kind.MISSED_CALL);
        assertThat(claimed.job().inboundMessageId()).isZero();
        assertThat(claimed.textedNumber()).as("the text goes out from the number called").isEqualTo(BUSINESS);
        assertThat(claimed.history()).isEmpty();
        assertThat(claimed.lead().id()).isEqualTo(first.lead().id());
    }

    @Test
    void aMissedCallFromAKnownNumberKeepsTheLeadsSourceAndAnOptedOutCallerGetsNoJob() {
        Lead texted = repo.recordInbound(inbound(TestSids.sms("hi"), CUSTOMER, "hi"), Keyword.NONE, T0).lead();
        MissedCallResult call = repo.recordMissedCall(CUSTOMER, BUSINESS, "CA1123456789abcdef0123456789abcdef", T0.plusSeconds(1));
        assertThat(call.lead().id()).isEqualTo(texted.id());
        assertThat(call.lead().source()).isEqualTo(Lead.SOURCE_SMS);
        assertThat(call.replyJobId()).isNotNull();

        repo.recordInbound(inbound(TestSids.sms("stop"), OTHER, "STOP"), Keyword.OPT_OUT, T0);
        MissedCallResult optedOut = repo.recordMissedCall(OTHER, BUSINESS, "CA2123456789abcdef0123456789abcdef", T0.plusSeconds(2));
        assertThat(optedOut.replyJobId()).isNull();
        assertThat(optedOut.duplicate()).isFalse();
        assertThat(queue.pendingCount()).isEqualTo(2); // the text's job and the first call's
    }

    @Test
    void lastMissedCallAtIsTheLatestRecordedCallOfTheLead() {
        Lead texted = repo.recordInbound(inbound(TestSids.sms("lc"), CUSTOMER, "hi"), Keyword.NONE, T0).lead();
        assertThat(leads.lastMissedCallAt(texted.id())).as("texts are no calls").isEmpty();
        repo.recordMissedCall(CUSTOMER, BUSINESS, "CA5123456789abcdef0123456789abcdef", T0.plusSeconds(5));
        repo.recordMissedCall(CUSTOMER, BUSINESS, "CA6123456789abcdef0123456789abcdef", T0.plusSeconds(60));
        repo.recordMissedCall(CUSTOMER, BUSINESS, "CA5123456789abcdef0123456789abcdef", T0.plusSeconds(90)); // repeated callback
        assertThat(leads.lastMissedCallAt(texted.id())).contains(T0.plusSeconds(60));
        long caller = repo.recordMissedCall(OTHER, BUSINESS, "CA7123456789abcdef0123456789abcdef", T0.plusSeconds(7)).lead().id();
        assertThat(leads.lastMissedCallAt(caller)).contains(T0.plusSeconds(7));
        assertThat(leads.lastMissedCallAt(999_999)).isEmpty();
    }

    @Test
    void aReplyToTheLeadsTextsDoesNotCompleteItsMissedCallJob() {
        long textJob = repo.recordInbound(inbound(TestSids.sms("t"), CUSTOMER, "hi"), Keyword.NONE, T0).replyJobId();
        long callJob = repo.recordMissedCall(CUSTOMER, BUSINESS, "CA3123456789abcdef0123456789abcdef", T0.plusSeconds(1)).replyJobId();
        ReplyContext c = queue.claimNext("w", java.time.Duration.ofSeconds(30), T0.plusSeconds(2), 10, T0).claimed().orElseThrow();
        assertThat(c.job().id()).isEqualTo(textJob);
        Message reply = queue.recordReply(textJob, "w", T0.plusSeconds(60), new NewOutboundMessage(c.lead().id(), BUSINESS,
                CUSTOMER.value(), "hello", MessageStatus.PENDING, null, 1, textJob, T0.plusSeconds(2)), Map.of()).message();
        queue.completeSent(textJob, "w", reply.id(), new SendResult(TestSids.sms("r"), MessageStatus.QUEUED, 1, BUSINESS),
                null, c.historyThroughId(), T0.plusSeconds(3));
        assertThat(queue.pendingCount()).isEqualTo(1);
        assertThat(queue.claim("w2", java.time.Duration.ofSeconds(30), T0.plusSeconds(4))).map(ReplyJob::id).contains(callJob);
    }

    @Test
    void theSameMissedCallFromManyThreadsAtOnceGivesOneLeadAndOneJob() throws Exception {
        List<MissedCallResult> results = runConcurrently(8,
                i -> repo.recordMissedCall(CUSTOMER, BUSINESS, "CA4123456789abcdef0123456789abcdef", T0));
        assertThat(results).extracting(r -> r.lead().id()).containsOnly(results.get(0).lead().id());
        assertThat(results).filteredOn(r -> r.replyJobId() != null).hasSize(1);
        assertThat(leads.listLeads(10)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void aRepeatedOtherSenderMessageSidFromManyThreadsAtOnceIsStoredOnce() throws Exception {
        List<Boolean> stored = runConcurrently(8,
                i -> repo.recordOtherSender(otherSender(TestSids.sms("race"), "72975", "Your code is 123456"), T0));
        assertThat(stored).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(messages.otherSenderMessages(10)).hasSize(1);
    }

    @Test
    void firstMessagesFromANewNumberAtOnceGiveOneLead() throws Exception {
        List<InboundResult> results = runConcurrently(8,
                i -> repo.recordInbound(inbound(TestSids.sms("new" + i), CUSTOMER, "message " + i), Keyword.NONE, T0));

        assertThat(results).extracting(r -> r.lead().id()).containsOnly(results.get(0).lead().id());
        assertThat(leads.listLeads(100)).hasSize(1);
        assertThat(messages.history(results.get(0).lead().id(), 100)).hasSize(8);
        assertThat(queue.pendingCount()).isEqualTo(8);
    }

    @Test
    void mediaUrlsAreStoredInOrder() {
        List<MediaItem> media = List.of(new MediaItem("https://api.twilio.com/media/ME1", "image/jpeg"),
                new MediaItem("https://api.twilio.com/media/ME2", "image/png"));
        InboundResult r = repo.recordInbound(inboundWithMedia("MM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "", media), Keyword.NONE, T0);

        assertThat(r.message().media()).containsExactly("https://api.twilio.com/media/ME1", "https://api.twilio.com/media/ME2");
        assertThat(messages.history(r.lead().id(), 10).get(0).media())
                .containsExactly("https://api.twilio.com/media/ME1", "https://api.twilio.com/media/ME2");
        assertThat(r.message().body()).isEmpty();
    }

    @Test
    void hostileTextIsStoredByteForByte() {
        String body = "'); DROP TABLE leads; -- <script>alert(1)</script> \u00e9\u00e8 \uD83D\uDEBF\uD83D\uDD27 \\ % _ \"quoted\"";
        InboundResult r = repo.recordInbound(inbound("SM7e5734727045ae390b6d2a54bfcdea73", CUSTOMER, body), Keyword.NONE, T0);
        assertThat(messages.findMessage(r.message().id()).orElseThrow().body()).isEqualTo(body);

        String longBody = "x".repeat(1599) + "\u00e9";
        InboundResult r2 = repo.recordInbound(inbound("SM7e5711574e536d37543d9a38f7abf609", CUSTOMER, longBody), Keyword.NONE, T0);
        assertThat(messages.findMessage(r2.message().id()).orElseThrow().body()).isEqualTo(longBody);
    }

    @Test
    void stopOptsOutWithoutReplyJobAndLaterMessagesGetNoReply() {
        InboundResult stop = repo.recordInbound(inbound("SM7e570000000000000000000000000001", CUSTOMER, "STOP"), Keyword.OPT_OUT, T0);
        assertThat(stop.lead().smsOptOut()).isTrue();
        assertThat(stop.replyJobId()).isNull();

        InboundResult later = repo.recordInbound(inbound("SM7e570000000000000000000000000002", CUSTOMER, "are you there?"), Keyword.NONE, T0.plusSeconds(10));
        assertThat(later.lead().smsOptOut()).isTrue();
        assertThat(later.replyJobId()).isNull();
        assertThat(queue.pendingCount()).isZero();
        assertThat(messages.history(stop.lead().id(), 10)).hasSize(2);
    }

    @Test
    void startOptsBackInWithoutReplyJob() {
        repo.recordInbound(inbound("SM7e570000000000000000000000000001", CUSTOMER, "STOP"), Keyword.OPT_OUT, T0);
        InboundResult start = repo.recordInbound(inbound("SM7e570000000000000000000000000002", CUSTOMER, "START"), Keyword.OPT_IN, T0.plusSeconds(1));
        assertThat(start.lead().smsOptOut()).isFalse();
        assertThat(start.replyJobId()).isNull();

        InboundResult next = repo.recordInbound(inbound("SM7e570000000000000000000000000003", CUSTOMER, "I need a plumber"), Keyword.NONE, T0.plusSeconds(2));
        assertThat(next.replyJobId()).isNotNull();
    }

    @Test
    void helpGetsNoReplyJob() {
        InboundResult help = repo.recordInbound(inbound("SM7e570000000000000000000000000001", CUSTOMER, "HELP"), Keyword.HELP, T0);
        assertThat(help.replyJobId()).isNull();
        assertThat(help.lead().smsOptOut()).isFalse();
    }

    @Test
    void theStoreAnswersWhenAvailable() {
        repo.checkAvailable();
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void keywordsAndOutboundKeepTheNewLeadFields() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        leads.setAi(id, false, T0.plus(Duration.ofHours(2)));
        leads.updateQualification(id, Map.of(Qualification.Field.NAME, "Ann"), true, T0);
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "STOP"), Keyword.OPT_OUT, T0.plusSeconds(1));
        leads.setOptOut(id, false, T0.plusSeconds(2));
        recordPendingOutbound(id, "hello", null, T0.plusSeconds(3));
        Lead l = leads.findLead(id).orElseThrow();
        assertThat(l.aiEnabled()).isFalse();
        assertThat(l.aiPausedUntil()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(l.qualification().name()).isEqualTo("Ann");
    }
}
