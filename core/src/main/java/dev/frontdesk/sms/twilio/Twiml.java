package dev.frontdesk.sms.twilio;

import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.TwiMLException;
import com.twilio.twiml.messaging.Message;
import java.util.Objects;

/**
 * TwiML answers for the inbound-SMS webhook, built with Twilio's {@link MessagingResponse}.
 *
 * <p>{@link #empty()} is exactly the contract's answer {@code <?xml version="1.0" encoding="UTF-8"?><Response/>}
 * (serve it as {@code text/xml}). Stateless and thread-safe.
 */
public final class Twiml {

    /** The media type to serve TwiML with. */
    public static final String CONTENT_TYPE = "text/xml";

    private static final String EMPTY = render(new MessagingResponse.Builder().build());

    private Twiml() {
    }

    /** An empty response: Twilio sends nothing back to the texter. */
    public static String empty() {
        return EMPTY;
    }

    /**
     * A response that makes Twilio answer the texter with {@code body} (XML-escaped by Twilio's builder).
     *
     * @throws IllegalArgumentException when {@code body} is null or blank
     */
    public static String message(String body) {
        Objects.requireNonNull(body, "body");
        if (body.isBlank()) {
            throw new IllegalArgumentException("body must not be blank; use Twiml.empty() to answer nothing.");
        }
        return render(new MessagingResponse.Builder().message(new Message.Builder(body).build()).build());
    }

    private static String render(MessagingResponse response) {
        try {
            return response.toXml();
        } catch (TwiMLException e) {
            throw new IllegalStateException("Could not render TwiML", e);
        }
    }
}
