package dev.frontdesk.sms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.Channel;
import dev.frontdesk.sms.InboundSms;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.ReplyJob;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V10 and V11 on a store that holds data: the leads, messages and reply jobs written under V8 are kept, every lead
 * becomes an SMS lead and every job a reply job, and the number of an existing lead can then get a WhatsApp lead too.
 */
class ChannelMigrationTest {

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_MEMORY", "POSTGRES"})
    void leadsAndJobsStoredUnderVersion8AreKeptAsSmsLeadsAndReplyJobs(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            Flyway.configure().dataSource(db.dataSource()).locations(JdbcLeadRepository.MIGRATIONS_LOCATION)
                    .table(JdbcLeadRepository.SCHEMA_HISTORY_TABLE).target("8").load().migrate();
            db.execute("INSERT INTO leads (id, phone_number, name, source, created_at, sms_enabled, last_sms_at, sms_opt_out)"
                    + " VALUES (1, '+15551234567', 'Sam', 'sms', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', TRUE,"
                    + " TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', FALSE),"
                    + " (2, '+15557654321', NULL, 'manual', TIMESTAMP WITH TIME ZONE '2026-03-01 10:01:00+00', FALSE, NULL, TRUE)");
            db.execute("INSERT INTO messages (id, lead_id, twilio_sid, direction, from_number, to_number, body, status, created_at)"
                    + " VALUES (1, 1, 'SM00000000000000000000000000000001', 'inbound', '+15551234567', '+15550001111', 'hi',"
                    + " 'received', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00')");
            db.execute("INSERT INTO reply_jobs (id, lead_id, inbound_message_id, done, attempts, run_at, created_at, updated_at)"
                    + " VALUES (1, 1, 1, FALSE, 0, TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00', TIMESTAMP WITH TIME ZONE '2026-03-01 10:00:00+00')");
            db.execute("ALTER TABLE leads ALTER COLUMN id RESTART WITH 3");
            db.execute("ALTER TABLE messages ALTER COLUMN id RESTART WITH 2");

            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());

            Lead sam = repo.leads().findLead(1).orElseThrow();
            assertThat(sam.channel()).isEqualTo(Channel.SMS);
            assertThat(sam.name()).isEqualTo("Sam");
            assertThat(repo.leads().findLead(2).orElseThrow()).satisfies(l -> {
                assertThat(l.channel()).isEqualTo(Channel.SMS);
                assertThat(l.smsOptOut()).isTrue();
                assertThat(l.source()).isEqualTo(Lead.SOURCE_MANUAL);
            });
            assertThat(repo.messages().history(1, 10)).extracting(m -> m.body()).containsExactly("hi");
            ReplyJob job = repo.replyQueue().claim("w", java.time.Duration.ofSeconds(30), Instant.parse("2026-03-01T10:05:00Z"))
                    .orElseThrow();
            assertThat(job.kind()).isEqualTo(ReplyJob.Kind.REPLY);
            assertThat(job.inboundMessageId()).isEqualTo(1);

            PhoneNumber number = new PhoneNumber("+15551234567");
            InboundSms wa = new InboundSms("SM00000000000000000000000000000002", "AC1", null, number, "whatsapp:+15550001111",
                    "hola", 1, List.of(), null, Map.of(), Channel.WHATSAPP);
            Lead waLead = repo.recordInbound(wa, Keyword.NONE, Instant.parse("2026-03-01T10:06:00Z")).lead();
            assertThat(waLead.id()).isNotEqualTo(1);
            assertThat(waLead.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(repo.leads().findLeadByPhone(number).orElseThrow().id()).isEqualTo(1);
            assertThat(db.count("leads WHERE phone_number = '+15551234567'")).isEqualTo(2);
        }
    }
}
