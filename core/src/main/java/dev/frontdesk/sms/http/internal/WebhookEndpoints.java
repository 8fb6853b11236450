package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.InboundCall;
import dev.frontdesk.sms.InboundReceipt;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import dev.frontdesk.sms.twilio.Twiml;
import dev.frontdesk.sms.twilio.VoiceTwiml;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's webhooks: {@code POST /api/twilio/sms/inbound}, {@code POST /api/twilio/sms/status} and the voice
 * webhooks {@code POST /api/twilio/voice/inbound} and {@code /api/twilio/voice/dial-status}, signed forms
 * answered with TwiML. Nothing slow happens here: the front desk stores and enqueues, the reply comes later from a
 * worker. Thread-safe.
 */
public final class WebhookEndpoints {
    /** What a caller hears when nobody can take the call. */
    static final String MISSED_CALL_SAY = "Sorry, we can't take your call right now. We'll text you in a moment.";

    private final FrontDesk frontDesk;
    private final SignedWebhooks forms;
    private final String dialStatusUrl;

    /** @param dialStatusUrl the absolute URL of the dial-status webhook, as Twilio calls it (the Dial's {@code action}) */
    public WebhookEndpoints(FrontDesk frontDesk, SignedWebhooks forms, String dialStatusUrl) {
        this.frontDesk = frontDesk;
        this.forms = forms;
        this.dialStatusUrl = dialStatusUrl;
    }

    /**
     * {@code POST /api/twilio/voice/inbound}, a call to the business: forwarded to the owner with a ring timeout and
     * the dial-status URL as the Dial's action; without an owner number a short sentence, hang-up, and the text.
     */
    public HttpResponse call(HttpRequest request, List<String> pathParams) {
        InboundCall call = TwilioWebhooks.inboundCall(forms.read(request), frontDesk.config().business().defaultRegion());
        return Answers.twiml(frontDesk.receiveCall(call)
                .map(owner -> VoiceTwiml.dial(owner.value(), dialStatusUrl))
                .orElseGet(() -> VoiceTwiml.sayAndHangUp(MISSED_CALL_SAY)));
    }

    /** {@code POST /api/twilio/voice/dial-status}: a missed forwarded call gets the sentence and the text; else the call ends. */
    public HttpResponse dialStatus(HttpRequest request, List<String> pathParams) {
        InboundCall call = TwilioWebhooks.inboundCall(forms.read(request), frontDesk.config().business().defaultRegion());
        frontDesk.receiveDialStatus(call);
        return Answers.twiml(call.missed() ? VoiceTwiml.sayAndHangUp(MISSED_CALL_SAY) : VoiceTwiml.empty());
    }

    /** A text to the business: stored, answered later; a HELP text may get its answer as TwiML at once. */
    public HttpResponse inbound(HttpRequest request, List<String> pathParams) {
        Map<String, String> params = forms.read(request);
        Optional<OtherSender> other = TwilioWebhooks.unansweredSender(params.get("From"));
        if (other.isPresent()) {
            // A short code, a sender ID or a channel address without a phone number: acknowledged and stored, never
            // answered. whatsapp:+1555... is the WhatsApp lead of that number and goes on like a text.
            frontDesk.receiveFromOtherSender(TwilioWebhooks.otherSenderMessage(params, other.get()));
            return Answers.emptyTwiml();
        }
        InboundReceipt receipt = frontDesk.receiveInbound(TwilioWebhooks.inboundSms(params, frontDesk.config().business().defaultRegion()));
        return Answers.twiml(receipt.immediateReply().map(Twiml::message).orElseGet(Twiml::empty));
    }

    /** A delivery status: 200 also for an unknown or late one, so Twilio does not retry it. */
    public HttpResponse status(HttpRequest request, List<String> pathParams) {
        frontDesk.receiveStatus(TwilioWebhooks.statusUpdate(forms.read(request)));
        return Answers.emptyTwiml();
    }
}
