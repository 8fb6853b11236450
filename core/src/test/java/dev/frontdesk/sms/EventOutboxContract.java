package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link EventOutbox} must have: events written with the changes they report (only once enabled),
 * each once; claims with leases; delivery, retries and giving up; the lists by status. Run on every store through
 * {@link StoreContracts}.
 */
public abstract class EventOutboxContract extends StoreContract {

    private static final Duration LEASE = Duration.ofSeconds(30);

    private EventOutbox events() {
        EventOutbox e = repo.events();
        e.enable();
        return e;
    }

    private List<EventType> pendingTypes() {
        List<OutboxEvent> list = new ArrayList<>(repo.events().list(OutboxEvent.Status.PENDING, 100));
        java.util.Collections.reverse(list); // oldest first
        return list.stream().map(OutboxEvent::type).toList();
    }

    @Test
    void aStoreThatWasNotEnabledRecordsNoEvents() {
        assertThat(repo.events().enabled()).isFalse();
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("ev0"), CUSTOMER, "hi"), Keyword.NONE, T0);
        leads.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0);
        Message out = recordPendingOutbound(in.lead().id(), "Hello", null, T0);
        messages.markSent(out.id(), new SendResult(TestSids.sms("ev0out"), MessageStatus.QUEUED, 1, BUSINESS), T0);
        for (OutboxEvent.Status s : OutboxEvent.Status.values()) {
            assertThat(repo.events().list(s, 10)).isEmpty();
        }
        assertThat(repo.events().claim("w", LEASE, T0.plusSeconds(60), 10)).isEmpty();
        assertThat(repo.events().nextDueAt(T0)).isEmpty();
    }

    @Test
    void anInboundTextFromANewNumberRecordsLeadCreatedAndMessageReceivedOnce() {
        EventOutbox events = events();
        assertThat(events.enabled()).isTrue();
        InboundResult first = repo.recordInbound(inbound(TestSids.sms("ev1"), CUSTOMER, "hi"), Keyword.NONE, T0);
        assertThat(pendingTypes()).containsExactly(EventType.LEAD_CREATED, EventType.MESSAGE_RECEIVED);

        repo.recordInbound(inbound(TestSids.sms("ev1"), CUSTOMER, "hi"), Keyword.NONE, T0.plusSeconds(1));
        assertThat(pendingTypes()).as("a repeated MessageSid records nothing").hasSize(2);

        InboundResult second = repo.recordInbound(inbound(TestSids.sms("ev2"), CUSTOMER, "again"), Keyword.NONE, T0.plusSeconds(2));
        repo.recordInbound(inbound(TestSids.sms("ev3"), CUSTOMER, "STOP"), Keyword.OPT_OUT, T0.plusSeconds(3));
        assertThat(pendingTypes()).as("a returning customer's texts, keywords too").containsExactly(EventType.LEAD_CREATED,
                EventType.MESSAGE_RECEIVED, EventType.MESSAGE_RECEIVED, EventType.MESSAGE_RECEIVED);

        List<OutboxEvent> all = events.list(OutboxEvent.Status.PENDING, 10);
        OutboxEvent created = all.get(3);
        assertThat(created.leadId()).isEqualTo(first.lead().id());
        assertThat(created.messageId()).isNull();
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.attempts()).isZero();
        assertThat(created.nextAttemptAt()).isEqualTo(T0);
        assertThat(all.get(2).messageId()).isEqualTo(first.message().id());
        assertThat(all.get(1).messageId()).isEqualTo(second.message().id());
        assertThat(all).allSatisfy(e -> assertThat(e.eventId()).matches("evt_[0-9a-f]{32}"));
        assertThat(all.stream().map(OutboxEvent::eventId).distinct()).hasSize(4);
    }

    @Test
    void anInboundTextWithMediaRecordsItsEventsToo() {
        events();
        repo.recordInbound(inboundWithMedia(TestSids.mms("ev4"), CUSTOMER, "photo",
                List.of(new MediaItem("https://api.twilio.com/m/1", "image/jpeg"))), Keyword.NONE, T0);
        assertThat(pendingTypes()).containsExactly(EventType.LEAD_CREATED, EventType.MESSAGE_RECEIVED);
    }

    @Test
    void staffCreatingALeadRecordsLeadCreatedOnce() {
        events();
        Lead lead = leads.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0);
        leads.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0.plusSeconds(1));
        assertThat(pendingTypes()).containsExactly(EventType.LEAD_CREATED);
        assertThat(repo.events().list(OutboxEvent.Status.PENDING, 10).get(0).leadId()).isEqualTo(lead.id());
    }

    @Test
    void aSentMessageRecordsMessageSentOnceFromStaffAndFromTheReplyPath() {
        EventOutbox events = events();
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("ev5"), CUSTOMER, "hi"), Keyword.NONE, T0);
        Message staff = recordPendingOutbound(in.lead().id(), "Hello from staff", null, T0.plusSeconds(1));
        SendResult accepted = new SendResult(TestSids.sms("ev5out"), MessageStatus.QUEUED, 1, BUSINESS);
        messages.markSent(staff.id(), accepted, T0.plusSeconds(2));
        messages.markSent(staff.id(), accepted, T0.plusSeconds(3)); // the same answer recorded again
        assertThat(pendingTypes()).containsExactly(EventType.LEAD_CREATED, EventType.MESSAGE_RECEIVED, EventType.MESSAGE_SENT);
        assertThat(events.list(OutboxEvent.Status.PENDING, 1).get(0).messageId()).isEqualTo(staff.id());

        ReplyJob job = queue.claim("w", LEASE, T0.plusSeconds(5)).orElseThrow();
        Message reply = queue.recordReply(job.id(), "w", T0.plusSeconds(40), new NewOutboundMessage(in.lead().id(), BUSINESS,
                CUSTOMER.value(), "AI says hi", MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(6)), Map.of())
                .findMessage().orElseThrow();
        assertThat(pendingTypes()).as("recording a reply is not sending it").hasSize(3);
        queue.completeSent(job.id(), "w", reply.id(), new SendResult(TestSids.sms("ev5ai"), MessageStatus.QUEUED, 1, BUSINESS),
                null, in.message().id(), T0.plusSeconds(7));
        assertThat(pendingTypes()).endsWith(EventType.MESSAGE_SENT, EventType.MESSAGE_SENT);
        assertThat(events.list(OutboxEvent.Status.PENDING, 1).get(0).messageId()).isEqualTo(reply.id());
    }

    @Test
    void aReplyThatCompletesTheBookingDetailsRecordsLeadQualifiedOnce() {
        events();
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("ev6"), CUSTOMER, "hi"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("w", LEASE, T0.plusSeconds(1)).orElseThrow();
        queue.recordReply(job.id(), "w", T0.plusSeconds(40), new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(),
                "Thanks", MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(2)),
                Map.of(Qualification.Field.NAME, "Sam", Qualification.Field.SERVICE, "leak", Qualification.Field.ADDRESS, "1 Main St"));
        assertThat(pendingTypes()).as("preferred time still unknown").doesNotContain(EventType.LEAD_QUALIFIED);
        queue.completeSent(job.id(), "w", messages.findReplyForJob(job.id()).orElseThrow().id(),
                new SendResult(TestSids.sms("ev6a"), MessageStatus.QUEUED, 1, BUSINESS), null, 0, T0.plusSeconds(3));

        repo.recordInbound(inbound(TestSids.sms("ev7"), CUSTOMER, "tomorrow 9am"), Keyword.NONE, T0.plusSeconds(10));
        ReplyJob next = queue.claim("w", LEASE, T0.plusSeconds(11)).orElseThrow();
        queue.recordReply(next.id(), "w", T0.plusSeconds(50), new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(),
                "Booked", MessageStatus.PENDING, null, 1, next.id(), T0.plusSeconds(12)),
                Map.of(Qualification.Field.PREFERRED_TIME, "tomorrow 9am"));
        assertThat(pendingTypes().stream().filter(t -> t == EventType.LEAD_QUALIFIED)).hasSize(1);
        OutboxEvent qualified = repo.events().list(OutboxEvent.Status.PENDING, 1).get(0);
        assertThat(qualified.type()).isEqualTo(EventType.LEAD_QUALIFIED);
        assertThat(qualified.leadId()).isEqualTo(in.lead().id());
        assertThat(qualified.createdAt()).isEqualTo(T0.plusSeconds(12));

        queue.completeSent(next.id(), "w", messages.findReplyForJob(next.id()).orElseThrow().id(),
                new SendResult(TestSids.sms("ev7a"), MessageStatus.QUEUED, 1, BUSINESS), null, 0, T0.plusSeconds(13));
        repo.recordInbound(inbound(TestSids.sms("ev8"), CUSTOMER, "I mean 10am"), Keyword.NONE, T0.plusSeconds(20));
        ReplyJob third = queue.claim("w", LEASE, T0.plusSeconds(21)).orElseThrow();
        queue.recordReply(third.id(), "w", T0.plusSeconds(60), new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(),
                "Changed", MessageStatus.PENDING, null, 1, third.id(), T0.plusSeconds(22)),
                Map.of(Qualification.Field.PREFERRED_TIME, "tomorrow 10am"));
        assertThat(pendingTypes().stream().filter(t -> t == EventType.LEAD_QUALIFIED)).as("already qualified").hasSize(1);
    }

    @Test
    void aStaffEditThatCompletesTheBookingDetailsRecordsLeadQualifiedOnceAtItsTime() {
        events();
        long lead = repo.recordInbound(inbound(TestSids.sms("ev9"), CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        leads.updateQualification(lead, Map.of(Qualification.Field.NAME, "Sam", Qualification.Field.SERVICE, "leak"), true,
                T0.plusSeconds(5));
        leads.updateQualification(lead, Map.of(Qualification.Field.ADDRESS, "1 Main St"), false, T0.plusSeconds(6));
        assertThat(pendingTypes()).as("preferred time still unknown").doesNotContain(EventType.LEAD_QUALIFIED);

        Lead q = leads.updateQualification(lead, Map.of(Qualification.Field.PREFERRED_TIME, "tomorrow 9am"), true, T0.plusSeconds(7));
        assertThat(q.qualification().fullyQualified()).isTrue();
        OutboxEvent qualified = repo.events().list(OutboxEvent.Status.PENDING, 1).get(0);
        assertThat(qualified.type()).isEqualTo(EventType.LEAD_QUALIFIED);
        assertThat(qualified.leadId()).isEqualTo(lead);
        assertThat(qualified.messageId()).isNull();
        assertThat(qualified.createdAt()).isEqualTo(T0.plusSeconds(7));

        leads.updateQualification(lead, Map.of(Qualification.Field.PREFERRED_TIME, "tomorrow 10am"), true, T0.plusSeconds(8));
        assertThat(pendingTypes().stream().filter(t -> t == EventType.LEAD_QUALIFIED)).as("already qualified").hasSize(1);

        leads.updateQualification(lead, Map.of(Qualification.Field.ADDRESS, ""), true, T0.plusSeconds(9));
        leads.updateQualification(lead, Map.of(Qualification.Field.ADDRESS, "2 Elm St"), true, T0.plusSeconds(10));
        assertThat(pendingTypes().stream().filter(t -> t == EventType.LEAD_QUALIFIED))
                .as("qualified again after a field was cleared").hasSize(2);
    }

    @Test
    void aStaffEditOnAStoreWithoutEventsRecordsNone() {
        long lead = repo.recordInbound(inbound(TestSids.sms("ev10"), CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        leads.updateQualification(lead, Map.of(Qualification.Field.NAME, "Sam", Qualification.Field.SERVICE, "leak",
                Qualification.Field.ADDRESS, "1 Main St", Qualification.Field.PREFERRED_TIME, "9am"), true, T0.plusSeconds(1));
        assertThat(repo.events().list(OutboxEvent.Status.PENDING, 10)).isEmpty();
    }

    @Test
    void aReplyToACustomerWhoAskedForAPersonRecordsHandoffRequestedOnce() {
        events();
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("ev10"), CUSTOMER, "can I talk to a human"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("w", LEASE, T0.plusSeconds(1)).orElseThrow();
        NewOutboundMessage reply = new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(), "Someone will call you",
                MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(2));
        queue.recordReply(job.id(), "w", T0.plusSeconds(40), reply, new ReplyFindings(Map.of(), true));
        queue.recordReply(job.id(), "w", T0.plusSeconds(41), reply, new ReplyFindings(Map.of(), true)); // a retry of the step
        assertThat(pendingTypes()).containsExactly(EventType.LEAD_CREATED, EventType.MESSAGE_RECEIVED, EventType.HANDOFF_REQUESTED);
        OutboxEvent handoff = repo.events().list(OutboxEvent.Status.PENDING, 1).get(0);
        assertThat(handoff.leadId()).isEqualTo(in.lead().id());
        assertThat(handoff.messageId()).isNull();

        InboundResult other = repo.recordInbound(inbound(TestSids.sms("ev11"), OTHER, "hello"), Keyword.NONE, T0.plusSeconds(3));
        ReplyJob plain = queue.claim("w", LEASE, T0.plusSeconds(4)).orElseThrow();
        queue.recordReply(plain.id(), "w", T0.plusSeconds(40), new NewOutboundMessage(other.lead().id(), BUSINESS, OTHER.value(),
                "Hi!", MessageStatus.PENDING, null, 1, plain.id(), T0.plusSeconds(5)), ReplyFindings.NONE);
        assertThat(pendingTypes().stream().filter(t -> t == EventType.HANDOFF_REQUESTED)).hasSize(1);
    }

    @Test
    void anEventOutsideAChangeIsRecordedForAKnownLeadOnly() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        OutboxEvent e = repo.events().record(EventType.HANDOFF_REQUESTED, lead.id(), null, T0.plusSeconds(1));
        assertThat(e.type()).isEqualTo(EventType.HANDOFF_REQUESTED);
        assertThat(e.status()).isEqualTo(OutboxEvent.Status.PENDING);
        assertThat(repo.events().list(OutboxEvent.Status.PENDING, 10)).extracting(OutboxEvent::eventId).containsExactly(e.eventId());
        assertThatThrownBy(() -> repo.events().record(EventType.HANDOFF_REQUESTED, lead.id() + 999, null, T0))
                .isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void aClaimedEventIsHeldByOneWorkerUntilItsLeaseEnds() {
        EventOutbox events = events();
        repo.recordInbound(inbound(TestSids.sms("ev9"), CUSTOMER, "hi"), Keyword.NONE, T0);
        List<OutboxEvent> a = events.claim("worker-a", LEASE, T0.plusSeconds(1), 10);
        assertThat(a).extracting(OutboxEvent::type).containsExactly(EventType.LEAD_CREATED, EventType.MESSAGE_RECEIVED);
        assertThat(a).allSatisfy(e -> assertThat(e.attempts()).isEqualTo(1));
        assertThat(events.claim("worker-b", LEASE, T0.plusSeconds(2), 10)).as("leased").isEmpty();
        assertThat(events.nextDueAt(T0.plusSeconds(2))).contains(T0.plusSeconds(31));

        List<OutboxEvent> b = events.claim("worker-b", LEASE, T0.plusSeconds(32), 1);
        assertThat(b).as("the lease ran out; one at most").hasSize(1);
        assertThat(b.get(0).eventId()).isEqualTo(a.get(0).eventId());
        assertThat(b.get(0).attempts()).isEqualTo(2);
        assertThat(events.markDelivered(b.get(0).id(), "worker-a", T0.plusSeconds(33))).as("worker-a lost it").isFalse();
        assertThat(events.markDelivered(b.get(0).id(), "worker-b", T0.plusSeconds(33))).isTrue();
        assertThat(events.markDelivered(b.get(0).id(), "worker-b", T0.plusSeconds(34))).as("settled").isFalse();
        OutboxEvent delivered = events.list(OutboxEvent.Status.DELIVERED, 10).get(0);
        assertThat(delivered.eventId()).isEqualTo(a.get(0).eventId());
        assertThat(delivered.deliveredAt()).isEqualTo(T0.plusSeconds(33));
        assertThat(delivered.nextAttemptAt()).isNull();
        assertThat(events.markDelivered(a.get(1).id(), "worker-a", T0.plusSeconds(35))).as("worker-a still holds the other")
                .isTrue();
        assertThat(events.list(OutboxEvent.Status.PENDING, 10)).isEmpty();
        assertThat(events.nextDueAt(T0.plusSeconds(35))).isEmpty();
    }

    @Test
    void aRetriedEventWaitsForItsNextAttemptAndAFailedOneIsNeverClaimedAgain() {
        EventOutbox events = events();
        leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        OutboxEvent e = events.claim("w", LEASE, T0, 10).get(0);
        assertThat(events.retryLater(e.id(), "other", "HTTP 500", T0.plusSeconds(20))).isFalse();
        assertThat(events.retryLater(e.id(), "w", "HTTP 500", T0.plusSeconds(20))).isTrue();
        assertThat(events.claim("w", LEASE, T0.plusSeconds(19), 10)).isEmpty();
        assertThat(events.nextDueAt(T0.plusSeconds(1))).contains(T0.plusSeconds(20));
        OutboxEvent pending = events.list(OutboxEvent.Status.PENDING, 10).get(0);
        assertThat(pending.lastError()).isEqualTo("HTTP 500");
        assertThat(pending.nextAttemptAt()).isEqualTo(T0.plusSeconds(20));
        assertThat(pending.attempts()).isEqualTo(1);

        OutboxEvent again = events.claim("w", LEASE, T0.plusSeconds(20), 10).get(0);
        assertThat(again.eventId()).isEqualTo(e.eventId());
        assertThat(events.markFailed(again.id(), "w", "x".repeat(5000), T0.plusSeconds(21))).isTrue();
        assertThat(events.claim("w", LEASE, T0.plus(Duration.ofDays(2)), 10)).isEmpty();
        OutboxEvent failed = events.list(OutboxEvent.Status.FAILED, 10).get(0);
        assertThat(failed.attempts()).isEqualTo(2);
        assertThat(failed.lastError()).hasSizeLessThanOrEqualTo(1000).startsWith("xxx");
        assertThat(failed.nextAttemptAt()).isNull();
        assertThat(events.list(OutboxEvent.Status.PENDING, 10)).isEmpty();
    }

    @Test
    void concurrentClaimsTakeEachEventOnce() throws Exception {
        EventOutbox events = events();
        for (int i = 0; i < 12; i++) {
            leads.findOrCreateLead(new PhoneNumber("+1555200" + String.format("%04d", i)), Lead.SOURCE_MANUAL, T0);
        }
        Set<String> seen = ConcurrentHashMap.newKeySet();
        List<Integer> counts = runConcurrently(6, i -> {
            int n = 0;
            for (int round = 0; round < 6; round++) {
                for (OutboxEvent e : events.claim("w" + i, LEASE, T0.plusSeconds(1), 2)) {
                    assertThat(seen.add(e.eventId())).as("claimed twice: " + e.eventId()).isTrue();
                    n++;
                }
            }
            return n;
        });
        assertThat(counts.stream().mapToInt(Integer::intValue).sum()).isEqualTo(12);
    }
}
