package dev.frontdesk.sms.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.MutableClock;
import dev.frontdesk.sms.OutboundSms;
import dev.frontdesk.sms.PhoneNumber;
import dev.frontdesk.sms.RecordingGateway;
import dev.frontdesk.sms.ReplyGenerator;
import dev.frontdesk.sms.TestSids;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Follow-ups are scheduled in the store: a new front desk on the same database (a restart) sends the nudge the old
 * one scheduled, and two front desks on one PostgreSQL database, both with workers running, send it once.
 */
class FollowUpJdbcTest {

    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z"); // 10:00 in New York
    private static final String CUSTOMER = "+12125550123";
    private static final String BUSINESS = "+15550001111";
    private static final ReplyGenerator AI = request -> request.notes().stream().anyMatch(n -> n.contains("check-in"))
            ? "Just checking in, do you still need a plumber?" : "Sure! What's the address?";

    private static FrontDeskConfig config(Duration followUpAfter) {
        return FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false)
                .businessName("Acme Plumbing").followUpAfter(followUpAfter).build();
    }

    /** A text from {@code from} (a +1555 number has no known zone, so the wall clock's hour holds nothing back). */
    private static void text(FrontDesk desk, String from, String sid, String body) {
        desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", sid, "From", from, "To", BUSINESS, "Body", body), "US"));
    }

    @ParameterizedTest
    @EnumSource(value = TestDatabase.Kind.class, names = {"H2_FILE", "POSTGRES"})
    void aRestartedFrontDeskSendsTheNudgeTheOldOneScheduled(TestDatabase.Kind kind) {
        try (TestDatabase db = TestDatabase.of(kind)) {
            MutableClock clock = new MutableClock(T0);
            RecordingGateway gateway = new RecordingGateway();
            Duration quiet = Duration.ofHours(4);
            try (FrontDesk before = FrontDesk.builder().config(config(quiet)).repository(JdbcLeadRepository.create(db.dataSource()))
                    .gateway(gateway).replyGenerator(AI).clock(clock).replySettle(Duration.ZERO).build()) {
                text(before, CUSTOMER, TestSids.sms(1), "My sink is leaking");
                assertThat(before.processNextReply()).isTrue();
            }
            db.reopen();
            clock.set(T0.plus(quiet));
            try (FrontDesk after = FrontDesk.builder().config(config(quiet)).repository(JdbcLeadRepository.create(db.dataSource()))
                    .gateway(gateway).replyGenerator(AI).clock(clock).replySettle(Duration.ZERO).build()) {
                assertThat(after.processNextReply()).isTrue();
                assertThat(gateway.sent()).extracting(OutboundSms::body)
                        .containsExactly("Sure! What's the address?", "Just checking in, do you still need a plumber?");
                assertThat(after.pendingReplies()).isZero();
            }
        }
    }

    @Test
    void twoFrontDesksOnOnePostgresDatabaseSendTheNudgeOnce() throws Exception {
        try (TestDatabase db = TestDatabase.postgres()) {
            JdbcLeadRepository.migrate(db.dataSource());
            RecordingGateway gateway = new RecordingGateway();
            Duration quiet = Duration.ofMillis(1500);
            FrontDesk.Builder builder = FrontDesk.builder().config(config(quiet)).gateway(gateway).replyGenerator(AI)
                    .replySettle(Duration.ZERO).pollInterval(Duration.ofMillis(20)).workers(3);
            try (FrontDesk a = builder.repository(JdbcLeadRepository.builder(db.dataSource()).migrate(false).build()).workerId("a").build();
                 FrontDesk b = builder.repository(JdbcLeadRepository.builder(db.dataSource()).migrate(false).build()).workerId("b").build()) {
                a.start();
                b.start();
                text(a, "+15551234567", TestSids.sms(1), "My sink is leaking");
                List<OutboundSms> sent = gateway.awaitSent(2, 20_000);
                assertThat(sent).extracting(OutboundSms::body)
                        .containsExactly("Sure! What's the address?", "Just checking in, do you still need a plumber?");
                await(() -> a.pendingReplies() == 0, "the follow-up job done");
                // Both desks' six workers poll every 20 ms: any second claim of the follow-up would have run by now.
                await(() -> db.count("reply_jobs WHERE kind = 'follow_up' AND done = TRUE") == 1, "one follow-up ran");
                assertThat(gateway.sent()).as("one nudge in all").hasSize(2);
                assertThat(db.count("messages WHERE direction = 'outbound'")).isEqualTo(2);
            }
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
