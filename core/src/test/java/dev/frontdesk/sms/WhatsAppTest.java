package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.memory.InMemoryLeadRepository;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** WhatsApp through Twilio: leads of their own, answers on WhatsApp from the number written to, the 24-hour window. */
class WhatsAppTest {

    private static final Instant T0 = Instant.parse("2026-03-01T15:00:00Z");
    private static final String CUSTOMER = "+15551234567";
    private static final String BUSINESS = "+15550001111";
    private static final String SECOND = "+15550002222";

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryLeadRepository repo = new InMemoryLeadRepository();
    private final RecordingGateway gateway = new RecordingGateway().verify(CUSTOMER);
    private final LogCapture logs = LogCapture.start();
    private FrontDesk desk;

    @AfterEach
    void close() {
        if (desk != null) {
            desk.close();
        }
        logs.close();
    }

    private FrontDesk desk() {
        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber(BUSINESS)).twilioTestMode(false)
                .businessName("Acme Plumbing").publicBaseUrl("https://abc123.ngrok.io")
                .businessProfiles(Map.of(SECOND, new BusinessProfile("Acme North", "", SECOND)))
                .humanTakeoverMinutes(0).build();
        desk = FrontDesk.builder().replySettle(Duration.ZERO).config(config).repository(repo).gateway(gateway)
                .replyGenerator(request -> "Hi! What's the address?").clock(clock).build();
        return desk;
    }

    private static InboundSms whatsApp(String n, String to, String body) {
        return TwilioWebhooks.inboundSms(Map.of("MessageSid", TestSids.sms(n), "From", "whatsapp:" + CUSTOMER,
                "To", "whatsapp:" + to, "Body", body), "US");
    }

    @Test
    void aWhatsAppMessageIsAnsweredOnWhatsAppFromTheNumberTheCustomerWroteTo() {
        desk();
        Lead lead = desk.receiveInbound(whatsApp("1", SECOND, "My sink leaks")).result().lead();
        assertThat(lead.channel()).isEqualTo(Channel.WHATSAPP);
        assertThat(lead.source()).isEqualTo(Lead.SOURCE_WHATSAPP);

        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).singleElement().satisfies(out -> {
            assertThat(out.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(out.to().value()).isEqualTo(CUSTOMER);
            assertThat(out.from()).isEqualTo("whatsapp:" + SECOND);
        });
        assertThat(desk.history(lead.id(), 10)).last().satisfies(m -> {
            assertThat(m.direction()).isEqualTo(Direction.OUTBOUND);
            assertThat(m.to()).isEqualTo("whatsapp:" + CUSTOMER);
            assertThat(m.body()).isEqualTo("Hi! What's the address?");
        });
    }

    @Test
    void aWhatsAppMessageToAnotherNumberIsAnsweredFromTheBusinessNumberOnWhatsApp() {
        desk();
        desk.receiveInbound(whatsApp("1", "+15559990000", "hello"));
        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).singleElement().extracting(OutboundSms::from).isEqualTo("whatsapp:" + BUSINESS);
    }

    @Test
    void noAutomaticReplyIsAttemptedOutsideTheWindowAndTheLogSaysSoMasked() {
        desk();
        desk.receiveInbound(whatsApp("1", BUSINESS, "hello"));
        clock.advance(Duration.ofHours(24).plusSeconds(1)); // the worker was down for a day

        assertThat(desk.processNextReply()).isTrue();
        assertThat(gateway.sent()).isEmpty();
        assertThat(repo.replyQueue().pendingCount()).as("the job is done, not retried").isZero();
        assertThat(logs.text()).contains("outside the window", "whatsapp:+1555***4567").doesNotContain(CUSTOMER);
    }

    @Test
    void staffTextsOutsideTheWindowAre409OutsideWindowAndInsideItGoOutOnWhatsApp() {
        desk();
        Lead lead = desk.receiveInbound(whatsApp("1", SECOND, "hello")).result().lead();
        desk.processNextReply();
        int stored = desk.history(lead.id(), 50).size();

        clock.advance(Duration.ofHours(23));
        Message sent = desk.sendStaffMessage(new StaffMessage(lead.id(), null, "Can we come at 3?"));
        assertThat(sent.to()).isEqualTo("whatsapp:" + CUSTOMER);
        assertThat(gateway.sent()).last().satisfies(out -> {
            assertThat(out.channel()).isEqualTo(Channel.WHATSAPP);
            assertThat(out.from()).isEqualTo("whatsapp:" + SECOND);
        });

        clock.advance(Duration.ofHours(1).plusSeconds(1));
        int sends = gateway.sent().size();
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(lead.id(), null, "Still there?", true)))
                .isInstanceOf(OutsideWindowException.class)
                .satisfies(e -> assertThat(((FrontDeskException) e).errorCode()).isEqualTo(ErrorCode.OUTSIDE_WINDOW));
        assertThat(gateway.sent()).hasSize(sends);
        assertThat(desk.history(lead.id(), 50)).hasSize(stored + 1);
    }

    @Test
    void aStaffTextByPhoneNumberOnlyGoesToTheSmsLeadOfTheNumber() {
        desk();
        Lead whatsApp = desk.receiveInbound(whatsApp("1", BUSINESS, "hello")).result().lead();
        desk.processNextReply();

        Message sent = desk.sendStaffMessage(new StaffMessage(null, CUSTOMER, "Texting you by SMS", true));
        assertThat(sent.leadId()).isNotEqualTo(whatsApp.id());
        assertThat(sent.to()).isEqualTo(CUSTOMER);
        assertThat(gateway.sent()).last().satisfies(out -> {
            assertThat(out.channel()).isEqualTo(Channel.SMS);
            assertThat(out.from()).isEqualTo(BUSINESS);
        });
        assertThat(desk.leads(CUSTOMER, 10)).extracting(Lead::channel).containsExactlyInAnyOrder(Channel.SMS, Channel.WHATSAPP);
        assertThat(desk.leads("whatsapp:" + CUSTOMER, 10)).extracting(Lead::id).containsExactly(whatsApp.id());
    }

    @Test
    void stopOnWhatsAppOptsTheWhatsAppLeadOutOfAutomaticAndStaffTexts() {
        desk();
        Lead lead = desk.receiveInbound(whatsApp("1", BUSINESS, "STOP")).result().lead();
        assertThat(desk.processNextReply()).isFalse();
        assertThat(repo.leads().findLead(lead.id()).orElseThrow().smsOptOut()).isTrue();
        assertThatThrownBy(() -> desk.sendStaffMessage(new StaffMessage(lead.id(), null, "hello?")))
                .isInstanceOf(OptedOutException.class);
        assertThat(gateway.sent()).isEmpty();
    }
}
