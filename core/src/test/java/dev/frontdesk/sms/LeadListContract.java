package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every store must have for a leads page: {@link LeadStore#listLeads(LeadQuery)} (order, cursor,
 * search, filters) and {@link MessageStore#lastMessages}. Written once, run against every implementation through
 * {@link StoreContracts}.
 */
public abstract class LeadListContract extends StoreContract {

    private int sids;

    private Lead text(PhoneNumber from, String body, Instant at) {
        return repo.recordInbound(inbound(TestSids.sms(++sids), from, body), Keyword.NONE, at).lead();
    }

    private List<Long> ids(LeadQuery query) {
        return leads.listLeads(query).stream().map(Lead::id).toList();
    }

    private static LeadQuery query(String search, LeadFilter filter) {
        return new LeadQuery(search, filter, null, 100, T0.plus(Duration.ofDays(1)));
    }

    @Test
    void pagesAfterACursorWalkEveryLeadOnceInActivityOrderIncludingLeadsWithoutAMessage() {
        List<Long> expected = new ArrayList<>();
        // created in this order, activity in the reverse: a lead without a message sorts by its creation time
        Lead quiet = leads.findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, T0.plusSeconds(35));
        for (int i = 0; i < 7; i++) {
            Lead l = text(new PhoneNumber("+1555000000" + i), "hi", T0.plusSeconds(10L * i));
            expected.add(0, l.id());
        }
        expected.add(3, quiet.id()); // activity 35 s: after the leads texting at 60, 50, 40 s
        Lead sameSecond = text(new PhoneNumber("+15550000100"), "tie", T0.plusSeconds(60));
        expected.add(0, sameSecond.id()); // same activity as the 60 s lead, higher id first

        assertThat(ids(LeadQuery.first(100, T0))).containsExactlyElementsOf(expected);
        List<Long> walked = new ArrayList<>();
        LeadCursor cursor = null;
        for (int page = 0; page < 10; page++) {
            List<Lead> got = leads.listLeads(new LeadQuery(null, null, cursor, 2, T0));
            got.forEach(l -> walked.add(l.id()));
            if (got.size() < 2) {
                break;
            }
            cursor = LeadCursor.after(got.get(got.size() - 1));
        }
        assertThat(walked).containsExactlyElementsOf(expected);
        assertThat(leads.listLeads(LeadQuery.first(0, T0))).isEmpty();
    }

    @Test
    void aLeadThatTextsAgainMovesToTheTopAndOutOfAnOlderCursorsPages() {
        Lead a = text(CUSTOMER, "a", T0);
        Lead b = text(OTHER, "b", T0.plusSeconds(10));
        LeadCursor afterB = LeadCursor.after(b);
        assertThat(ids(new LeadQuery(null, null, afterB, 10, T0))).containsExactly(a.id());

        text(CUSTOMER, "again", T0.plusSeconds(20));
        assertThat(ids(LeadQuery.first(10, T0))).containsExactly(a.id(), b.id());
        assertThat(ids(new LeadQuery(null, null, afterB, 10, T0))).isEmpty();
    }

    @Test
    void searchMatchesNameQualificationNameAndPartOfTheNumberIgnoringCase() {
        Lead named = text(new PhoneNumber("+15551110001"), "hi", T0);
        leads.updateQualification(named.id(), Map.of(Qualification.Field.NAME, "Samantha Lee"), true, T0);
        Lead other = text(new PhoneNumber("+15552220002"), "hi", T0.plusSeconds(1));
        leads.updateQualification(other.id(), Map.of(Qualification.Field.NAME, "Jo 100% Real_Name"), false, T0);
        Lead plain = text(new PhoneNumber("+447700900123"), "hi", T0.plusSeconds(2));

        assertThat(ids(query("sAmAnThA", null))).containsExactly(named.id());
        assertThat(ids(query("lee", null))).containsExactly(named.id());
        assertThat(ids(query("2220", null))).containsExactly(other.id());
        assertThat(ids(query("+44 7700", null))).as("punctuation of a typed number").containsExactly(plain.id());
        assertThat(ids(query("555", null))).containsExactly(other.id(), named.id());
        assertThat(ids(query("100%", null))).as("a % is a character, not a wildcard").containsExactly(other.id());
        assertThat(ids(query("%", null))).containsExactly(other.id());
        assertThat(ids(query("_", null))).as("an _ is a character too").containsExactly(other.id());
        assertThat(ids(query("o 1", null))).as("letters: no number match").containsExactly(other.id());
        assertThat(ids(query("nobody", null))).isEmpty();
        assertThat(ids(query("  ", null))).as("blank: no search").hasSize(3);
    }

    @Test
    void unansweredMeansTheCustomerSpokeLast() {
        Lead waiting = text(CUSTOMER, "are you there?", T0);
        Lead answered = text(OTHER, "need a plumber", T0.plusSeconds(1));
        recordPendingOutbound(answered.id(), "on our way", null, T0.plusSeconds(2));
        Lead cold = leads.findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, T0.plusSeconds(3));

        assertThat(ids(query(null, LeadFilter.UNANSWERED))).containsExactly(waiting.id());
        text(OTHER, "thanks, what time?", T0.plusSeconds(4));
        assertThat(ids(query(null, LeadFilter.UNANSWERED))).containsExactly(answered.id(), waiting.id());
        recordPendingOutbound(waiting.id(), "sorry, yes", null, T0.plusSeconds(5));
        assertThat(ids(query(null, LeadFilter.UNANSWERED))).containsExactly(answered.id());
        assertThat(ids(query(null, null))).contains(cold.id());
    }

    @Test
    void optedOutAndAiPausedFilters() {
        Lead stop = repo.recordInbound(inbound(TestSids.sms("5707"), CUSTOMER, "STOP"), Keyword.OPT_OUT, T0).lead();
        Lead paused = text(OTHER, "hi", T0.plusSeconds(1));
        leads.setAi(paused.id(), false, T0.plus(Duration.ofHours(2)));
        Lead off = text(new PhoneNumber("+15559990000"), "hi", T0.plusSeconds(2));
        leads.setAi(off.id(), false, null);
        text(new PhoneNumber("+15559990001"), "hi", T0.plusSeconds(3));

        assertThat(ids(query(null, LeadFilter.OPTED_OUT))).containsExactly(stop.id());
        assertThat(ids(new LeadQuery(null, LeadFilter.AI_PAUSED, null, 10, T0.plusSeconds(10)))).containsExactly(off.id(), paused.id());
        assertThat(ids(new LeadQuery(null, LeadFilter.AI_PAUSED, null, 10, T0.plus(Duration.ofHours(2)))))
                .as("a pause that has ended is over").containsExactly(off.id());
        assertThat(ids(new LeadQuery("5559", LeadFilter.AI_PAUSED, null, 10, T0))).as("search and filter together")
                .containsExactly(off.id());
        assertThat(ids(new LeadQuery(null, LeadFilter.AI_PAUSED, LeadCursor.after(off), 10, T0.plusSeconds(10))))
                .containsExactly(paused.id());
    }

    @Test
    void lastMessagesGivesEachLeadsLatestMessageEitherWayWithMedia() {
        Lead a = text(CUSTOMER, "first", T0);
        Message reply = recordPendingOutbound(a.id(), "reply", null, T0.plusSeconds(1));
        Lead b = repo.recordInbound(inboundWithMedia(TestSids.mms("a1"), OTHER, "photo",
                List.of(new MediaItem("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1", "image/jpeg"))),
                Keyword.NONE, T0.plusSeconds(2)).lead();
        Lead none = leads.findOrCreateLead(new PhoneNumber("+15559990000"), Lead.SOURCE_MANUAL, T0);

        Map<Long, Message> last = messages.lastMessages(List.of(a.id(), b.id(), none.id(), 424242L));

        assertThat(last).containsOnlyKeys(a.id(), b.id());
        assertThat(last.get(a.id())).isEqualTo(reply);
        assertThat(last.get(b.id()).body()).isEqualTo("photo");
        assertThat(last.get(b.id()).media()).containsExactly("https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1");
        assertThat(messages.lastMessages(List.of())).isEmpty();
    }
}
