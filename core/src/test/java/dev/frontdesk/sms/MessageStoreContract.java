package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link MessageStore} must have: outbound messages (one per reply job, one per provider
 * SID), delivery status, history and the first unanswered text. Written once, run against every implementation
 * through {@link StoreContracts}.
 */
public abstract class MessageStoreContract extends StoreContract {

    @Test
    void historyIsOldestFirstAndLimitKeepsTheMostRecent() {
        long leadId = 0;
        for (int i = 0; i < 5; i++) {
            leadId = repo.recordInbound(inbound(TestSids.sms("h" + i), CUSTOMER, "m" + i), Keyword.NONE, T0.plusSeconds(i)).lead().id();
        }
        assertThat(messages.history(leadId, 100)).extracting(Message::body).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(messages.history(leadId, 2)).extracting(Message::body).containsExactly("m3", "m4");
        assertThat(messages.history(424242, 10)).isEmpty();
    }

    @Test
    void outboundIsRecordedPendingThenMarkedSent() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "We can come at 3pm.", null, T0.plusSeconds(1));

        assertThat(pending.direction()).isEqualTo(Direction.OUTBOUND);
        assertThat(pending.status()).isEqualTo(MessageStatus.PENDING);
        assertThat(pending.twilioSid()).isNull();
        assertThat(pending.numSegments()).isEqualTo(1);
        assertThat(leads.findLead(lead.id()).orElseThrow().lastSmsAt()).isEqualTo(T0.plusSeconds(1));

        Message sent = messages.markSent(pending.id(), new SendResult("SM7e576776128287ef2cb8ead79828e5b7", MessageStatus.QUEUED, 1, BUSINESS), T0.plusSeconds(2));
        assertThat(sent.twilioSid()).isEqualTo("SM7e576776128287ef2cb8ead79828e5b7");
        assertThat(sent.status()).isEqualTo(MessageStatus.QUEUED);
        assertThat(sent.sentAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(messages.findMessageBySid("SM7e576776128287ef2cb8ead79828e5b7")).contains(sent);
    }

    @Test
    void aSidAlreadyStoredForAnotherMessageIsRefusedAndNothingChanges() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message first = recordPendingOutbound(lead.id(), "one", null, T0);
        Message second = recordPendingOutbound(lead.id(), "two", null, T0);
        messages.markSent(first.id(), new SendResult("SM7e57000000000000000000000000aaaa", MessageStatus.QUEUED, 1, BUSINESS), T0);

        assertThatThrownBy(() -> messages.markSent(second.id(), new SendResult("SM7e57000000000000000000000000aaaa", MessageStatus.QUEUED, 1, BUSINESS), T0))
                .isInstanceOf(DuplicateTwilioSidException.class)
                .hasMessageContaining("SM7e57000000000000000000000000aaaa");
        Message unchanged = messages.findMessage(second.id()).orElseThrow();
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
        assertThat(messages.findReplyForJob(in.replyJobId())).contains(first);
        assertThat(messages.history(in.lead().id(), 10)).hasSize(2);
    }

    @Test
    void firstUnansweredAtIsTheFirstTextAfterTheLatestReplyOrAutoReplyNote() {
        InboundResult one = repo.recordInbound(inbound("SM00000000000000000000000000f1a001", CUSTOMER, "one"), Keyword.NONE, T0);
        long leadId = one.lead().id();
        repo.recordInbound(inbound("SM00000000000000000000000000f1a002", CUSTOMER, "two"), Keyword.NONE, T0.plusSeconds(1));
        repo.recordInbound(inbound("SM00000000000000000000000000f1a0ff", OTHER, "someone else"), Keyword.NONE, T0.minusSeconds(30));
        assertThat(messages.firstUnansweredAt(leadId)).contains(T0);

        usage.recordAutoReply(one.replyJobId(), leadId, true, T0.plusSeconds(2)); // a reply is being written
        assertThat(messages.firstUnansweredAt(leadId)).as("nothing since the note").isEmpty();

        InboundResult three = repo.recordInbound(inbound("SM00000000000000000000000000f1a003", CUSTOMER, "three"), Keyword.NONE, T0.plusSeconds(3));
        assertThat(messages.firstUnansweredAt(leadId)).contains(T0.plusSeconds(3));

        recordPendingOutbound(leadId, "the reply", three.replyJobId(), T0.plusSeconds(4));
        assertThat(messages.firstUnansweredAt(leadId)).as("nothing since the reply").isEmpty();

        repo.recordInbound(inbound("SM00000000000000000000000000f1a004", CUSTOMER, "four"), Keyword.NONE, T0.plusSeconds(5));
        assertThat(messages.firstUnansweredAt(leadId)).contains(T0.plusSeconds(5));
        assertThat(messages.firstUnansweredAt(leads.findLeadByPhone(OTHER).orElseThrow().id())).contains(T0.minusSeconds(30));
    }

    @Test
    void markFailedKeepsTheErrorCode() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "hi", null, T0);
        Message failed = messages.markFailed(pending.id(), MessageStatus.FAILED, "21610");
        assertThat(failed.status()).isEqualTo(MessageStatus.FAILED);
        assertThat(failed.errorCode()).isEqualTo("21610");
        assertThat(messages.findMessage(pending.id())).contains(failed);
    }

    @Test
    void lateSentCallbackDoesNotOverwriteDelivered() {
        Message sent = sentMessage("SM7e5768f1c007e6178d3457a5b3d7f469");
        StatusResult delivered = messages.applyStatus(new StatusUpdate("SM7e5768f1c007e6178d3457a5b3d7f469", MessageStatus.DELIVERED, null), T0.plusSeconds(30));
        StatusResult late = messages.applyStatus(new StatusUpdate("SM7e5768f1c007e6178d3457a5b3d7f469", MessageStatus.SENT, null), T0.plusSeconds(40));

        assertThat(delivered.applied()).isTrue();
        assertThat(late.applied()).isFalse();
        Message now = messages.findMessage(sent.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(MessageStatus.DELIVERED);
        assertThat(now.deliveredAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void deliveredAtIsSetOnceAndReadFollows() {
        Message sent = sentMessage("SM7e5762673a604d240d8ca3978ebc52dd");
        messages.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.DELIVERED, null), T0.plusSeconds(30));
        messages.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.DELIVERED, null), T0.plusSeconds(50));
        StatusResult read = messages.applyStatus(new StatusUpdate("SM7e5762673a604d240d8ca3978ebc52dd", MessageStatus.READ, null), T0.plusSeconds(60));

        assertThat(read.applied()).isTrue();
        Message now = messages.findMessage(sent.id()).orElseThrow();
        assertThat(now.status()).isEqualTo(MessageStatus.READ);
        assertThat(now.deliveredAt()).isEqualTo(T0.plusSeconds(30));
    }

    @Test
    void failureCallbackStoresErrorCodeAndOptOutErrorMarksTheLead() {
        Message sent = sentMessage("SM7e5760484cc708f00500dbdee651a8a7");
        StatusResult r = messages.applyStatus(new StatusUpdate("SM7e5760484cc708f00500dbdee651a8a7", MessageStatus.FAILED, "21610"), T0.plusSeconds(5));

        assertThat(r.applied()).isTrue();
        assertThat(r.message().orElseThrow().errorCode()).isEqualTo("21610");
        assertThat(leads.findLead(sent.leadId()).orElseThrow().smsOptOut()).isTrue();
        assertThat(messages.applyStatus(new StatusUpdate("SM7e5760484cc708f00500dbdee651a8a7", MessageStatus.DELIVERED, null), T0.plusSeconds(6)).applied()).isFalse();
    }

    @Test
    void unknownSidChangesNothing() {
        StatusResult r = messages.applyStatus(new StatusUpdate("SM7e57b23a6a8439c0dde5515893e7c90c", MessageStatus.DELIVERED, null), T0);
        assertThat(r.message()).isEmpty();
        assertThat(r.applied()).isFalse();
    }

    private Message sentMessage(String sid) {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Message pending = recordPendingOutbound(lead.id(), "hello", null, T0);
        return messages.markSent(pending.id(), new SendResult(sid, MessageStatus.QUEUED, 1, BUSINESS), T0.plusSeconds(1));
    }
}
