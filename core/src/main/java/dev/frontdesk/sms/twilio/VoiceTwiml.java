package dev.frontdesk.sms.twilio;

import com.twilio.http.HttpMethod;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.VoiceResponse;
import com.twilio.twiml.voice.Dial;
import com.twilio.twiml.voice.Hangup;
import com.twilio.twiml.voice.Number;
import com.twilio.twiml.voice.Say;
import java.util.Objects;

/**
 * TwiML answers for the voice webhooks, built with Twilio's {@link VoiceResponse}: forward a call to the owner, or
 * say a short sentence and hang up. Serve them as {@link Twiml#CONTENT_TYPE}. Stateless and thread-safe.
 */
public final class VoiceTwiml {

    /** How long the owner's phone rings before the call counts as missed. */
    public static final int RING_SECONDS = 20;

    private static final String EMPTY = render(new VoiceResponse.Builder().build());

    private VoiceTwiml() {
    }

    /**
     * {@code <Dial>} to {@code number}, ringing {@value #RING_SECONDS} s; when the dialled call ends Twilio posts its
     * {@code DialCallStatus} to {@code actionUrl} (absolute, so it is the URL the signature is made for).
     */
    public static String dial(String number, String actionUrl) {
        Objects.requireNonNull(number, "number");
        Objects.requireNonNull(actionUrl, "actionUrl");
        return render(new VoiceResponse.Builder()
                .dial(new Dial.Builder().number(new Number.Builder(number).build()).action(actionUrl).method(HttpMethod.POST).timeout(RING_SECONDS).build())
                .build());
    }

    /** {@code <Say>} the sentence, then {@code <Hangup/>}. */
    public static String sayAndHangUp(String sentence) {
        Objects.requireNonNull(sentence, "sentence");
        return render(new VoiceResponse.Builder().say(new Say.Builder(sentence).build()).hangup(new Hangup.Builder().build()).build());
    }

    /** An empty response: the call ends. */
    public static String empty() {
        return EMPTY;
    }

    private static String render(VoiceResponse response) {
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("Could not render TwiML", e);
        }
    }
}
