package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.SendResult;
import org.junit.jupiter.api.Test;

/**
 * What a webhook costs the database, in statements and commits (each one a round trip to PostgreSQL): the
 * common case, a returning customer's text, is one statement on PostgreSQL and three plus the commit on H2, where
 * a fourth cancels the lead's waiting follow-up only when one may wait: when the business's text was the last
 * message (a CTE of the one statement on PostgreSQL). A count, not a timing; BENCHMARKS.md has the timings.
 */
class InboundStatementsTest {

    @Test
    void aReturningCustomersTextIsOneStatementOnPostgres() {
        try (TestDatabase db = TestDatabase.postgres()) {
            assertThat(statements(db)).containsExactly(
                    6, // a new number: the one-statement attempt finds no lead; update, lead, message, job, commit
                    1, // a returning customer: lead update, message and job in one statement, in auto-commit
                    1, // STOP: the same statement, which inserts no job
                    5); // a repeated MessageSid: the statement writes nothing; update, message (refused), SID check, commit
        }
    }

    @Test
    void announcingJobsToOtherInstancesAddsNoStatementToAReturningCustomersText() {
        try (TestDatabase db = TestDatabase.postgres()) {
            assertThat(statements(db, new JobAnnouncementsTest.RecordingDataSource(db.url()))).containsExactly(
                    7, // a new number: as without announcements, and pg_notify before the commit
                    1, // a returning customer: pg_notify is part of the one statement
                    1, // STOP: no job, no announcement
                    5); // a repeated MessageSid: nothing written, nothing announced
        }
    }

    @Test
    void aReturningCustomersTextIsThreeStatementsAndACommitOnH2() {
        try (TestDatabase db = TestDatabase.h2Memory()) {
            assertThat(statements(db)).containsExactly(
                    5, // a new number: update (no row), lead, message, job, commit
                    4, // a returning customer after their own text: lead update (the row as it was), message, job, commit
                    3, // STOP: no job
                    4); // a repeated MessageSid: update (rolled back), message (refused by its unique key), SID check, commit
        }
    }

    @Test
    void afterTheBusinessesTextTheCustomersTextAlsoCancelsAWaitingFollowUpOnH2() {
        try (TestDatabase db = TestDatabase.h2Memory()) {
            JdbcLeadRepository.migrate(db.dataSource());
            StoreUnavailableTest.BreakingDataSource counting = new StoreUnavailableTest.BreakingDataSource(db.dataSource());
            JdbcLeadRepository repo = JdbcLeadRepository.builder(counting).migrate(false).build();
            InboundResult first = repo.recordInbound(inbound("SM7e57e8bc163c82eee18733288c7d4ac7", phone(8), "hi"), Keyword.NONE, T0);
            Message question = repo.messages().recordOutbound(new NewOutboundMessage(first.lead().id(), "+15550001111",
                    phone(8).value(), "What's the address?", MessageStatus.PENDING, null, 1, null, T0.plusSeconds(5)));
            repo.messages().markSent(question.id(), new SendResult("SM7e57e8bc163c82eee18733288c7d4ac8", MessageStatus.QUEUED, 1,
                    "+15550001111"), T0.plusSeconds(6), T0.plusSeconds(3600));
            assertThat(repo.replyQueue().pendingCount()).as("the first text's job and the follow-up").isEqualTo(2);

            counting.breakAfter(Integer.MAX_VALUE);
            InboundResult answer = repo.recordInbound(inbound("SM7e57e8bc163c82eee18733288c7d4ac9", phone(8), "12 Elm St"),
                    Keyword.NONE, T0.plusSeconds(60));
            assertThat(counting.used()).as("lead update, message, follow-up cancel, job, commit").isEqualTo(5);
            assertThat(answer.lead().lastSmsAt()).isEqualTo(T0.plusSeconds(60));
            assertThat(repo.replyQueue().pendingCount()).as("the follow-up cancelled").isEqualTo(2);
        }
    }

    /**
     * Statements and commits for: a first text, a second text, STOP, and the STOP again with the same SID (not
     * counting the three Jdbi queries that read the stored message back for the answer).
     */
    private static java.util.List<Integer> statements(TestDatabase db) {
        return statements(db, null);
    }

    /** {@link #statements(TestDatabase)} of a store that announces its jobs (when {@code listen} is not null). */
    private static java.util.List<Integer> statements(TestDatabase db, javax.sql.DataSource listen) {
        JdbcLeadRepository.migrate(db.dataSource());
        StoreUnavailableTest.BreakingDataSource counting = new StoreUnavailableTest.BreakingDataSource(db.dataSource());
        JdbcLeadRepository.Builder builder = JdbcLeadRepository.builder(counting).migrate(false);
        JdbcLeadRepository repo = (listen == null ? builder : builder.listenDataSource(listen)).build();
        repo.leads().findLead(1); // the dialect is read once, on first use
        java.util.List<Integer> counts = new java.util.ArrayList<>();

        counting.breakAfter(Integer.MAX_VALUE);
        InboundResult first = repo.recordInbound(inbound("SM7e57e8bc163c82eee18733288c7d4ac6", phone(7), "hi"), Keyword.NONE, T0);
        counts.add(counting.used());
        assertThat(first.replyJobId()).isNotNull();

        counting.breakAfter(Integer.MAX_VALUE);
        InboundResult second = repo.recordInbound(inbound("SM7e57ad328846aa18b32a335816374511", phone(7), "are you there?"), Keyword.NONE, T0.plusSeconds(60));
        counts.add(counting.used());
        assertThat(second.lead().id()).isEqualTo(first.lead().id());
        assertThat(second.replyJobId()).isNotNull().isNotEqualTo(first.replyJobId());
        assertThat(second.lead().lastSmsAt()).isEqualTo(T0.plusSeconds(60));

        counting.breakAfter(Integer.MAX_VALUE);
        InboundResult stop = repo.recordInbound(inbound("SM7e5741242b9fae56fad4e6e77dfe33cb", phone(7), "STOP"), Keyword.OPT_OUT, T0.plusSeconds(120));
        counts.add(counting.used());
        assertThat(stop.lead().smsOptOut()).isTrue();
        assertThat(stop.replyJobId()).isNull();

        counting.breakAfter(Integer.MAX_VALUE);
        InboundResult again = repo.recordInbound(inbound("SM7e5741242b9fae56fad4e6e77dfe33cb", phone(7), "STOP"), Keyword.OPT_OUT, T0.plusSeconds(180));
        counts.add(counting.used() - jdbiLookups(again));
        assertThat(again.duplicate()).isTrue();
        assertThat(again.message().id()).isEqualTo(stop.message().id());
        return counts;
    }

    /** The repeated-SID answer reads the stored message, its media and its lead with Jdbi: three queries. */
    private static int jdbiLookups(InboundResult duplicate) {
        return duplicate.duplicate() ? 3 : 0;
    }
}
