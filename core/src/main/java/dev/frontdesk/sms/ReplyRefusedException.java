package dev.frontdesk.sms;

/**
 * A {@link ReplyGenerator} got an answer from its model but the answer failed the output check
 * (too long, markdown, a link, a phone number not the business's, a quote of the instructions, a secret or
 * an encoded blob): the fallback reply goes out instead. The model did answer, so this is not counted
 * as a generator failure (it does not pause the AI the way an outage does). Never reaches an HTTP client.
 */
public class ReplyRefusedException extends FrontDeskException {
    private static final long serialVersionUID = 1L;

    public ReplyRefusedException(String reason) {
        super(ErrorCode.REPLY_REFUSED, "The model's answer failed the output check (" + reason + ").");
    }
}
