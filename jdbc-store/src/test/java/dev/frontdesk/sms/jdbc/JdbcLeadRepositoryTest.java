package dev.frontdesk.sms.jdbc;

import static dev.frontdesk.sms.jdbc.Fixtures.T0;
import static dev.frontdesk.sms.jdbc.Fixtures.inbound;
import static dev.frontdesk.sms.jdbc.Fixtures.phone;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.DuplicateTwilioSidException;
import dev.frontdesk.sms.InboundResult;
import dev.frontdesk.sms.Keyword;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.MediaItem;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.MessageStatus;
import dev.frontdesk.sms.NewOutboundMessage;
import dev.frontdesk.sms.ReplyJob;
import dev.frontdesk.sms.SendResult;
import dev.frontdesk.sms.StatusUpdate;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the JDBC store adds to the contract suite, on each database: durability, time, SIDs, builders. */
class JdbcLeadRepositoryTest {

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void inboundMessageIsStoredWithMediaAndOneReplyJob(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            InboundResult r = repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "Need a plumber",
                    new MediaItem("https://api.twilio.com/m/1", "image/jpeg"), new MediaItem("https://api.twilio.com/m/2", null)),
                    Keyword.NONE, T0);

            assertThat(r.duplicate()).isFalse();
            assertThat(r.replyJobId()).isNotNull();
            assertThat(r.lead().smsEnabled()).isTrue();
            assertThat(r.lead().lastSmsAt()).isEqualTo(T0);
            assertThat(r.message().media()).containsExactly("https://api.twilio.com/m/1", "https://api.twilio.com/m/2");
            assertThat(repo.messages().findMessageBySid("SM7e570000000000000000000000000001")).contains(r.message());
            assertThat(repo.leads().findLead(r.lead().id())).contains(r.lead());
            assertThat(repo.messages().history(r.lead().id(), 10)).containsExactly(r.message());

            InboundResult again = repo.recordInbound(inbound("SM7e570000000000000000000000000001", phone(1), "Need a plumber"), Keyword.NONE, T0.plusSeconds(5));
            assertThat(again.duplicate()).isTrue();
            assertThat(again.replyJobId()).isNull();
            assertThat(again.message()).isEqualTo(r.message());
            assertThat(again.lead()).isEqualTo(r.lead());
            assertThat(db.count("messages")).isEqualTo(1);
            assertThat(db.count("reply_jobs")).isEqualTo(1);
            assertThat(db.count("message_media")).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void instantsAreStoredAsUtcAndReadBackIdentically(TestDatabase.Kind kind) throws SQLException {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            Lead lead = repo.leads().findOrCreateLead(phone(2), Lead.SOURCE_MANUAL, T0);
            assertThat(lead.createdAt()).isEqualTo(T0);
            assertThat(repo.leads().findLead(lead.id()).orElseThrow().createdAt()).isEqualTo(T0);

            // Compared in SQL with a UTC literal, so the JVM's default zone cannot cancel out a wrong conversion.
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM leads WHERE created_at = "
                         + "TIMESTAMP WITH TIME ZONE '2026-03-08 10:15:30.123456+00:00'")) {
                ResultSet rs = ps.executeQuery();
                rs.next();
                assertThat(rs.getLong(1)).isEqualTo(1);
            }
            try (Connection c = db.dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("SELECT created_at FROM leads")) {
                ResultSet rs = ps.executeQuery();
                rs.next();
                assertThat(rs.getObject(1, OffsetDateTime.class).toInstant()).isEqualTo(T0);
            }

            // Nanoseconds are cut to the microseconds both databases keep, the same way on both.
            Instant nanos = Instant.parse("2026-03-08T11:00:00.123456789Z");
            Lead other = repo.leads().findOrCreateLead(phone(3), Lead.SOURCE_MANUAL, nanos);
            assertThat(other.createdAt()).isEqualTo(Instant.parse("2026-03-08T11:00:00.123456Z"));
            assertThat(repo.leads().findLead(other.id()).orElseThrow().createdAt()).isEqualTo(other.createdAt());
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void sidStoredForAnotherMessageIsRefusedAndNothingChanges(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            Lead lead = repo.leads().findOrCreateLead(phone(4), Lead.SOURCE_MANUAL, T0);
            Message a = repo.messages().recordOutbound(outbound(lead, "first", null));
            Message b = repo.messages().recordOutbound(outbound(lead, "second", null));
            Message sentA = repo.messages().markSent(a.id(), new SendResult("SM7e570000000000000000000000000aaa", MessageStatus.QUEUED, 1, "+15550000000"), T0);
            assertThat(sentA.twilioSid()).isEqualTo("SM7e570000000000000000000000000aaa");

            assertThatThrownBy(() -> repo.messages().markSent(b.id(), new SendResult("SM7e570000000000000000000000000aaa", MessageStatus.QUEUED, 2, "+15550000001"), T0))
                    .isInstanceOf(DuplicateTwilioSidException.class)
                    .hasMessageContaining("SM7e570000000000000000000000000aaa")
                    .satisfies(e -> assertThat(((DuplicateTwilioSidException) e).code()).isEqualTo("duplicate_twilio_sid"));
            assertThat(repo.messages().findMessage(b.id())).contains(b);
            assertThat(repo.messages().findMessageBySid("SM7e570000000000000000000000000aaa")).contains(sentA);

            // the same SID again for the same message is not a conflict
            assertThat(repo.messages().markSent(a.id(), new SendResult("SM7e570000000000000000000000000aaa", MessageStatus.SENT, 1, null), T0).status())
                    .isEqualTo(MessageStatus.SENT);
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void replyFlowClaimsSendsAndCompletes(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            InboundResult in = repo.recordInbound(inbound("SM7e570000000000000000000000000010", phone(5), "hello"), Keyword.NONE, T0);
            ReplyJob job = repo.replyQueue().claim("w1", Duration.ofSeconds(30), T0.plusSeconds(1)).orElseThrow();
            assertThat(job.id()).isEqualTo(in.replyJobId());
            assertThat(job.attempts()).isEqualTo(1);
            assertThat(job.leaseUntil()).isEqualTo(T0.plusSeconds(31));
            assertThat(repo.replyQueue().claim("w2", Duration.ofSeconds(30), T0.plusSeconds(2))).isEmpty();
            assertThat(repo.replyQueue().nextDueAt(T0.plusSeconds(2))).contains(T0.plusSeconds(31));

            Message pending = repo.messages().recordOutbound(new NewOutboundMessage(in.lead().id(), Fixtures.BUSINESS, phone(5).value(),
                    "Hi!", MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(3)));
            Message again = repo.messages().recordOutbound(new NewOutboundMessage(in.lead().id(), Fixtures.BUSINESS, phone(5).value(),
                    "Hi again!", MessageStatus.PENDING, null, 1, job.id(), T0.plusSeconds(4)));
            assertThat(again).isEqualTo(pending);
            assertThat(repo.messages().findReplyForJob(job.id())).contains(pending);
            assertThat(repo.leads().findLead(in.lead().id()).orElseThrow().lastSmsAt()).isEqualTo(T0.plusSeconds(3));

            repo.messages().markSent(pending.id(), new SendResult("SM7e570000000000000000000000000011", MessageStatus.QUEUED, 1, null), T0.plusSeconds(5));
            assertThat(repo.replyQueue().complete(job.id(), "w2", T0.plusSeconds(6))).isFalse();
            assertThat(repo.replyQueue().complete(job.id(), "w1", T0.plusSeconds(6))).isTrue();
            assertThat(repo.replyQueue().pendingCount()).isZero();
            assertThat(repo.replyQueue().nextDueAt(T0.plusSeconds(6))).isEmpty();

            assertThat(repo.messages().applyStatus(new StatusUpdate("SM7e570000000000000000000000000011", MessageStatus.DELIVERED, null), T0.plusSeconds(7)).applied()).isTrue();
            var late = repo.messages().applyStatus(new StatusUpdate("SM7e570000000000000000000000000011", MessageStatus.SENT, null), T0.plusSeconds(8));
            assertThat(late.applied()).isFalse();
            assertThat(late.message().orElseThrow().status()).isEqualTo(MessageStatus.DELIVERED);
            assertThat(late.message().orElseThrow().deliveredAt()).isEqualTo(T0.plusSeconds(7));
            assertThat(repo.messages().history(in.lead().id(), 10)).extracting(Message::id).containsExactly(in.message().id(), pending.id());
        }
    }

    @Test
    void h2FileDataSurvivesClosingAndReopening() {
        try (TestDatabase db = TestDatabase.h2File()) {
            JdbcLeadRepository repo = JdbcLeadRepository.create(db.dataSource());
            InboundResult r = repo.recordInbound(inbound("SM7e570000000000000000000000000020", phone(6), "still there?",
                    new MediaItem("https://api.twilio.com/m/20", "image/png")), Keyword.NONE, T0);

            db.reopen();
            JdbcLeadRepository reopened = JdbcLeadRepository.create(db.dataSource());
            assertThat(reopened.leads().findLeadByPhone(phone(6))).contains(r.lead());
            assertThat(reopened.messages().findMessageBySid("SM7e570000000000000000000000000020")).contains(r.message());
            assertThat(reopened.replyQueue().pendingCount()).isEqualTo(1);
            assertThat(reopened.recordInbound(inbound("SM7e570000000000000000000000000020", phone(6), "still there?"), Keyword.NONE, T0).duplicate()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(TestDatabase.Kind.class)
    void builtFromAJdbiItMigratesThroughThatJdbi(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            JdbcLeadRepository repo = JdbcLeadRepository.builder(Jdbi.create(db.dataSource())).build();
            assertThat(repo.leads().listLeads(10)).isEmpty();
            assertThat(db.count("\"" + JdbcLeadRepository.SCHEMA_HISTORY_TABLE + "\" WHERE \"version\" = '1' AND \"success\" = TRUE")).isEqualTo(1);
            repo.checkAvailable();
        }
    }

    @Test
    void buildersRefuseAMissingDataSourceOrJdbiNamingIt() {
        assertThatThrownBy(() -> JdbcLeadRepository.builder((javax.sql.DataSource) null))
                .isInstanceOf(NullPointerException.class).hasMessage("dataSource");
        assertThatThrownBy(() -> JdbcLeadRepository.builder((Jdbi) null))
                .isInstanceOf(NullPointerException.class).hasMessage("jdbi");
        assertThatThrownBy(() -> JdbcLeadRepository.create(null))
                .isInstanceOf(NullPointerException.class).hasMessage("dataSource");
    }

    private static NewOutboundMessage outbound(Lead lead, String body, Long jobId) {
        return new NewOutboundMessage(lead.id(), Fixtures.BUSINESS, lead.phoneNumber().value(), body, MessageStatus.PENDING,
                null, 1, jobId, T0);
    }
}
