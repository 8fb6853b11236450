package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.internal.SmsSegments;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LeadRepository} (and its {@link ReplyQueue}) must have. Written once, run
 * against every implementation: subclass it, return a fresh, empty repository from
 * {@link #createRepository()}, and release it in {@link #tearDownRepository()}.
 *
 * <p>Published in core's test-jar; the JDBC store runs it on H2 and PostgreSQL.
 */
public abstract class LeadRepositoryContract {

    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    protected static final PhoneNumber CUSTOMER = new PhoneNumber("+15551234567");
    protected static final PhoneNumber OTHER = new PhoneNumber("+15557654321");
    protected static final String BUSINESS = "+15550001111";

    protected LeadRepository repo;
    protected ReplyQueue queue;

    /** A fresh repository with no data. */
    protected abstract LeadRepository createRepository();

    /** Releases what {@link #createRepository()} made (drop schema, close pool). */
    protected void tearDownRepository() {
    }

    @BeforeEach
    void setUpContract() {
        repo = createRepository();
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

    protected static InboundSms inboundWithMedia(String sid, PhoneNumber from, String body, List<MediaItem> media) {
        return new InboundSms(sid, "AC123", null, from, BUSINESS, body, 1, media, null, Map.of());
    }

    private Message recordPendingOutbound(long leadId, String body, Long jobId, Instant at) {
        return repo.recordOutbound(new NewOutboundMessage(leadId, BUSINESS, CUSTOMER.value(), body,
                MessageStatus.PENDING, null, SmsSegments.count(body), jobId, at));
    }

    // ------------------------------------------------------------------ inbound

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
        assertThat(repo.findLead(lead.id())).contains(lead);
        assertThat(repo.findLeadByPhone(CUSTOMER)).contains(lead);
        assertThat(repo.findMessageBySid("SM7e577a3e6b16cb75f48fb897eff3ae73")).contains(m);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void duplicateMessageSidIsStoredOnce() {
        InboundResult first = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hello"), Keyword.NONE, T0);
        InboundResult again = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hello"), Keyword.NONE, T0.plusSeconds(5));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.replyJobId()).isNull();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(repo.history(first.lead().id(), 100)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
        assertThat(repo.findLead(first.lead().id()).orElseThrow().lastSmsAt()).isEqualTo(T0);
    }

    @Test
    void aKnownMessageSidFromAnotherNumberIsADuplicateAndCreatesNoLead() {
        InboundResult first = repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "hello"), Keyword.NONE, T0);
        PhoneNumber stranger = new PhoneNumber("+15559870000");
        InboundResult again = repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", stranger, "hello"), Keyword.NONE, T0.plusSeconds(5));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.message().id()).isEqualTo(first.message().id());
        assertThat(again.lead().id()).isEqualTo(first.lead().id());
        assertThat(repo.findLeadByPhone(stranger)).isEmpty();
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
        assertThat(repo.history(leadId, 100)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    // ------------------------------------------------------------------ senders that are not SMS phone numbers

    private static OtherSenderMessage otherSender(String sid, String from, String body) {
        OtherSender sender = OtherSender.of(from).orElseThrow();
        return OtherSenderMessage.fromParameters(Map.of("MessageSid", sid, "From", from, "To", BUSINESS, "Body", body,
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

        List<OtherSenderMessage> stored = repo.otherSenderMessages(10);
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
        assertThat(repo.otherSenderMessages(2)).hasSize(2);

        // The SMS lead of the same number is untouched: no message merged in, no reply job, no new lead.
        assertThat(repo.listLeads(10)).hasSize(1);
        assertThat(repo.history(repo.findLeadByPhone(CUSTOMER).orElseThrow().id(), 10)).hasSize(1);
        assertThat(queue.pendingCount()).isEqualTo(1);
    }

    @Test
    void aRepeatedOtherSenderMessageSidFromManyThreadsAtOnceIsStoredOnce() throws Exception {
        List<Boolean> stored = runConcurrently(8,
                i -> repo.recordOtherSender(otherSender(TestSids.sms("race"), "72975", "Your code is 123456"), T0));
        assertThat(stored).filteredOn(Boolean::booleanValue).hasSize(1);
        assertThat(repo.otherSenderMessages(10)).hasSize(1);
    }

    @Test
    void firstMessagesFromANewNumberAtOnceGiveOneLead() throws Exception {
        List<InboundResult> results = runConcurrently(8,
                i -> repo.recordInbound(inbound(TestSids.sms("new" + i), CUSTOMER, "message " + i), Keyword.NONE, T0));

        assertThat(results).extracting(r -> r.lead().id()).containsOnly(results.get(0).lead().id());
        assertThat(repo.listLeads(100)).hasSize(1);
        assertThat(repo.history(results.get(0).lead().id(), 100)).hasSize(8);
        assertThat(queue.pendingCount()).isEqualTo(8);
    }

    @Test
    void findOrCreateLeadIsIdempotentAndKeepsTheFirstSource() {
        Lead manual = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Lead again = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0.plusSeconds(60));

        assertThat(again).isEqualTo(manual);
        assertThat(manual.source()).isEqualTo(Lead.SOURCE_MANUAL);
        assertThat(manual.smsEnabled()).isFalse();
        assertThat(manual.lastSmsAt()).isNull();
    }

    @Test
    void concurrentFindOrCreateGivesOneLead() throws Exception {
        List<Lead> leads = runConcurrently(8, i -> repo.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0));
        assertThat(leads).extracting(Lead::id).containsOnly(leads.get(0).id());
        assertThat(repo.listLeads(10)).hasSize(1);
    }

    @Test
    void mediaUrlsAreStoredInOrder() {
        List<MediaItem> media = List.of(new MediaItem("https://api.twilio.com/media/ME1", "image/jpeg"),
                new MediaItem("https://api.twilio.com/media/ME2", "image/png"));
        InboundResult r = repo.recordInbound(inboundWithMedia("MM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "", media), Keyword.NONE, T0);

        assertThat(r.message().media()).containsExactly("https://api.twilio.com/media/ME1", "https://api.twilio.com/media/ME2");
        assertThat(repo.history(r.lead().id(), 10).get(0).media())
                .containsExactly("https://api.twilio.com/media/ME1", "https://api.twilio.com/media/ME2");
        assertThat(r.message().body()).isEmpty();
    }

    @Test
    void hostileTextIsStoredByteForByte() {
        String body = "'); DROP TABLE leads; -- <script>alert(1)</script> \u00e9\u00e8 \uD83D\uDEBF\uD83D\uDD27 \\ % _ \"quoted\"";
        InboundResult r = repo.recordInbound(inbound("SM7e5734727045ae390b6d2a54bfcdea73", CUSTOMER, body), Keyword.NONE, T0);
        assertThat(repo.findMessage(r.message().id()).orElseThrow().body()).isEqualTo(body);

        String longBody = "x".repeat(1599) + "\u00e9";
        InboundResult r2 = repo.recordInbound(inbound("SM7e5711574e536d37543d9a38f7abf609", CUSTOMER, longBody), Keyword.NONE, T0);
        assertThat(repo.findMessage(r2.message().id()).orElseThrow().body()).isEqualTo(longBody);
    }

    // ------------------------------------------------------------------ keywords

    @Test
    void stopOptsOutWithoutReplyJobAndLaterMessagesGetNoReply() {
        InboundResult stop = repo.recordInbound(inbound("SM7e570000000000000000000000000001", CUSTOMER, "STOP"), Keyword.OPT_OUT, T0);
        assertThat(stop.lead().smsOptOut()).isTrue();
        assertThat(stop.replyJobId()).isNull();

        InboundResult later = repo.recordInbound(inbound("SM7e570000000000000000000000000002", CUSTOMER, "are you there?"), Keyword.NONE, T0.plusSeconds(10));
        assertThat(later.lead().smsOptOut()).isTrue();
        assertThat(later.replyJobId()).isNull();
        assertThat(queue.pendingCount()).isZero();
        assertThat(repo.history(stop.lead().id(), 10)).hasSize(2);
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
    void setOptOutChangesTheFlagAndRejectsUnknownLeads() {
        Lead lead = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        assertThat(repo.setOptOut(lead.id(), true, T0).smsOptOut()).isTrue();
        assertThat(repo.findLead(lead.id()).orElseThrow().smsOptOut()).isTrue();
        assertThat(repo.setOptOut(lead.id(), false, T0).smsOptOut()).isFalse();
        assertThatThrownBy(() -> repo.setOptOut(999_999, true, T0)).isInstanceOf(LeadNotFoundException.class);
    }

    // ------------------------------------------------------------------ leads and history

    @Test
    void leadsAreListedMostRecentActivityFirstWithLimit() {
        Lead a = repo.recordInbound(inbound("SM7e57559aead08264d5795d3909718cdd", CUSTOMER, "a"), Keyword.NONE, T0).lead();
        Lead b = repo.recordInbound(inbound("SM7e57df7e70e5021544f4834bbee64a9e", OTHER, "b"), Keyword.NONE, T0.plusSeconds(10)).lead();
        Lead c = repo.findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, T0.plusSeconds(5));

        assertThat(repo.listLeads(100)).extracting(Lead::id).containsExactly(b.id(), c.id(), a.id());
        repo.recordInbound(inbound("SM7e57c8361f9b468e68c86da024270e09", CUSTOMER, "again"), Keyword.NONE, T0.plusSeconds(20));
        assertThat(repo.listLeads(100)).extracting(Lead::id).containsExactly(a.id(), b.id(), c.id());
        assertThat(repo.listLeads(2)).extracting(Lead::id).containsExactly(a.id(), b.id());
    }

    @Test
    void historyIsOldestFirstAndLimitKeepsTheMostRecent() {
        long leadId = 0;
        for (int i = 0; i < 5; i++) {
            leadId = repo.recordInbound(inbound(TestSids.sms("h" + i), CUSTOMER, "m" + i), Keyword.NONE, T0.plusSeconds(i)).lead().id();
        }
        assertThat(repo.history(leadId, 100)).extracting(Message::body).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(repo.history(leadId, 2)).extracting(Message::body).containsExactly("m3", "m4");
        assertThat(repo.history(424242, 10)).isEmpty();
    }

    // ------------------------------------------------------------------ outbound and status

    @Test
    void outboundIsRecordedPendingThenMarkedSent() {
        Lead lead = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "We can come at 3pm.", null, T0.plusSeconds(1));

        assertThat(pending.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(pending.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(pending.twilioSid()).isNull();
        assertThat(pending.numSegments()).isEqualTo(1);
        assertThat(repo.findLead(lead.id()).orElseThrow().lastSmsAt()).isEqualTo(T0.plusSeconds(1));

        Message sent = repo.markSent(pending.id(), new SendResult("SM7e576776128287ef2cb8ead79828e5b7", MessageStatus.QUEUED, 1, BUSINESS), T0.plusSeconds(2));
        assertThat(sent.twilioSid()).isEqualTo("SM7e576776128287ef2cb8ead79828e5b7");
        assertThat(sent.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(sent.sentAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(repo.findMessageBySid("SM7e576776128287ef2cb8ead79828e5b7")).contains(sent);
    }

    @Test
    void aSidAlreadyStoredForAnotherMessageIsRefusedAndNothingChanges() {
        Lead lead = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message first = recordPendingOutbound(lead.id(), "one", null, T0);
        Message second = recordPendingOutbound(lead.id(), "two", null, T0);
        repo.markSent(first.id(), new SendResult("SM7e57000000000000000000000000aaaa", MessageStatus.QUEUED, 1, BUSINESS), T0);

        assertThatThrownBy(() -> repo.markSent(second.id(), new SendResult("SM7e57000000000000000000000000aaaa", MessageStatus.QUEUED, 1, BUSINESS), T0))
                .isInstanceOf(DuplicateTwilioSidException.class)
                .hasMessageContaining("SM7e57000000000000000000000000aaaa");
        Message unchanged = repo.findMessage(second.id()).orElseThrow();
        assertThat(unchanged.twilioSid()).isNull();
        assertThat(unchanged.status()).isEqualTo(MessageStatus.PENDING);
    }

    @Test
    void oneOutboundMessagePerReplyJob() {
        InboundResult in = repo.recordInbound(inbound("SM7e570000000000000000000000000001", CUSTOMER, "hi"), Keyword.NONE, T0);
        Message first = recordPendingOutbound(in.lead().id(), "reply", in.replyJobId(), T0);
        Message again = recordPendingOutbound(in.lead().id(), "another reply", in.replyJobId(), T0);

        assertThat(again.id()).isEqualTo(first.id());
        assertThat(again.body()).isEqualTo("reply");
        assertThat(repo.findReplyForJob(in.replyJobId())).contains(first);
        assertThat(repo.history(in.lead().id(), 10)).hasSize(2);
    }

    // ------------------------------------------------------------------ abuse caps (issue #9)

    @Test
    void laterJobPendingSeesOnlyLaterUnfinishedJobsOfTheSameLead() {
        InboundResult first = repo.recordInbound(inbound("SM7e575b950e77941d01cdf246d00b1ece", CUSTOMER, "hi"), Keyword.NONE, T0);
        InboundResult other = repo.recordInbound(inbound("SM7e57abdbc2b5cc2c7a519b72bf7a164c", OTHER, "hello"), Keyword.NONE, T0.plusSeconds(1));
        long leadId = first.lead().id();

        assertThat(queue.laterJobPending(first.replyJobId(), leadId)).as("another lead's job").isFalse();

        InboundResult second = repo.recordInbound(inbound("SM7e570cd20d37dbaa799d1d2f6f04adba", CUSTOMER, "are you there?"), Keyword.NONE, T0.plusSeconds(2));
        assertThat(queue.laterJobPending(first.replyJobId(), leadId)).isTrue();
        assertThat(queue.laterJobPending(second.replyJobId(), leadId)).as("nothing after the newest").isFalse();
        assertThat(queue.laterJobPending(other.replyJobId(), other.lead().id())).isFalse();

        // Done jobs do not count: claim and complete the later one.
        ReplyJob claimed;
        while ((claimed = queue.claim("w", Duration.ofSeconds(30), T0.plusSeconds(10)).orElseThrow()).id() != second.replyJobId()) {
            queue.retryLater(claimed.id(), "w", null, T0.plusSeconds(60));
        }
        assertThat(queue.complete(claimed.id(), "w", T0.plusSeconds(10))).isTrue();
        assertThat(queue.laterJobPending(first.replyJobId(), leadId)).isFalse();
    }

    @Test
    void autoRepliesAreCountedPerLeadAndOverallWithinTheWindow() {
        Lead a = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        Lead b = repo.findOrCreateLead(OTHER, Lead.SOURCE_SMS, T0);
        repo.recordAutoReply(101, a.id(), true, T0);
        repo.recordAutoReply(102, a.id(), false, T0.plusSeconds(60));
        repo.recordAutoReply(103, b.id(), true, T0.plusSeconds(120));

        assertThat(repo.countAutoReplies(a.id(), false, T0)).isEqualTo(2);
        assertThat(repo.countAutoReplies(a.id(), true, T0)).isEqualTo(1);
        assertThat(repo.countAutoReplies(null, false, T0)).isEqualTo(3);
        assertThat(repo.countAutoReplies(null, true, T0)).isEqualTo(2);
        assertThat(repo.countAutoReplies(null, false, T0.plusSeconds(60))).as("at or after since").isEqualTo(2);
        assertThat(repo.countAutoReplies(a.id(), false, T0.plusSeconds(61))).isZero();
        assertThat(repo.countAutoReplies(null, true, T0.plusSeconds(3600))).isZero();
    }

    @Test
    void anAutoReplyIsNotedOncePerReplyJob() {
        Lead a = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        assertThat(repo.autoReplyAiCall(7)).isEmpty();

        assertThat(repo.recordAutoReply(7, a.id(), true, T0)).isTrue();
        assertThat(repo.recordAutoReply(7, a.id(), false, T0.plusSeconds(30))).as("the job's second run").isFalse();

        assertThat(repo.countAutoReplies(a.id(), false, T0)).isEqualTo(1);
        assertThat(repo.countAutoReplies(null, true, T0)).isEqualTo(1);
        assertThat(repo.autoReplyAiCall(7)).as("the first note is kept").contains(true);
    }

    @Test
    void anAutoReplyNotedAtOnceFromManyThreadsIsNotedOnce() throws Exception {
        Lead a = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        List<Boolean> added = runConcurrently(8, i -> repo.recordAutoReply(9, a.id(), true, T0));

        assertThat(added).filteredOn(b -> b).hasSize(1);
        assertThat(repo.countAutoReplies(null, false, T0)).isEqualTo(1);
    }

    @Test
    void firstUnansweredAtIsTheFirstTextAfterTheLatestReplyOrAutoReplyNote() {
        InboundResult one = repo.recordInbound(inbound("SM00000000000000000000000000f1a001", CUSTOMER, "one"), Keyword.NONE, T0);
        long leadId = one.lead().id();
        repo.recordInbound(inbound("SM00000000000000000000000000f1a002", CUSTOMER, "two"), Keyword.NONE, T0.plusSeconds(1));
        repo.recordInbound(inbound("SM00000000000000000000000000f1a0ff", OTHER, "someone else"), Keyword.NONE, T0.minusSeconds(30));
        assertThat(repo.firstUnansweredAt(leadId)).contains(T0);

        repo.recordAutoReply(one.replyJobId(), leadId, true, T0.plusSeconds(2)); // a reply is being written
        assertThat(repo.firstUnansweredAt(leadId)).as("nothing since the note").isEmpty();

        InboundResult three = repo.recordInbound(inbound("SM00000000000000000000000000f1a003", CUSTOMER, "three"), Keyword.NONE, T0.plusSeconds(3));
        assertThat(repo.firstUnansweredAt(leadId)).contains(T0.plusSeconds(3));

        recordPendingOutbound(leadId, "the reply", three.replyJobId(), T0.plusSeconds(4));
        assertThat(repo.firstUnansweredAt(leadId)).as("nothing since the reply").isEmpty();

        repo.recordInbound(inbound("SM00000000000000000000000000f1a004", CUSTOMER, "four"), Keyword.NONE, T0.plusSeconds(5));
        assertThat(repo.firstUnansweredAt(leadId)).contains(T0.plusSeconds(5));
        assertThat(repo.firstUnansweredAt(repo.findLeadByPhone(OTHER).orElseThrow().id())).contains(T0.minusSeconds(30));
    }

    @Test
    void staffMessagesAreCountedWithoutAutomaticReplies() {
        InboundResult in = repo.recordInbound(inbound("SM7e57ab861dc170dc2e43224e45278d3d", CUSTOMER, "hi"), Keyword.NONE, T0);
        long leadId = in.lead().id();
        recordPendingOutbound(leadId, "AI reply", in.replyJobId(), T0.plusSeconds(1));
        recordPendingOutbound(leadId, "staff one", null, T0.plusSeconds(2));
        recordPendingOutbound(leadId, "staff two", null, T0.plusSeconds(70));

        assertThat(repo.countStaffMessages(T0)).isEqualTo(2);
        assertThat(repo.countStaffMessages(T0.plusSeconds(3))).isEqualTo(1);
        assertThat(repo.countStaffMessages(T0.plusSeconds(71))).isZero();
    }

    @Test
    void markFailedKeepsTheErrorCode() {
        Lead lead = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "hi", null, T0);
        Message failed = repo.markFailed(pending.id(), MessageStatus.FAILED, "21610");
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("21610");
        assertThat(repo.findMessage(pending.id())).contains(failed);
    }

    @Test
    void lateSentCallbackDoesNotOverwriteDelivered() {
        Message sent = sentMessage("SM7e5768f1c007e6178d3457a5b3d7f469");
        StatusResult delivered = repo.applyStatus(new StatusUpdate("SM7e5768f1c007e6178d3457a5b3d7f469", MessageStatus.DELIVERED, null), T0.plusSeconds(30));
        StatusResult late = repo.applyStatus(new StatusUpdate("SM7e5768f1c007e6178d3457a5b3d7f469", MessageStatus.SENT, null), T0.plusSeconds(40));

        assertThat(delivered.applied()).isTrue();
        assertThat(late.applied()).isFalse();
        Message now = repo.findMessage(sent.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(now.deliveredAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void deliveredAtIsSetOnceAndReadFollows() {
        Message sent = sentMessage("SM7e5762673a604d240d8ca3978ebc52dd");
        repo.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.DELIVERED, null), T0.plusSeconds(30));
        repo.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.DELIVERED, null), T0.plusSeconds(50));
        StatusResult read = repo.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.READ, null), T0.plusSeconds(60));

        assertThat(read.applied()).isTrue();
        Message now = repo.findMessage(sent.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(MessageStatus.READ);
        assertThat(now.deliveredAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void failureCallbackStoresErrorCodeAndOptOutErrorMarksTheLead() {
        Message sent = sentMessage("SM7e5760484cc708f00500dbdee651a8a7");
        StatusResult r = repo.applyStatus(new StatusUpdate("SM7e5760484cc708f00500dbdee651a8a7", MessageStatus.FAILED, "21610"), T0.plusSeconds(5));

        assertThat(r.applied()).isTrue();
        assertThat(r.message().orElseThrow().errorCode()).isEqualTo("21610");
        assertThat(repo.findLead(sent.leadId()).orElseThrow().smsOptOut()).isTrue();
        assertThat(repo.applyStatus(new StatusUpdate("SM7e5760484cc708f00500dbdee651a8a7", MessageStatus.DELIVERED, null), T0.plusSeconds(6)).applied()).isFalse();
    }

    @Test
    void unknownSidChangesNothing() {
        StatusResult r = repo.applyStatus(new StatusUpdate("SM7e57b23a6a8439c0dde5515893e7c90c", MessageStatus.DELIVERED, null), T0);
        assertThat(r.message()).isEmpty();
        assertThat(r.applied()).isFalse();
    }

    private Message sentMessage(String sid) {
        Lead lead = repo.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "hello", null, T0);
        return repo.markSent(pending.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS), T0.plusSeconds(1));
    }

    // ------------------------------------------------------------------ reply queue

    @Test
    void claimTakesTheOldestDueJobAndHoldsItUntilTheLeaseEnds() {
        long first = repo.recordInbound(inbound("SM7e57c75de8c1b7c3ae5252091267a736", CUSTOMER, "one"), Keyword.NONE, T0).replyJobId();
        long second = repo.recordInbound(inbound("SM7e57bee98bf120e8906382754c6be528", OTHER, "two"), Keyword.NONE, T0.plusSeconds(1)).replyJobId();

        ReplyJob a = queue.claim("worker-a", Duration.ofSeconds(30), T0.plusSeconds(2)).orElseThrow();
        ReplyJob b = queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(2)).orElseThrow();
        assertThat(a.id()).isEqualTo(first);
        assertThat(a.attempts()).isEqualTo(1);
        assertThat(a.leaseOwner()).isEqualTo("worker-a");
        assertThat(a.leaseUntil()).isEqualTo(T0.plusSeconds(32));
        assertThat(b.id()).isEqualTo(second);
        assertThat(queue.claim("worker-c", Duration.ofSeconds(30), T0.plusSeconds(3))).isEmpty();
    }

    @Test
    void anExpiredLeaseIsTakenOverAndALiveOneIsNot() {
        long jobId = repo.recordInbound(inbound("SM7e57c75de8c1b7c3ae5252091267a736", CUSTOMER, "one"), Keyword.NONE, T0).replyJobId();
        queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();

        assertThat(queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(29))).isEmpty();
        ReplyJob takeover = queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(31)).orElseThrow();
        assertThat(takeover.id()).isEqualTo(jobId);
        assertThat(takeover.attempts()).isEqualTo(2);
        assertThat(takeover.leaseOwner()).isEqualTo("worker-b");

        // The first worker lost the job: it can neither extend nor complete it.
        assertThat(queue.extendLease(jobId, "worker-a", T0.plusSeconds(90))).isFalse();
        assertThat(queue.complete(jobId, "worker-a", T0.plusSeconds(32))).isFalse();
        assertThat(queue.complete(jobId, "worker-b", T0.plusSeconds(32))).isTrue();
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void extendingALeaseKeepsOthersOut() {
        repo.recordInbound(inbound("SM7e57c75de8c1b7c3ae5252091267a736", CUSTOMER, "one"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        assertThat(queue.extendLease(job.id(), "worker-a", T0.plusSeconds(60))).isTrue();
        assertThat(queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(45))).isEmpty();
        assertThat(queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(61))).isPresent();
    }

    @Test
    void postponeGivesTheJobBackUntilItsTimeWithoutCountingAnAttempt() {
        InboundResult in = repo.recordInbound(inbound("SM00000000000000000000000000b0a001", CUSTOMER, "hi"), Keyword.NONE, T0);
        ReplyJob first = queue.claim("w1", Duration.ofSeconds(30), T0).orElseThrow();
        assertThat(first.attempts()).isEqualTo(1);

        assertThat(queue.postpone(first.id(), "someone-else", T0.plusSeconds(2))).as("only the holder").isFalse();
        assertThat(queue.postpone(first.id(), "w1", T0.plusSeconds(2))).isTrue();
        assertThat(queue.claim("w2", Duration.ofSeconds(30), T0.plusSeconds(1))).as("not before its time").isEmpty();
        assertThat(queue.nextDueAt(T0.plusSeconds(1))).contains(T0.plusSeconds(2));

        ReplyJob again = queue.claim("w2", Duration.ofSeconds(30), T0.plusSeconds(2)).orElseThrow();
        assertThat(again.id()).isEqualTo(in.replyJobId());
        assertThat(again.attempts()).as("the postponed claim is not an attempt").isEqualTo(1);
        assertThat(again.createdAt()).isEqualTo(T0);
    }

    @Test
    void completedJobsAreNeverClaimedAgain() {
        repo.recordInbound(inbound("SM7e57c75de8c1b7c3ae5252091267a736", CUSTOMER, "one"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        assertThat(queue.complete(job.id(), "worker-a", T0.plusSeconds(1))).isTrue();
        assertThat(queue.claim("worker-a", Duration.ofSeconds(30), T0.plusSeconds(3600))).isEmpty();
        assertThat(queue.nextDueAt(T0)).isEmpty();
    }

    @Test
    void retryLaterMakesTheJobDueAgainAtTheGivenTime() {
        repo.recordInbound(inbound("SM7e57c75de8c1b7c3ae5252091267a736", CUSTOMER, "one"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        assertThat(queue.retryLater(job.id(), "worker-a", "Twilio said 429", T0.plusSeconds(10))).isTrue();

        assertThat(queue.nextDueAt(T0.plusSeconds(1))).contains(T0.plusSeconds(10));
        assertThat(queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(9))).isEmpty();
        ReplyJob again = queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(10)).orElseThrow();
        assertThat(again.attempts()).isEqualTo(2);
        assertThat(queue.pendingCount()).isEqualTo(1);
        assertThat(queue.retryLater(job.id(), "worker-a", "stale", T0)).isFalse();
    }

    @Test
    void nextDueAtIsTheEarlierOfTheNextFreeJobAndTheNextLeaseToEnd() {
        repo.recordInbound(inbound("SM7e5700000000000000000000000000d1", CUSTOMER, "one"), Keyword.NONE, T0);
        repo.recordInbound(inbound("SM7e5700000000000000000000000000d2", new PhoneNumber("+15557654321"), "two"), Keyword.NONE, T0);
        ReplyJob first = queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        // the other job is free and due since T0
        assertThat(queue.nextDueAt(T0.plusSeconds(1))).contains(T0);
        ReplyJob second = queue.claim("worker-b", Duration.ofSeconds(20), T0.plusSeconds(1)).orElseThrow();
        assertThat(second.id()).isNotEqualTo(first.id());
        // both leased: the lease that ends first (worker-b's, at T0 + 21 s)
        assertThat(queue.nextDueAt(T0.plusSeconds(2))).contains(T0.plusSeconds(21));
        // worker-b's job goes back for later; worker-a's lease (T0 + 30 s) now ends first
        assertThat(queue.retryLater(second.id(), "worker-b", "later", T0.plusSeconds(40))).isTrue();
        assertThat(queue.nextDueAt(T0.plusSeconds(3))).contains(T0.plusSeconds(30));
        // worker-a's lease has run out: its job is free again and due since T0
        assertThat(queue.nextDueAt(T0.plusSeconds(31))).contains(T0);
    }

    @Test
    void workersClaimingAtOnceNeverShareAJob() throws Exception {
        int jobs = 60;
        for (int i = 0; i < jobs; i++) {
            repo.recordInbound(inbound(TestSids.sms("w" + i), new PhoneNumber("+1555300" + String.format("%04d", i)), "hi"), Keyword.NONE, T0);
        }
        Set<Long> claimed = ConcurrentHashMap.newKeySet();
        List<Long> duplicates = java.util.Collections.synchronizedList(new ArrayList<>());
        runConcurrently(4, w -> {
            Optional<ReplyJob> job;
            while ((job = queue.claim("worker-" + w, Duration.ofSeconds(30), T0.plusSeconds(1))).isPresent()) {
                if (!claimed.add(job.get().id())) {
                    duplicates.add(job.get().id());
                }
                queue.complete(job.get().id(), "worker-" + w, T0.plusSeconds(1));
            }
            return null;
        });
        assertThat(duplicates).isEmpty();
        assertThat(claimed).hasSize(jobs);
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void theStoreAnswersWhenAvailable() {
        repo.checkAvailable();
        assertThat(queue.pendingCount()).isZero();
    }

    // ------------------------------------------------------------------ issue #10: takeover, qualification, usage

    @Test
    void aNewLeadHasTheAiOnAndNothingQualified() {
        Lead lead = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead();
        assertThat(lead.aiEnabled()).isTrue();
        assertThat(lead.aiPausedUntil()).isNull();
        assertThat(lead.aiActive(T0)).isTrue();
        assertThat(lead.qualification()).isEqualTo(Qualification.EMPTY);
        assertThat(lead.afterHoursNoticeAt()).isNull();
        assertThat(repo.findLead(lead.id())).contains(lead);
    }

    @Test
    void setAiSwitchesOffForAWhileOffForGoodAndBackOn() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Instant until = T0.plus(Duration.ofHours(2));

        Lead paused = repo.setAi(id, false, until);
        assertThat(paused.aiEnabled()).isFalse();
        assertThat(paused.aiPausedUntil()).isEqualTo(until);
        assertThat(paused.aiActive(T0)).isFalse();
        assertThat(paused.aiActive(until)).isTrue();
        assertThat(repo.findLead(id)).contains(paused);

        Lead off = repo.setAi(id, false, null);
        assertThat(off.aiPausedUntil()).isNull();
        assertThat(off.aiActive(T0.plus(Duration.ofDays(365)))).isFalse();

        Lead on = repo.setAi(id, true, until);
        assertThat(on.aiEnabled()).isTrue();
        assertThat(on.aiPausedUntil()).isNull();
        assertThat(repo.findLead(id)).contains(on);
        assertThatThrownBy(() -> repo.setAi(999_999, true, null)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void pauseAiUntilLengthensButNeverShortensAndKeepsOffForGood() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Instant later = T0.plus(Duration.ofHours(3));
        Instant sooner = T0.plus(Duration.ofHours(1));

        assertThat(repo.pauseAiUntil(id, later).aiPausedUntil()).isEqualTo(later);
        assertThat(repo.pauseAiUntil(id, sooner).aiPausedUntil()).isEqualTo(later);
        Instant latest = T0.plus(Duration.ofHours(5));
        assertThat(repo.pauseAiUntil(id, latest).aiPausedUntil()).isEqualTo(latest);

        repo.setAi(id, false, null);
        Lead stillOff = repo.pauseAiUntil(id, latest.plusSeconds(60));
        assertThat(stillOff.aiEnabled()).isFalse();
        assertThat(stillOff.aiPausedUntil()).isNull();
        assertThatThrownBy(() -> repo.pauseAiUntil(999_999, later)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void aiQualificationNeverOverwritesWhatStaffSet() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Map<Qualification.Field, String> ai = new LinkedHashMap<>();
        ai.put(Qualification.Field.NAME, "Jon");
        ai.put(Qualification.Field.SERVICE, "leaking water heater");
        Lead afterAi = repo.updateQualification(id, ai, false);
        assertThat(afterAi.qualification().name()).isEqualTo("Jon");
        assertThat(afterAi.qualification().staffEdited()).isEmpty();

        Map<Qualification.Field, String> staff = new LinkedHashMap<>();
        staff.put(Qualification.Field.NAME, "John Smith");
        staff.put(Qualification.Field.URGENCY, null);
        Lead afterStaff = repo.updateQualification(id, staff, true);
        assertThat(afterStaff.qualification().name()).isEqualTo("John Smith");
        assertThat(afterStaff.qualification().staffEdited())
                .containsExactlyInAnyOrder(Qualification.Field.NAME, Qualification.Field.URGENCY);

        Map<Qualification.Field, String> aiAgain = new LinkedHashMap<>();
        aiAgain.put(Qualification.Field.NAME, "Jonny");
        aiAgain.put(Qualification.Field.URGENCY, "today");
        aiAgain.put(Qualification.Field.ADDRESS, "12 Elm St, Springfield");
        aiAgain.put(Qualification.Field.SERVICE, null);
        Lead q = repo.updateQualification(id, aiAgain, false);
        assertThat(q.qualification()).isEqualTo(new Qualification("John Smith", "leaking water heater",
                "12 Elm St, Springfield", null, null, Set.of(Qualification.Field.NAME, Qualification.Field.URGENCY)));
        assertThat(repo.findLead(id)).contains(q);
        assertThat(q.qualification().missing()).containsExactly(Qualification.Field.URGENCY, Qualification.Field.PREFERRED_TIME);
        assertThatThrownBy(() -> repo.updateQualification(999_999, ai, true)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void afterHoursNoticeTimeIsKept() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Lead l = repo.markAfterHoursNotice(id, T0.plusSeconds(5));
        assertThat(l.afterHoursNoticeAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(repo.findLead(id)).contains(l);
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "hello?"), Keyword.NONE, T0.plusSeconds(60));
        assertThat(repo.findLead(id).orElseThrow().afterHoursNoticeAt()).isEqualTo(T0.plusSeconds(5));
    }

    @Test
    void keywordsAndOutboundKeepTheNewLeadFields() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        repo.setAi(id, false, T0.plus(Duration.ofHours(2)));
        repo.updateQualification(id, Map.of(Qualification.Field.NAME, "Ann"), true);
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "STOP"), Keyword.OPT_OUT, T0.plusSeconds(1));
        repo.setOptOut(id, false, T0.plusSeconds(2));
        recordPendingOutbound(id, "hello", null, T0.plusSeconds(3));
        Lead l = repo.findLead(id).orElseThrow();
        assertThat(l.aiEnabled()).isFalse();
        assertThat(l.aiPausedUntil()).isEqualTo(T0.plus(Duration.ofHours(2)));
        assertThat(l.qualification().name()).isEqualTo("Ann");
    }

    @Test
    void usageCountsMessagesTwilioAcceptedAndAiCallsInTheSpan() {
        Instant dayStart = T0;
        long id = repo.recordInbound(inboundWithMedia("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi", List.of()), Keyword.NONE, T0.plusSeconds(1)).lead().id();
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "x".repeat(200)), Keyword.NONE, T0.plusSeconds(2));
        Message sent = recordPendingOutbound(id, "a reply", null, T0.plusSeconds(3));
        repo.markSent(sent.id(), new SendResult("SM7e576776128287ef2cb8ead79828e5b7", MessageStatus.QUEUED, 2, BUSINESS), T0.plusSeconds(4));
        Message failed = recordPendingOutbound(id, "not sent", null, T0.plusSeconds(5));
        repo.markFailed(failed.id(), MessageStatus.FAILED, "21211");
        repo.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 120, 30, 800, T0.plusSeconds(3)));
        repo.recordAiCall(new AiCall(id, 7L, null, "timeout", 0, 0, 20_000, T0.plusSeconds(6)));
        repo.recordInbound(inbound("SM7e5788c0413bfef1d0570a8a6f9c780a", CUSTOMER, "next day"), Keyword.NONE, T0.plus(Duration.ofDays(1)));
        repo.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 1, 1, 1, T0.plus(Duration.ofDays(1))));

        UsageCounts day = repo.usage(dayStart, dayStart.plus(Duration.ofDays(1)));
        assertThat(day).isEqualTo(new UsageCounts(2, 1, 2, 2, 2, 120, 30));
        assertThat(repo.usage(dayStart.plus(Duration.ofDays(1)), dayStart.plus(Duration.ofDays(2))))
                .isEqualTo(new UsageCounts(1, 0, 1, 0, 1, 1, 1));
        assertThat(repo.usage(dayStart.minus(Duration.ofDays(1)), dayStart)).isEqualTo(UsageCounts.ZERO);
    }

    // ------------------------------------------------------------------ helpers

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
