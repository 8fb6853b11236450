package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Follow-ups ({@code FOLLOW_UP_HOURS}) on the in-memory store with a clock the test moves and the synchronous
 * worker: one nudge written by the AI after the quiet time, none when the customer answered, opted out, or is fully
 * qualified, none while the lead's AI is off or staff have it, quiet hours move it to the morning, one per quiet
 * spell, counted in the caps, the fallback text when the AI fails. Store-level rules are in {@link FollowUpContract};
 * restarts and two instances in the JDBC store's {@code FollowUpJdbcTest}; real HTTP in the servlet's {@code FollowUpHttpTest}.
 */
class FollowUpTest {

    /** 10:00 in New York (EST, UTC-5). */
    private static final Instant T0 = Instant.parse("2026-03-02T15:00:00Z");
    /** A New York number, so quiet hours know the customer's zone. */
    private static final String CUSTOMER = "+12125550123";
    private static final String BUSINESS = "+15550001111";
    private static final Duration QUIET = Duration.ofHours(4);

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryLeadRepository repo = new InMemoryLeadRepository();
    private final RecordingGateway gateway = new RecordingGateway();
    private final List<ReplyRequest> asked = new ArrayList<>();
    private FrontDesk desk;
    private int sids;

    @AfterEach
    void close() {
        if (desk != null) {
            desk.close();
        }
    }

