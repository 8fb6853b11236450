package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The store's side of follow-ups ({@link ReplyJob.Kind#FOLLOW_UP}): scheduled in the transaction that records a
 * business text as sent, at most one waiting per lead (a later text replaces it, also when two are sent at once),
 * cancelled by the customer's next text and by an opt-out, never mistaken for a later text of the customer. Written
 * once, run against every implementation through {@link StoreContracts}.
 */
public abstract class FollowUpContract extends StoreContract {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Instant DUE = T0.plus(Duration.ofHours(4));

    private ReplyClaim claimAt(Instant now) {
        return queue.claimNext("w", LEASE, now, 10, now.minusSeconds(3600));
    }

    /** A staff text recorded and marked sent at {@code at}, with the lead's follow-up due at {@code followUpAt}. */
    private Message staffText(long leadId, String body, Instant at, Instant followUpAt) {
        Message pending = recordPendingOutbound(leadId, body, null, at);
        return messages.markSent(pending.id(), new SendResult(TestSids.sms("out-" + body), MessageStatus.QUEUED, 1, BUSINESS),
                at, followUpAt);
    }

    @Test
    void aRepliesSendSchedulesTheLeadsFollowUpDueThenInTheSameCall() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu1"), CUSTOMER, "I need a plumber"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("w", LEASE, T0).orElseThrow();
        Message pending = queue.recordReply(job.id(), "w", T0.plusSeconds(30), new NewOutboundMessage(in.lead().id(), BUSINESS,
                CUSTOMER.value(), "What's the address?", MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(1)), Map.of()).message();

        assertThat(queue.completeSent(job.id(), "w", pending.id(), new SendResult(TestSids.sms("fu1-out"), MessageStatus.QUEUED, 1, BUSINESS),
                null, 0, T0.plusSeconds(2), DUE)).isTrue();

