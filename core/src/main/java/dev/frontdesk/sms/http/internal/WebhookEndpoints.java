package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.FrontDesk;
import dev.frontdesk.sms.InboundReceipt;
import dev.frontdesk.sms.OtherSender;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import dev.frontdesk.sms.twilio.TwilioWebhooks;
import dev.frontdesk.sms.twilio.Twiml;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's webhooks: {@code POST /api/twilio/sms/inbound} and {@code POST /api/twilio/sms/status}, signed forms
 * answered with TwiML. Nothing slow happens here: the front desk stores and enqueues, the reply comes later from a
 * worker. Thread-safe.
 */
public final class WebhookEndpoints {
    private final FrontDesk frontDesk;
    private final SignedWebhooks forms;

    public WebhookEndpoints(FrontDesk frontDesk, SignedWebhooks forms) {
        this.frontDesk = frontDesk;
        this.forms = forms;
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
