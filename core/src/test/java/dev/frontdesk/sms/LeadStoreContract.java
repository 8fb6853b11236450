package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link LeadStore} must have: one lead per number, opt-out, the AI switch and pause,
 * qualification merges and the after-hours note. Written once, run against every implementation through {@link
 * StoreContracts}.
 */
public abstract class LeadStoreContract extends StoreContract {

    @Test
    void findOrCreateLeadIsIdempotentAndKeepsTheFirstSource() {
        Lead manual = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        Lead again = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0.plusSeconds(60));

        assertThat(again).isEqualTo(manual);
        assertThat(manual.source()).isEqualTo(Lead.SOURCE_MANUAL);
        assertThat(manual.smsEnabled()).isFalse();
        assertThat(manual.lastSmsAt()).isNull();
    }

    @Test
    void concurrentFindOrCreateGivesOneLead() throws Exception {
        List<Lead> created = runConcurrently(8, i -> leads.findOrCreateLead(OTHER, Lead.SOURCE_MANUAL, T0));
        assertThat(created).extracting(Lead::id).containsOnly(created.get(0).id());
        assertThat(leads.listLeads(10)).hasSize(1);
    }

    @Test
    void setOptOutChangesTheFlagAndRejectsUnknownLeads() {
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_MANUAL, T0);
        assertThat(leads.setOptOut(lead.id(), true, T0).smsOptOut()).isTrue();
        assertThat(leads.findLead(lead.id()).orElseThrow().smsOptOut()).isTrue();
        assertThat(leads.setOptOut(lead.id(), false, T0).smsOptOut()).isFalse();
        assertThatThrownBy(() -> leads.setOptOut(999_999, true, T0)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void leadsAreListedMostRecentActivityFirstWithLimit() {
        Lead a = repo.recordInbound(inbound("SM7e57559aead08264d5795d3909718cdd", CUSTOMER, "a"), Keyword.NONE, T0).lead();
        Lead b = repo.recordInbound(inbound("SM7e57df7e70e5021544f4834bbee64a9e", OTHER, "b"), Keyword.NONE, T0.plusSeconds(10)).lead();
        Lead c = leads.findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, T0.plusSeconds(5));

        assertThat(leads.listLeads(100)).extracting(Lead::id).containsExactly(b.id(), c.id(), a.id());
        repo.recordInbound(inbound("SM7e57c8361f9b468e68c86da024270e09", CUSTOMER, "again"), Keyword.NONE, T0.plusSeconds(20));
        assertThat(leads.listLeads(100)).extracting(Lead::id).containsExactly(a.id(), b.id(), c.id());
        assertThat(leads.listLeads(2)).extracting(Lead::id).containsExactly(a.id(), b.id());
    }

    @Test
    void aNewLeadHasTheAiOnAndNothingQualified() {
        Lead lead = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead();
        assertThat(lead.aiEnabled()).isTrue();
        assertThat(lead.aiPausedUntil()).isNull();
        assertThat(lead.aiActive(T0)).isTrue();
        assertThat(lead.qualification()).isEqualTo(Qualification.EMPTY);
        assertThat(lead.afterHoursNoticeAt()).isNull();
        assertThat(leads.findLead(lead.id())).contains(lead);
    }

    @Test
    void setAiSwitchesOffForAWhileOffForGoodAndBackOn() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Instant until = T0.plus(Duration.ofHours(2));

        Lead paused = leads.setAi(id, false, until);
        assertThat(paused.aiEnabled()).isFalse();
        assertThat(paused.aiPausedUntil()).isEqualTo(until);
        assertThat(paused.aiActive(T0)).isFalse();
        assertThat(paused.aiActive(until)).isTrue();
        assertThat(leads.findLead(id)).contains(paused);

        Lead off = leads.setAi(id, false, null);
        assertThat(off.aiPausedUntil()).isNull();
        assertThat(off.aiActive(T0.plus(Duration.ofDays(365)))).isFalse();

        Lead on = leads.setAi(id, true, until);
        assertThat(on.aiEnabled()).isTrue();
        assertThat(on.aiPausedUntil()).isNull();
        assertThat(leads.findLead(id)).contains(on);
        assertThatThrownBy(() -> leads.setAi(999_999, true, null)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void pauseAiUntilLengthensButNeverShortensAndKeepsOffForGood() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Instant later = T0.plus(Duration.ofHours(3));
        Instant sooner = T0.plus(Duration.ofHours(1));

        assertThat(leads.pauseAiUntil(id, later).aiPausedUntil()).isEqualTo(later);
        assertThat(leads.pauseAiUntil(id, sooner).aiPausedUntil()).isEqualTo(later);
        Instant latest = T0.plus(Duration.ofHours(5));
        assertThat(leads.pauseAiUntil(id, latest).aiPausedUntil()).isEqualTo(latest);

        leads.setAi(id, false, null);
        Lead stillOff = leads.pauseAiUntil(id, latest.plusSeconds(60));
        assertThat(stillOff.aiEnabled()).isFalse();
        assertThat(stillOff.aiPausedUntil()).isNull();
        assertThatThrownBy(() -> leads.pauseAiUntil(999_999, later)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void aiQualificationNeverOverwritesWhatStaffSet() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Map<Qualification.Field, String> ai = new LinkedHashMap<>();
        ai.put(Qualification.Field.NAME, "Jon");
        ai.put(Qualification.Field.SERVICE, "leaking water heater");
        Lead afterAi = leads.updateQualification(id, ai, false, T0);
        assertThat(afterAi.qualification().name()).isEqualTo("Jon");
        assertThat(afterAi.qualification().staffEdited()).isEmpty();

        Map<Qualification.Field, String> staff = new LinkedHashMap<>();
        staff.put(Qualification.Field.NAME, "John Smith");
        staff.put(Qualification.Field.URGENCY, null);
        Lead afterStaff = leads.updateQualification(id, staff, true, T0);
        assertThat(afterStaff.qualification().name()).isEqualTo("John Smith");
        assertThat(afterStaff.qualification().staffEdited())
                .containsExactlyInAnyOrder(Qualification.Field.NAME, Qualification.Field.URGENCY);

        Map<Qualification.Field, String> aiAgain = new LinkedHashMap<>();
        aiAgain.put(Qualification.Field.NAME, "Jonny");
        aiAgain.put(Qualification.Field.URGENCY, "today");
        aiAgain.put(Qualification.Field.ADDRESS, "12 Elm St, Springfield");
        aiAgain.put(Qualification.Field.SERVICE, null);
        Lead q = leads.updateQualification(id, aiAgain, false, T0);
        assertThat(q.qualification()).isEqualTo(new Qualification("John Smith", "leaking water heater",
                "12 Elm St, Springfield", null, null, Set.of(Qualification.Field.NAME, Qualification.Field.URGENCY)));
        assertThat(leads.findLead(id)).contains(q);
        assertThat(q.qualification().missing()).containsExactly(Qualification.Field.URGENCY, Qualification.Field.PREFERRED_TIME);
        assertThatThrownBy(() -> leads.updateQualification(999_999, ai, true, T0)).isInstanceOf(LeadNotFoundException.class);
    }

    @Test
    void afterHoursNoticeTimeIsKept() {
        long id = repo.recordInbound(inbound("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi"), Keyword.NONE, T0).lead().id();
        Lead l = leads.markAfterHoursNotice(id, T0.plusSeconds(5));
        assertThat(l.afterHoursNoticeAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(leads.findLead(id)).contains(l);
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "hello?"), Keyword.NONE, T0.plusSeconds(60));
        assertThat(leads.findLead(id).orElseThrow().afterHoursNoticeAt()).isEqualTo(T0.plusSeconds(5));
    }
}
