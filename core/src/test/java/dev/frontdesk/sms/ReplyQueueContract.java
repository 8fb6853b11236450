package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link ReplyQueue} must have: claims with leases, extension, completion, retries,
 * postponement and what is due, and the reply's steps each in one call (its context, the recorded and fenced
 * reply, the send recorded with the job's completion and its AI call). Written once, run against every implementation through {@link StoreContracts}.
 */
public abstract class ReplyQueueContract extends StoreContract {

    private ReplyContext claimNext(String worker, Instant now) {
        return queue.claimNext(worker, Duration.ofSeconds(30), now, 10, T0).claimed().orElseThrow();
    }

    @Test
    void aClaimSaysWhetherALaterUnfinishedJobOfTheSameLeadIsPending() {
        InboundResult first = repo.recordInbound(inbound("SM7e575b950e77941d01cdf246d00b1ece", CUSTOMER, "hi"), Keyword.NONE, T0);
        InboundResult other = repo.recordInbound(inbound("SM7e57abdbc2b5cc2c7a519b72bf7a164c", OTHER, "hello"), Keyword.NONE, T0.plusSeconds(1));
        InboundResult second = repo.recordInbound(inbound("SM7e570cd20d37dbaa799d1d2f6f04adba", CUSTOMER, "are you there?"), Keyword.NONE, T0.plusSeconds(2));

        ReplyContext a = claimNext("w", T0.plusSeconds(10));
        assertThat(a.job().id()).isEqualTo(first.replyJobId());
        assertThat(a.laterJobPending()).as("the customer texted again").isTrue();
        ReplyContext b = claimNext("w", T0.plusSeconds(10));
        assertThat(b.job().id()).isEqualTo(other.replyJobId());
        assertThat(b.laterJobPending()).as("another lead's later job does not count").isFalse();
        ReplyContext c = claimNext("w", T0.plusSeconds(10));
        assertThat(c.job().id()).isEqualTo(second.replyJobId());
        assertThat(c.laterJobPending()).as("nothing after the newest").isFalse();

        // Done jobs do not count: complete the later one, give the first back and claim it again.
        assertThat(queue.complete(c.job().id(), "w", T0.plusSeconds(10))).isTrue();
        assertThat(queue.retryLater(a.job().id(), "w", null, T0.plusSeconds(10))).isTrue();
        ReplyContext again = claimNext("w", T0.plusSeconds(11));
        assertThat(again.job().id()).isEqualTo(first.replyJobId());
        assertThat(again.laterJobPending()).isFalse();
    }

