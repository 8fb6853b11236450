package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageLedger} must have: AI calls and usage counts, and the abuse caps' notes and
 * counters. Written once, run against every implementation through {@link StoreContracts}.
 */
public abstract class UsageLedgerContract extends StoreContract {

    @Test
    void autoRepliesAreCountedPerLeadAndOverallWithinTheWindow() {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        Lead b = leads.findOrCreateLead(OTHER, Lead.SOURCE_SMS, T0);
        usage.recordAutoReply(101, a.id(), true, T0);
        usage.recordAutoReply(102, a.id(), false, T0.plusSeconds(60));
        usage.recordAutoReply(103, b.id(), true, T0.plusSeconds(120));

        assertThat(usage.countAutoReplies(a.id(), false, T0)).isEqualTo(2);
        assertThat(usage.countAutoReplies(a.id(), true, T0)).isEqualTo(1);
        assertThat(usage.countAutoReplies(null, false, T0)).isEqualTo(3);
        assertThat(usage.countAutoReplies(null, true, T0)).isEqualTo(2);
        assertThat(usage.countAutoReplies(null, false, T0.plusSeconds(60))).as("at or after since").isEqualTo(2);
        assertThat(usage.countAutoReplies(a.id(), false, T0.plusSeconds(61))).isZero();
        assertThat(usage.countAutoReplies(null, true, T0.plusSeconds(3600))).isZero();
    }

    @Test
    void anAutoReplyIsNotedOncePerReplyJob() {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        assertThat(usage.autoReplyAiCall(7)).isEmpty();

        assertThat(usage.recordAutoReply(7, a.id(), true, T0)).isTrue();
        assertThat(usage.recordAutoReply(7, a.id(), false, T0.plusSeconds(30))).as("the job's second run").isFalse();

        assertThat(usage.countAutoReplies(a.id(), false, T0)).isEqualTo(1);
        assertThat(usage.countAutoReplies(null, true, T0)).isEqualTo(1);
        assertThat(usage.autoReplyAiCall(7)).as("the first note is kept").contains(true);
    }

    @Test
    void anAutoReplyNotedAtOnceFromManyThreadsIsNotedOnce() throws Exception {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        List<Boolean> added = runConcurrently(8, i -> usage.recordAutoReply(9, a.id(), true, T0));

        assertThat(added).filteredOn(b -> b).hasSize(1);
        assertThat(usage.countAutoReplies(null, false, T0)).isEqualTo(1);
    }

    @Test
    void staffMessagesAreCountedWithoutAutomaticReplies() {
        InboundResult in = repo.recordInbound(inbound("SM7e57ab861dc170dc2e43224e45278d3d", CUSTOMER, "hi"), Keyword.NONE, T0);
        long leadId = in.lead().id();
        recordPendingOutbound(leadId, "AI reply", in.replyJobId(), T0.plusSeconds(1));
        recordPendingOutbound(leadId, "staff one", null, T0.plusSeconds(2));
        recordPendingOutbound(leadId, "staff two", null, T0.plusSeconds(70));

        assertThat(usage.countStaffMessages(T0)).isEqualTo(2);
        assertThat(usage.countStaffMessages(T0.plusSeconds(3))).isEqualTo(1);
        assertThat(usage.countStaffMessages(T0.plusSeconds(71))).isZero();
    }

    @Test
    void usageCountsMessagesTwilioAcceptedAndAiCallsInTheSpan() {
        Instant dayStart = T0;
        long id = repo.recordInbound(inboundWithMedia("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi", List.of()), Keyword.NONE, T0.plusSeconds(1)).lead().id();
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "x".repeat(200)), Keyword.NONE, T0.plusSeconds(2));
        Message sent = recordPendingOutbound(id, "a reply", null, T0.plusSeconds(3));
        messages.markSent(sent.id(), new SendResult("SM7e576776128287ef2cb8ead79828e5b7", MessageStatus.QUEUED, 2, BUSINESS), T0.plusSeconds(4));
        Message failed = recordPendingOutbound(id, "not sent", null, T0.plusSeconds(5));
        messages.markFailed(failed.id(), MessageStatus.FAILED, "21211");
        usage.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 120, 30, 800, T0.plusSeconds(3)));
        usage.recordAiCall(new AiCall(id, 7L, null, "timeout", 0, 0, 20_000, T0.plusSeconds(6)));
        repo.recordInbound(inbound("SM7e5788c0413bfef1d0570a8a6f9c780a", CUSTOMER, "next day"), Keyword.NONE, T0.plus(Duration.ofDays(1)));
        usage.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 1, 1, 1, T0.plus(Duration.ofDays(1))));

        UsageCounts day = usage.counts(dayStart, dayStart.plus(Duration.ofDays(1)));
        assertThat(day).isEqualTo(new UsageCounts(2, 1, 2, 2, 2, 120, 30));
        assertThat(usage.counts(dayStart.plus(Duration.ofDays(1)), dayStart.plus(Duration.ofDays(2))))
                .isEqualTo(new UsageCounts(1, 0, 1, 0, 1, 1, 1));
        assertThat(usage.counts(dayStart.minus(Duration.ofDays(1)), dayStart)).isEqualTo(UsageCounts.ZERO);
    }
}