    private FrontDeskConfig.Builder config() {
        return FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false)
                .businessName("Acme Plumbing").followUpAfter(QUIET);
    }

    private FrontDesk desk(FrontDeskConfig config, ReplyGenerator generator) {
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway)
                .replyGenerator(generator).clock(clock).build();
        return desk;
    }

    private FrontDesk desk(FrontDeskConfig config) {
        return desk(config, request -> {
            asked.add(request);
            return request.notes().stream().anyMatch(n -> n.contains("check-in"))
                    ? "Just checking in, do you still need a plumber?" : "Sure! What's the address?";
        });
    }

    /** The customer texts now; returns the lead. */
    private Lead customerTexts(String body) {
        return desk.receiveInbound(TwilioWebhooks.inboundSms(Map.of("MessageSid", TestSids.sms(++sids), "From", CUSTOMER,
                "To", BUSINESS, "Body", body), "US")).result().lead();
    }

    private void at(Duration sinceStart) {
        clock.set(T0.plus(sinceStart));
    }

    private List<String> texts() {
        return gateway.sent().stream().map(OutboundSms::body).toList();
    }

    @Test
    void aQuietLeadGetsOneNudgeWrittenByTheAiAfterTheQuietTime() {
        desk(config().build());
        customerTexts("My sink is leaking");
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).containsExactly("Sure! What's the address?");

        at(QUIET.minusSeconds(1));
        assertThat(desk.processNextReply()).as("not due yet").isFalse();
        at(QUIET);
        assertThat(desk.processNextReply()).isTrue();

        assertThat(texts()).containsExactly("Sure! What's the address?", "Just checking in, do you still need a plumber?");
        assertThat(gateway.sent().get(1).to().value()).isEqualTo(CUSTOMER);
        assertThat(gateway.sent().get(1).from()).isEqualTo(BUSINESS);
        ReplyRequest nudge = asked.get(1);
        assertThat(nudge.notes()).anySatisfy(n -> assertThat(n).contains("has not answered the business's last message"));
        assertThat(nudge.conversation()).extracting(Message::body).containsExactly("My sink is leaking", "Sure! What's the address?");

        at(QUIET.multipliedBy(3));
        assertThat(desk.processNextReply()).as("the nudge schedules no other: one per quiet spell").isFalse();
        assertThat(texts()).hasSize(2);
        assertThat(desk.pendingReplies()).isZero();
    }

    @Test
    void aCustomerWhoAnswersGetsNoNudgeForTheEarlierTextAndANewQuietTimeStarts() {
        desk(config().build());
        customerTexts("My sink is leaking");
        desk.processNextReply();
        at(Duration.ofHours(1));
        customerTexts("12 Main St");
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).hasSize(2);

        at(QUIET);
        assertThat(desk.processNextReply()).as("the first reply's follow-up was cancelled by the answer").isFalse();
        at(Duration.ofHours(1).plus(QUIET));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).hasSize(3).last().isEqualTo("Just checking in, do you still need a plumber?");
    }

    @Test
    void aLeadWhoTextedStopGetsNoNudge() {
        desk(config().build());
        customerTexts("My sink is leaking");
        desk.processNextReply();
        customerTexts("STOP");

        at(QUIET.plusSeconds(1));
        assertThat(desk.processNextReply()).isFalse();
        assertThat(texts()).containsExactly("Sure! What's the address?");
    }

    @Test
    void aLeadWhoseAiIsSwitchedOffGetsNoNudge() {
        desk(config().build());
        Lead lead = customerTexts("My sink is leaking");
        desk.processNextReply();
        desk.setAi(lead.id(), false, null);

        at(QUIET);
        assertThat(desk.processNextReply()).as("the follow-up runs and finds the AI off").isTrue();
        assertThat(texts()).hasSize(1);
        assertThat(desk.pendingReplies()).as("completed, not kept for later").isZero();
    }

    @Test
    void aLeadStaffTookOverGetsNoNudgeWhileTheyHaveIt() {
        desk(config().humanTakeoverMinutes((int) QUIET.toMinutes() * 2).build());
        Lead lead = customerTexts("My sink is leaking");
        desk.processNextReply();
        at(Duration.ofMinutes(10));
        desk.sendStaffMessage(new StaffMessage(lead.id(), null, "This is Sam from Acme, I'll call you shortly"));

        at(Duration.ofMinutes(10).plus(QUIET));
        assertThat(desk.processNextReply()).as("the staff text's follow-up runs and finds the lead with staff").isTrue();
        assertThat(texts()).hasSize(2).last().isEqualTo("This is Sam from Acme, I'll call you shortly");
        assertThat(desk.pendingReplies()).isZero();
    }

    @Test
    void aStaffTextStartsTheQuietTimeToo() {
        desk(config().humanTakeoverMinutes(0).build());
        Lead lead = customerTexts("My sink is leaking");
        desk.processNextReply();
        at(Duration.ofHours(1));
        desk.sendStaffMessage(new StaffMessage(lead.id(), null, "Can you send a photo?"));

        at(QUIET);
        assertThat(desk.processNextReply()).as("the reply's follow-up was replaced by the staff text's").isFalse();
        at(Duration.ofHours(1).plus(QUIET));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).hasSize(3).last().isEqualTo("Just checking in, do you still need a plumber?");
        assertThat(asked.get(1).conversation()).extracting(Message::body).last().isEqualTo("Can you send a photo?");
    }

    @Test
    void aFullyQualifiedLeadGetsNoNudge() {
        desk(config().build());
        Lead lead = customerTexts("My sink is leaking");
        desk.processNextReply();
        desk.editQualification(lead.id(), Map.of(Qualification.Field.NAME, "Ann", Qualification.Field.SERVICE, "leak",
                Qualification.Field.ADDRESS, "12 Main St", Qualification.Field.PREFERRED_TIME, "Tuesday 9am"));

        at(QUIET);
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).hasSize(1);
        assertThat(desk.pendingReplies()).isZero();
    }

    @Test
    void aNudgeDueInTheCustomersQuietHoursWaitsForEightInTheMorningThere() {
        desk(config().build());
        at(Duration.ofHours(10)); // 20:00 in New York
        customerTexts("Do you do weekends?");
        desk.processNextReply();

        at(Duration.ofHours(10).plus(QUIET)); // midnight in New York
        assertThat(desk.processNextReply()).as("it runs and is given back").isTrue();
        assertThat(texts()).hasSize(1);
        Instant morning = Instant.parse("2026-03-03T13:00:00Z"); // 8:00 EST
        assertThat(repo.replyQueue().nextDueAt(clock.instant())).contains(morning);

        clock.set(morning.minusSeconds(1));
        assertThat(desk.processNextReply()).isFalse();
        clock.set(morning);
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).hasSize(2).last().isEqualTo("Just checking in, do you still need a plumber?");
    }

    @Test
    void theNudgeCountsInTheAutomaticReplyCaps() {
        desk(config().followUpAfter(Duration.ofMinutes(30)).autoRepliesPerHour(1).build());
        customerTexts("My sink is leaking");
        desk.processNextReply();

        at(Duration.ofMinutes(30));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(texts()).as("the reply used this hour's one automatic text").hasSize(1);
    }

    @Test
    void theNudgeIsTheFollowUpFallbackWhenTheAiFails() {
        desk(config().build(), request -> {
            if (request.notes().stream().anyMatch(n -> n.contains("check-in"))) {
                throw new IllegalStateException("model down");
            }
            return "Sure! What's the address?";
        });
        customerTexts("My sink is leaking");
        desk.processNextReply();

        at(QUIET);
        desk.processNextReply();
        assertThat(texts()).hasSize(2).last().asString()
                .startsWith("Hi, this is Acme Plumbing checking in").doesNotContain("Thanks for texting");
    }

    @Test
    void withFollowUpHoursZeroNothingIsScheduled() {
        desk(config().followUpAfter(Duration.ZERO).build());
        customerTexts("My sink is leaking");
        desk.processNextReply();
        assertThat(desk.pendingReplies()).isZero();
        at(Duration.ofDays(3));
        assertThat(desk.processNextReply()).isFalse();
    }
}
