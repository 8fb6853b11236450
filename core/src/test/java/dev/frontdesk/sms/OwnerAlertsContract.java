package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link OwnerAlerts} must have: alerts recorded with the changes that call for them (only once
 * enabled), one per lead and reason also under races; claims with leases; sent, retried, given up. Run on every store
 * through {@link StoreContracts}.
 */
public abstract class OwnerAlertsContract extends StoreContract {

    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final Map<Qualification.Field, String> EMERGENCY = Map.of(Qualification.Field.URGENCY, "emergency");

    private OwnerAlerts alerts() {
        OwnerAlerts a = repo.ownerAlerts();
        a.enable();
        return a;
    }

    /** A text from CUSTOMER and the reply to it recorded with {@code findings}; returns the lead. */
    private long textAndReply(String sid, String body, ReplyFindings findings, Instant at) {
        InboundResult in = repo.recordInbound(inbound(TestSids.sms(sid), CUSTOMER, body), Keyword.NONE, at);
        ReplyJob job = queue.claim("w", LEASE, at.plusSeconds(1)).orElseThrow();
        queue.recordReply(job.id(), "w", at.plusSeconds(40), new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(),
                "Thanks", MessageStatus.PENDING, null, 1, job.id(), at.plusSeconds(2)), findings);
        queue.complete(job.id(), "w", at.plusSeconds(3));
        return in.lead().id();
    }

    @Test
    void aStoreThatWasNotEnabledRecordsNoAlerts() {
        assertThat(repo.ownerAlerts().enabled()).isFalse();
        long lead = textAndReply("oa0", "flooding!", new ReplyFindings(EMERGENCY, true), T0);
        leads.updateQualification(lead, Map.of(Qualification.Field.NAME, "Sam", Qualification.Field.SERVICE, "leak",
                Qualification.Field.ADDRESS, "1 Main St", Qualification.Field.PREFERRED_TIME, "now"), true, T0.plusSeconds(9));
        assertThat(repo.ownerAlerts().forLead(lead)).isEmpty();
        assertThat(repo.ownerAlerts().claim("w", LEASE, T0.plusSeconds(60), 10)).isEmpty();
        assertThat(repo.ownerAlerts().nextDueAt(T0)).isEmpty();
    }

    @Test
    void anEmergencyIsRecordedOnceQuotingTheLatestText() {
        OwnerAlerts alerts = alerts();
        long lead = textAndReply("oa1", "water everywhere", new ReplyFindings(EMERGENCY, false), T0);
        List<OwnerAlert> list = alerts.forLead(lead);
        assertThat(list).hasSize(1);
        OwnerAlert a = list.get(0);
        assertThat(a.reason()).isEqualTo(OwnerAlert.Reason.EMERGENCY);
        assertThat(a.status()).isEqualTo(OwnerAlert.Status.PENDING);
        assertThat(a.createdAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(a.nextAttemptAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(a.attempts()).isZero();
        assertThat(messages.findMessage(a.messageId()).orElseThrow().body()).isEqualTo("water everywhere");

        textAndReply("oa2", "still flooding, hurry", new ReplyFindings(EMERGENCY, false), T0.plusSeconds(60));
        assertThat(alerts.forLead(lead)).as("a second emergency text").hasSize(1);
    }

    @Test
    void anEmergencyStaffSetOrStaffOverrodeIsNotAnAlert() {
        OwnerAlerts alerts = alerts();
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        leads.updateQualification(lead.id(), EMERGENCY, true, T0);
        assertThat(alerts.forLead(lead.id())).as("staff wrote it").isEmpty();
        leads.updateQualification(lead.id(), Map.of(Qualification.Field.URGENCY, "soon"), true, T0);
        textAndReply("oa3", "help", new ReplyFindings(EMERGENCY, false), T0.plusSeconds(1));
        assertThat(alerts.forLead(lead.id())).as("staff's urgency stands over the AI's").isEmpty();
    }

    @Test
    void aHandoffIsRecordedOnceWithTheReply() {
        OwnerAlerts alerts = alerts();
        InboundResult in = repo.recordInbound(inbound(TestSids.sms("oa4"), CUSTOMER, "real person please"), Keyword.NONE, T0);
        ReplyJob job = queue.claim("w", LEASE, T0.plusSeconds(1)).orElseThrow();
        NewOutboundMessage reply = new NewOutboundMessage(in.lead().id(), BUSINESS, CUSTOMER.value(), "Someone will call",
                MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(2));
        queue.recordReply(job.id(), "w", T0.plusSeconds(40), reply, new ReplyFindings(Map.of(), true));
        queue.recordReply(job.id(), "w", T0.plusSeconds(41), reply, new ReplyFindings(Map.of(), true)); // a retry of the step
        List<OwnerAlert> list = alerts.forLead(in.lead().id());
        assertThat(list).extracting(OwnerAlert::reason).containsExactly(OwnerAlert.Reason.HANDOFF);
        assertThat(list.get(0).messageId()).isEqualTo(in.message().id());

        queue.complete(job.id(), "w", T0.plusSeconds(3));
        textAndReply("oa5", "a human, I said", new ReplyFindings(Map.of(), true), T0.plusSeconds(10));
        assertThat(alerts.forLead(in.lead().id())).hasSize(1);
    }

    @Test
    void aReplyWithoutFindingsRecordsNothing() {
        OwnerAlerts alerts = alerts();
        long lead = textAndReply("oa6", "hi", ReplyFindings.of(Map.of(Qualification.Field.NAME, "Sam")), T0);
        assertThat(alerts.forLead(lead)).isEmpty();
        assertThat(alerts.nextDueAt(T0)).isEmpty();
    }

    @Test
    void becomingFullyQualifiedIsRecordedOnceFromTheAiAndFromStaff() {
        OwnerAlerts alerts = alerts();
        long lead = textAndReply("oa7", "Sam, leak at 1 Main St", ReplyFindings.of(Map.of(Qualification.Field.NAME, "Sam",
                Qualification.Field.SERVICE, "leak", Qualification.Field.ADDRESS, "1 Main St")), T0);
        assertThat(alerts.forLead(lead)).as("preferred time unknown").isEmpty();
        textAndReply("oa8", "tomorrow 9am", ReplyFindings.of(Map.of(Qualification.Field.PREFERRED_TIME, "tomorrow 9am")),
                T0.plusSeconds(10));
        assertThat(alerts.forLead(lead)).extracting(OwnerAlert::reason).containsExactly(OwnerAlert.Reason.QUALIFIED);
        leads.updateQualification(lead, Map.of(Qualification.Field.PREFERRED_TIME, "Friday"), true, T0.plusSeconds(20));
        assertThat(alerts.forLead(lead)).as("already qualified").hasSize(1);

        Lead other = leads.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0);
        leads.updateQualification(other.id(), Map.of(Qualification.Field.NAME, "Jo", Qualification.Field.SERVICE, "rewire"),
                true, T0.plusSeconds(30));
        assertThat(alerts.forLead(other.id())).isEmpty();
        leads.updateQualification(other.id(), Map.of(Qualification.Field.ADDRESS, "2 Elm St",
                Qualification.Field.PREFERRED_TIME, "Monday"), true, T0.plusSeconds(31));
        List<OwnerAlert> list = alerts.forLead(other.id());
        assertThat(list).extracting(OwnerAlert::reason).containsExactly(OwnerAlert.Reason.QUALIFIED);
        assertThat(list.get(0).createdAt()).isEqualTo(T0.plusSeconds(31));
        assertThat(list.get(0).messageId()).as("Jo never texted").isNull();
    }

    @Test
    void writersAtOnceRecordOneAlertPerLeadAndReason() throws Exception {
        OwnerAlerts alerts = alerts();
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        runConcurrently(8, i -> leads.updateQualification(lead.id(), EMERGENCY, false, T0.plusMillis(i)));
        assertThat(alerts.forLead(lead.id())).extracting(OwnerAlert::reason).containsExactly(OwnerAlert.Reason.EMERGENCY);
    }

    @Test
    void claimsLeaseSettleAndRetry() {
        OwnerAlerts alerts = alerts();
        long lead = textAndReply("oa9", "help", new ReplyFindings(EMERGENCY, true), T0);
        Instant at = T0.plusSeconds(2);
        assertThat(alerts.nextDueAt(T0)).contains(at);
        assertThat(alerts.claim("w1", LEASE, at.minusMillis(1), 10)).as("not due yet").isEmpty();

        List<OwnerAlert> first = alerts.claim("w1", LEASE, at, 1);
        assertThat(first).hasSize(1);
        assertThat(first.get(0).attempts()).isEqualTo(1);
        List<OwnerAlert> second = alerts.claim("w2", LEASE, at, 10);
        assertThat(second).as("the other one only").hasSize(1).doesNotContain(first.get(0));
        assertThat(alerts.claim("w3", LEASE, at.plusSeconds(1), 10)).as("both leased").isEmpty();
        assertThat(alerts.nextDueAt(at.plusSeconds(1))).contains(at.plus(LEASE));

        long a = first.get(0).id();
        long b = second.get(0).id();
        assertThat(alerts.markSent(a, "w2", "SMx", at)).as("w2 does not hold it").isFalse();
        assertThat(alerts.retryLater(a, "w1", "Twilio 503", at.plusSeconds(10))).isTrue();
        assertThat(alerts.markFailed(b, "w2", "Twilio 21211", at.plusSeconds(1))).isTrue();
        assertThat(alerts.claim("w3", LEASE, at.plusSeconds(9), 10)).isEmpty();
        List<OwnerAlert> again = alerts.claim("w3", LEASE, at.plusSeconds(10), 10);
        assertThat(again).extracting(OwnerAlert::id).containsExactly(a);
        assertThat(again.get(0).attempts()).isEqualTo(2);
        assertThat(again.get(0).lastError()).isEqualTo("Twilio 503");
        assertThat(alerts.markSent(a, "w3", TestSids.sms("oa9owner"), at.plusSeconds(11))).isTrue();
        assertThat(alerts.markSent(a, "w3", TestSids.sms("oa9owner"), at.plusSeconds(12))).as("settled").isFalse();

        List<OwnerAlert> list = alerts.forLead(lead);
        OwnerAlert sent = list.stream().filter(x -> x.id() == a).findFirst().orElseThrow();
        assertThat(sent.status()).isEqualTo(OwnerAlert.Status.SENT);
        assertThat(sent.sentAt()).isEqualTo(at.plusSeconds(11));
        assertThat(sent.twilioSid()).isEqualTo(TestSids.sms("oa9owner"));
        assertThat(sent.nextAttemptAt()).isNull();
        assertThat(sent.lastError()).isNull();
        OwnerAlert failed = list.stream().filter(x -> x.id() == b).findFirst().orElseThrow();
        assertThat(failed.status()).isEqualTo(OwnerAlert.Status.FAILED);
        assertThat(failed.lastError()).isEqualTo("Twilio 21211");
        assertThat(alerts.nextDueAt(at.plusSeconds(20))).isEmpty();
        assertThat(alerts.claim("w4", LEASE, at.plus(Duration.ofDays(2)), 10)).isEmpty();
    }

    @Test
    void anExpiredLeaseLetsAnotherWorkerTakeTheAlert() {
        OwnerAlerts alerts = alerts();
        textAndReply("oa10", "help", new ReplyFindings(Map.of(), true), T0);
        OwnerAlert held = alerts.claim("w1", LEASE, T0.plusSeconds(2), 10).get(0);
        List<OwnerAlert> taken = alerts.claim("w2", LEASE, T0.plusSeconds(2).plus(LEASE), 10);
        assertThat(taken).extracting(OwnerAlert::id).containsExactly(held.id());
        assertThat(alerts.markSent(held.id(), "w1", "SMlate", T0.plusSeconds(40))).as("w1 lost its lease").isFalse();
    }
}