        assertThat(queue.pendingCount()).as("the follow-up waits").isEqualTo(1);
        ReplyClaim early = claimAt(DUE.minusSeconds(1));
        assertThat(early.claimed()).as("not before it is due").isEmpty();
        assertThat(early.nextDueAt()).isEqualTo(DUE);
        ReplyContext followUp = claimAt(DUE).claimed().orElseThrow();
        assertThat(followUp.job().kind()).isEqualTo(ReplyJob.Kind.FOLLOW_UP);
        assertThat(followUp.job().leadId()).isEqualTo(in.lead().id());
        assertThat(followUp.job().inboundMessageId()).as("it answers no text").isZero();
        assertThat(followUp.reply()).isNull();
        assertThat(followUp.laterJobPending()).isFalse();
        assertThat(followUp.history()).extracting(Message::direction).containsExactly(Direction.INBOUND, Direction.OUTBOUND);
    }

    @Test
    void aSendWithoutAFollowUpSchedulesNone() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu2"), CUSTOMER, "hi"), Keyword.NONE, T0);
        queue.complete(queue.claim("w", LEASE, T0).orElseThrow().id(), "w", T0);
        staffText(in.lead().id(), "no-follow-up", T0.plusSeconds(5), null);
        assertThat(queue.pendingCount()).isZero();
        assertThat(queue.nextDueAt(T0)).isEmpty();
    }

    @Test
    void aLaterBusinessTextReplacesTheWaitingFollowUp() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "first", T0, DUE);
        staffText(lead.id(), "second", T0.plusSeconds(60), DUE.plusSeconds(60));

        assertThat(queue.pendingCount()).as("one waiting per lead").isEqualTo(1);
        assertThat(claimAt(DUE).claimed()).as("the first one's time has no job").isEmpty();
        assertThat(claimAt(DUE.plusSeconds(60)).claimed().orElseThrow().job().kind()).isEqualTo(ReplyJob.Kind.FOLLOW_UP);
    }

    @Test
    void theCustomersNextTextCancelsTheWaitingFollowUp() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu3"), CUSTOMER, "hi"), Keyword.NONE, T0);
        queue.complete(queue.claim("w", LEASE, T0).orElseThrow().id(), "w", T0);
        staffText(in.lead().id(), "question", T0.plusSeconds(10), DUE);

        InboundResult answer = repo.recordInbound(inbound(TestSids.sms("fu3b"), CUSTOMER, "Tuesday works"), Keyword.NONE, T0.plusSeconds(20));

        assertThat(queue.pendingCount()).as("only the answer's reply job").isEqualTo(1);
        ReplyJob next = claimAt(DUE).claimed().orElseThrow().job();
        assertThat(next.id()).isEqualTo(answer.replyJobId());
        assertThat(claimAt(DUE).claimed()).as("no follow-up left").isEmpty();
    }

    @Test
    void aTextRecordedAsSentAfterTheCustomerWroteAgainSchedulesNoFollowUp() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu9"), CUSTOMER, "hi"), Keyword.NONE, T0);
        queue.complete(queue.claim("w", LEASE, T0).orElseThrow().id(), "w", T0);
        Message pending = recordPendingOutbound(in.lead().id(), "When suits you?", null, T0.plusSeconds(10));
        // The customer writes while the text is with Twilio, before it is recorded as sent.
        InboundResult meanwhile = repo.recordInbound(inbound(TestSids.sms("fu9b"), CUSTOMER, "HELP"), Keyword.HELP,
                T0.plusSeconds(11));
        messages.markSent(pending.id(), new SendResult(TestSids.sms("fu9-out"), MessageStatus.QUEUED, 1, BUSINESS),
                T0.plusSeconds(12), DUE);

        assertThat(meanwhile.replyJobId()).as("a keyword has no AI reply").isNull();
        assertThat(queue.pendingCount()).as("the floor is the customer's: no nudge").isZero();
        assertThat(claimAt(DUE).claimed()).isEmpty();

        // Once the business's text is the last again, a send schedules one as before.
        staffText(in.lead().id(), "Still there?", T0.plusSeconds(60), DUE.plusSeconds(60));
        assertThat(claimAt(DUE.plusSeconds(60)).claimed().orElseThrow().job().kind()).isEqualTo(ReplyJob.Kind.FOLLOW_UP);
    }

    @Test
    void aTextWithPhotosAndAStopCancelTheWaitingFollowUpToo() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu4"), CUSTOMER, "hi"), Keyword.NONE, T0);
        queue.complete(queue.claim("w", LEASE, T0).orElseThrow().id(), "w", T0);
        staffText(in.lead().id(), "send a photo?", T0.plusSeconds(10), DUE);
        repo.recordInbound(inboundWithMedia(TestSids.sms("fu4b"), CUSTOMER, "here",
                List.of(new MediaItem("https://api.twilio.com/media/ME1", "image/jpeg"))), Keyword.NONE, T0.plusSeconds(20));
        queue.complete(claimAt(T0.plusSeconds(20)).claimed().orElseThrow().job().id(), "w", T0.plusSeconds(21));
        assertThat(queue.pendingCount()).as("the text with media (another path on PostgreSQL) cancelled it").isZero();

        staffText(in.lead().id(), "thanks", T0.plusSeconds(30), DUE);
        repo.recordInbound(inbound(TestSids.sms("fu4c"), CUSTOMER, "STOP"), Keyword.OPT_OUT, T0.plusSeconds(40));
        assertThat(queue.pendingCount()).as("STOP enqueues no reply and cancels the follow-up").isZero();
    }

    @Test
    void optingOutCancelsTheWaitingFollowUpAndOptingInSchedulesNone() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "hello", T0, DUE);
        leads.setOptOut(lead.id(), false, T0.plusSeconds(1));
        assertThat(queue.pendingCount()).as("clearing an opt-out keeps it").isEqualTo(1);

        leads.setOptOut(lead.id(), true, T0.plusSeconds(2));
        assertThat(queue.pendingCount()).isZero();
        assertThat(claimAt(DUE).claimed()).isEmpty();
    }

    @Test
    void aFollowUpAWorkerHoldsIsLeftToItsWorker() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "hello", T0, DUE);
        ReplyJob held = claimAt(DUE).claimed().orElseThrow().job();

        repo.recordInbound(inbound(TestSids.sms("fu5"), CUSTOMER, "yes?"), Keyword.NONE, DUE.plusSeconds(1));
        staffText(lead.id(), "meanwhile", DUE.plusSeconds(2), DUE.plus(Duration.ofHours(4)));

        assertThat(queue.complete(held.id(), "w", DUE.plusSeconds(3)))
                .as("neither the text nor the new follow-up took it from its worker, which checks again itself").isTrue();
        assertThat(queue.pendingCount()).as("the text's reply job and the new follow-up").isEqualTo(2);
    }

    @Test
    void aFollowUpWhoseCustomerTextedWhileItWasWrittenIsNotRecorded() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "hello", T0, DUE);
        ReplyJob held = claimAt(DUE).claimed().orElseThrow().job();
        InboundResult text = repo.recordInbound(inbound(TestSids.sms("fu7"), CUSTOMER, "yes, still need it"), Keyword.NONE, DUE.plusSeconds(1));

        RecordedReply recorded = queue.recordReply(held.id(), "w", DUE.plusSeconds(40), new NewOutboundMessage(lead.id(), BUSINESS,
                CUSTOMER.value(), "Just checking in", MessageStatus.PENDING, null, 1, held.id(), DUE.plusSeconds(2)), Map.of());

        assertThat(recorded.takenOver()).as("not to be sent").isTrue();
        assertThat(recorded.message()).isNull();
        assertThat(messages.findReplyForJob(held.id())).isEmpty();
        assertThat(queue.pendingCount()).as("the follow-up completed; the text's reply job waits").isEqualTo(1);
        assertThat(claimAt(DUE.plusSeconds(60)).claimed().orElseThrow().job().id()).isEqualTo(text.replyJobId());
    }

    @Test
    void aFollowUpWithoutANewTextIsRecordedAsAReply() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "hello", T0, DUE);
        ReplyJob held = claimAt(DUE).claimed().orElseThrow().job();
        RecordedReply recorded = queue.recordReply(held.id(), "w", DUE.plusSeconds(40), new NewOutboundMessage(lead.id(), BUSINESS,
                CUSTOMER.value(), "Just checking in", MessageStatus.PENDING, null, 1, held.id(), DUE.plusSeconds(2)), Map.of());
        assertThat(recorded.takenOver()).isFalse();
        assertThat(recorded.message().body()).isEqualTo("Just checking in");
    }

    @Test
    void aWaitingFollowUpIsNoLaterTextOfTheCustomer() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fu6"), CUSTOMER, "hi"), Keyword.NONE, T0);
        staffText(in.lead().id(), "on it", T0.plusSeconds(1), DUE);

        ReplyContext reply = claimAt(T0.plusSeconds(2)).claimed().orElseThrow();
        assertThat(reply.job().id()).isEqualTo(in.replyJobId());
        assertThat(reply.laterJobPending()).as("the follow-up must not fold the text into itself").isFalse();
    }

    @Test
    void aSendRefusedForADuplicateSidSchedulesNothing() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        staffText(lead.id(), "taken", T0, null);
        Message other = recordPendingOutbound(lead.id(), "second", null, T0.plusSeconds(1));
        assertThatThrownBy(() -> messages.markSent(other.id(), new SendResult(TestSids.sms("out-taken"), MessageStatus.QUEUED, 1, BUSINESS),
                T0.plusSeconds(1), DUE)).isInstanceOf(DuplicateTwilioSidException.class);
        assertThat(queue.pendingCount()).isZero();
    }

    @Test
    void textsSentToOneLeadAtOnceLeaveOneFollowUpWaiting() throws Exception {
        int n = 8;
        for (int round = 0; round < 5; round++) {
            Lead lead = leads.findOrCreateLead(new PhoneNumber("+1555000020" + round), Lead.SOURCE_MANUAL, T0);
            List<Message> pending = new java.util.ArrayList<>();
            for (int i = 0; i < n; i++) {
                // each in a quarter-hour of its own, so that nothing but the follow-up's own lock orders the sends
                pending.add(recordPendingOutbound(lead.id(), "text " + i, null, T0.plus(Duration.ofMinutes(15L * (i + n * round)))));
            }
            int r = round;
            runConcurrently(n, i -> messages.markSent(pending.get(i).id(),
                    new SendResult(TestSids.sms("race-" + r + "-" + i), MessageStatus.QUEUED, 1, BUSINESS), DUE.minusSeconds(n - i),
                    DUE.plusMillis(i)));
            assertThat(queue.pendingCount()).as("round " + round + ": each replaced the one before").isEqualTo(round + 1);
        }
    }
}