    @Test
    void aClaimWhenNothingIsDueSaysWhenTheNextJobWillBe() {
        ReplyClaim empty = queue.claimNext("w", Duration.ofSeconds(30), T0, 10, T0);
        assertThat(empty.claimed()).isEmpty();
        assertThat(empty.nextDueAt()).as("no job at all").isNull();

        repo.recordInbound(inbound(TestSids.sms("due1"), CUSTOMER, "hi"), Keyword.NONE, T0, Duration.ofSeconds(2));
        ReplyClaim early = queue.claimNext("w", Duration.ofSeconds(30), T0.plusSeconds(1), 10, T0);
        assertThat(early.claimed()).as("enqueued due 2 s after the text").isEmpty();
        assertThat(early.nextDueAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(queue.claimNext("w", Duration.ofSeconds(30), T0.plusSeconds(2), 10, T0).claimed()).isPresent();
    }

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
        assertThat(a.kind()).as("an inbound text's job answers it").isEqualTo(ReplyJob.Kind.REPLY);
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

    // ------------------------------------------------------------------ one store call per step of a reply

    private NewOutboundMessage reply(long leadId, long jobId, String body, Instant at) {
        return new NewOutboundMessage(leadId, BUSINESS, CUSTOMER.value(), body, MessageStatus.PENDING, null, 1, jobId, at);
    }

    @Test
    void aClaimHoldsTheJobsLeadTheTextedNumberItsHistoryTheCapCountsAndWhatAnEarlierAttemptLeft() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("ctx1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        InboundResult other = repo.recordInbound(inbound(TestSids.sms("ctx2"), OTHER, "hello"), Keyword.NONE, T0);
        usage.recordAutoReply(other.replyJobId(), other.lead().id(), true, T0.minusSeconds(10)); // before the window
        usage.recordAutoReply(other.replyJobId() + 1000, other.lead().id(), false, T0.plusMillis(500));

        ReplyContext first = queue.claimNext("w", Duration.ofSeconds(30), T0.plusSeconds(1), 10, T0).claimed().orElseThrow();
        ReplyJob job = first.job();
        assertThat(job.id()).isEqualTo(in.replyJobId());
        assertThat(job.leaseOwner()).isEqualTo("w");
        assertThat(first.lead()).isEqualTo(in.lead());
        assertThat(first.textedNumber()).isEqualTo(BUSINESS);
        assertThat(first.reply()).isNull();
        assertThat(first.history()).containsExactly(in.message());
        assertThat(first.historyThroughId()).isEqualTo(in.message().id());
        assertThat(first.autoReplyAiCall()).isNull();
        assertThat(first.firstUnansweredAt()).isEqualTo(T0);
        assertThat(first.autoReplies()).as("another lead's fallback in the window; its AI reply before it")
                .isEqualTo(new AutoReplyCounts(0, 1, 0));

        usage.recordAutoReply(job.id(), in.lead().id(), true, T0.plusSeconds(2));
        Message pending = queue.recordReply(job.id(), "w", T0.plusSeconds(40), reply(in.lead().id(), job.id(), "Hello!", T0.plusSeconds(3)),
                Map.of()).message();
        ReplyContext again = queue.claimNext("w2", Duration.ofSeconds(30), T0.plusSeconds(41), 10, T0).claimed().orElseThrow();
        assertThat(again.job().id()).as("w's lease ran out").isEqualTo(job.id());
        assertThat(again.reply()).isEqualTo(pending);
        assertThat(again.earlierReply()).contains(pending);
        assertThat(again.autoReplyAiCall()).isTrue();
        assertThat(again.autoReplies()).isEqualTo(new AutoReplyCounts(1, 2, 1));
        assertThat(again.history()).containsExactly(in.message(), pending);
        assertThat(again.firstUnansweredAt()).as("answered").isNull();
        ReplyContext latest = queue.claimNext("w3", Duration.ofSeconds(30), T0.plusSeconds(72), 1, T0).claimed().orElseThrow();
        assertThat(latest.history()).as("the most recent only").containsExactly(pending);
        ReplyContext bare = queue.claimNext("w4", Duration.ofSeconds(30), T0.plusSeconds(103), 0, T0).claimed().orElseThrow();
        assertThat(bare.history()).as("no history asked for").isEmpty();
    }

    @Test
    void recordReplyKeepsWhatTheAiLearnedAndRecordsNothingForALeadStaffTookOver() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("took1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        long lead = in.lead().id();
        leads.updateQualification(lead, Map.of(Qualification.Field.NAME, "Sam Lee"), true, T0);
        ReplyJob job = queue.claim("w", Duration.ofSeconds(30), T0).orElseThrow();
        leads.pauseAiUntil(lead, T0.plusSeconds(3600));

        RecordedReply r = queue.recordReply(job.id(), "w", T0.plusSeconds(40), reply(lead, job.id(), "Hello!", T0.plusSeconds(1)),
                Map.of(Qualification.Field.NAME, "Samuel", Qualification.Field.SERVICE, "leaky tap"));
        assertThat(r.takenOver()).isTrue();
        assertThat(r.findMessage()).isEmpty();
        assertThat(messages.findReplyForJob(job.id())).as("nothing recorded").isEmpty();
        assertThat(queue.pendingCount()).as("the job is done").isZero();
        Qualification q = leads.findLead(lead).orElseThrow().qualification();
        assertThat(q.service()).as("the AI's details are kept").isEqualTo("leaky tap");
        assertThat(q.name()).as("a staff-set field stays").isEqualTo("Sam Lee");
    }

    @Test
    void recordReplyRecordsAndFencesOnlyForTheWorkerThatHoldsTheJob() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("fence1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        long lead = in.lead().id();
        long jobId = in.replyJobId();
        queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(31)).orElseThrow(); // a's lease ran out

        assertThat(queue.recordReply(jobId, "worker-a", T0.plusSeconds(90), reply(lead, jobId, "late", T0.plusSeconds(32)), Map.of()).findMessage())
                .as("a lost the job: nothing recorded").isEmpty();
        assertThat(messages.findReplyForJob(jobId)).isEmpty();

        Message recorded = queue.recordReply(jobId, "worker-b", T0.plusSeconds(200), reply(lead, jobId, "Hello!", T0.plusSeconds(33)), Map.of())
                .findMessage().orElseThrow();
        assertThat(recorded.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(recorded.body()).isEqualTo("Hello!");
        assertThat(messages.findReplyForJob(jobId)).contains(recorded);
        assertThat(queue.claim("worker-c", Duration.ofSeconds(30), T0.plusSeconds(150))).as("the lease was fenced to 200 s").isEmpty();
        assertThat(queue.recordReply(jobId, "worker-b", T0.plusSeconds(210), reply(lead, jobId, "again", T0.plusSeconds(34)), Map.of()).findMessage())
                .as("one reply per job").contains(recorded);
        assertThatThrownBy(() -> queue.recordReply(jobId, "worker-b", T0.plusSeconds(210), reply(lead, jobId + 1, "x", T0), Map.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void completeSentStoresTheSidRecordsTheAiCallAndCompletesTheJobInOneCall() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("sent1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        long lead = in.lead().id();
        ReplyJob job = queue.claim("w", Duration.ofSeconds(30), T0).orElseThrow();
        Message pending = queue.recordReply(job.id(), "w", T0.plusSeconds(30), reply(lead, job.id(), "Hello!", T0.plusSeconds(1)), Map.of()).findMessage().orElseThrow();

        String sid = TestSids.sms("sent1-out");
        AiCall call = new AiCall(lead, job.id(), "gpt-4o-mini", "ok", 120, 30, 800, T0.plusSeconds(1));
        assertThat(queue.completeSent(job.id(), "w", pending.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS), call,
                0, T0.plusSeconds(2))).isTrue();

        Message sent = messages.findMessageBySid(sid).orElseThrow();
        assertThat(sent.id()).isEqualTo(pending.id());
        assertThat(sent.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(sent.sentAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(usage.counts(T0, T0.plusSeconds(60))).isEqualTo(new UsageCounts(1, 1, 1, 1, 1, 120, 30));
        assertThat(queue.pendingCount()).isZero();
        assertThat(queue.claim("w2", Duration.ofSeconds(30), T0.plusSeconds(100))).isEmpty();
    }

    @Test
    void completeSentByAWorkerThatLostTheJobStillStoresTheSendButLeavesTheJob() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("lost1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        long lead = in.lead().id();
        ReplyJob job = queue.claim("worker-a", Duration.ofSeconds(30), T0).orElseThrow();
        Message pending = queue.recordReply(job.id(), "worker-a", T0.plusSeconds(30), reply(lead, job.id(), "Hello!", T0), Map.of()).findMessage().orElseThrow();
        queue.claim("worker-b", Duration.ofSeconds(30), T0.plusSeconds(31)).orElseThrow();

        String sid = TestSids.sms("lost1-out");
        assertThat(queue.completeSent(job.id(), "worker-a", pending.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS), null,
                0, T0.plusSeconds(32))).isFalse();
        assertThat(messages.findMessage(pending.id()).orElseThrow().twilioSid()).as("the text is out: its SID is kept").isEqualTo(sid);
        assertThat(usage.counts(T0, T0.plusSeconds(60)).aiCalls()).isZero();
        assertThat(queue.pendingCount()).as("worker-b holds it").isEqualTo(1);
    }

    @Test
    void completeSentWithASidStoredForAnotherMessageChangesNothing() {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("dup1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        long lead = in.lead().id();
        String sid = TestSids.sms("dup1-out");
        Message staff = recordPendingOutbound(lead, "typed by staff", null, T0);
        messages.markSent(staff.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS), T0);
        ReplyJob job = queue.claim("w", Duration.ofSeconds(30), T0).orElseThrow();
        Message pending = queue.recordReply(job.id(), "w", T0.plusSeconds(30), reply(lead, job.id(), "Hello!", T0), Map.of()).findMessage().orElseThrow();

        AiCall call = new AiCall(lead, job.id(), "gpt-4o-mini", "ok", 120, 30, 800, T0);
        assertThatThrownBy(() -> queue.completeSent(job.id(), "w", pending.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS),
                call, 0, T0.plusSeconds(1))).isInstanceOf(DuplicateTwilioSidException.class);
        assertThat(messages.findMessage(pending.id()).orElseThrow().status()).isEqualTo(MessageStatus.PENDING);
        assertThat(usage.counts(T0, T0.plusSeconds(60)).aiCalls()).as("the AI call is not half-recorded").isZero();
        assertThat(queue.pendingCount()).isEqualTo(1);
        assertThat(queue.complete(job.id(), "w", T0.plusSeconds(2))).as("still held by w").isTrue();
    }

    @Test
    void completeSentAlsoCompletesTheLeadsJobsForTextsTheReplyWasWrittenAfter() {
        InboundResult one = repo.recordInbound(inbound(TestSids.sms("burst1"), CUSTOMER, "one"), Keyword.NONE, T0);
        InboundResult two = repo.recordInbound(inbound(TestSids.sms("burst2"), CUSTOMER, "two"), Keyword.NONE, T0.plusSeconds(1));
        InboundResult elsewhere = repo.recordInbound(inbound(TestSids.sms("burst3"), OTHER, "hello"), Keyword.NONE, T0.plusSeconds(1));
        ReplyContext ctx = claimNext("w", T0.plusSeconds(2));
        assertThat(ctx.job().id()).isEqualTo(one.replyJobId());
        assertThat(ctx.historyThroughId()).isEqualTo(two.message().id());
        InboundResult three = repo.recordInbound(inbound(TestSids.sms("burst4"), CUSTOMER, "three"), Keyword.NONE, T0.plusSeconds(3));
        long lead = one.lead().id();
        Message pending = queue.recordReply(ctx.job().id(), "w", T0.plusSeconds(40), reply(lead, ctx.job().id(), "Hi!", T0.plusSeconds(4)),
                Map.of()).message();

        assertThat(queue.completeSent(ctx.job().id(), "w", pending.id(), new SendResult(TestSids.sms("burst-out"), MessageStatus.QUEUED, 1, BUSINESS),
                null, ctx.historyThroughId(), T0.plusSeconds(5))).isTrue();

        assertThat(queue.pendingCount()).as("the job for text three (written after the reply's context) and the other lead's wait").isEqualTo(2);
        Set<Long> left = new java.util.HashSet<>();
        queue.claim("w", Duration.ofSeconds(30), T0.plusSeconds(60)).ifPresent(j -> left.add(j.id()));
        queue.claim("w", Duration.ofSeconds(30), T0.plusSeconds(60)).ifPresent(j -> left.add(j.id()));
        assertThat(left).containsExactlyInAnyOrder(three.replyJobId(), elsewhere.replyJobId());
        assertThat(two.replyJobId()).isNotNull();
    }
}
