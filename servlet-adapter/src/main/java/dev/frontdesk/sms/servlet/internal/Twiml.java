package dev.frontdesk.sms.servlet.internal;

/** The two TwiML answers a webhook gives: nothing, or one message (the configured HELP text). */
public final class Twiml {
    private static final String DECLARATION = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>";

    private Twiml() {
    }

    /** {@code <?xml version="1.0" encoding="UTF-8"?><Response/>}: Twilio sends nothing back. */
    public static String empty() {
        return DECLARATION + "<Response/>";
    }

    /** A response that texts {@code text} back to the sender. */
    public static String message(String text) {
        return DECLARATION + "<Response><Message>" + escape(text) + "</Message></Response>";
    }

    private static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&': b.append("&amp;"); break;
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&apos;"); break;
                default:
                    // XML 1.0 forbids most control characters; drop them rather than send TwiML Twilio rejects.
                    if (c >= 0x20 || c == '\n' || c == '\r' || c == '\t') {
                        b.append(c);
                    }
            }
        }
        return b.toString();
    }
}
