package dev.frontdesk.sms;

/**
 * Writes the front desk's answer to a customer. Implementations: {@code dev.frontdesk.sms.openai.OpenAiReplyGenerator}.
 *
 * <p>Customer text is untrusted: an implementation must keep it in the user turns of its prompt, never
 * in its instructions. Implementations must be thread-safe; they are called from the reply worker, never
 * from a webhook request thread.
 */
public interface ReplyGenerator {

    /** No AI configured: every customer gets the configured fallback reply. */
    ReplyGenerator NONE = request -> null;

    /**
     * Writes a reply, ready to send as an SMS.
     *
     * @return the reply text, or null when this generator has nothing to say (the fallback reply goes out)
     * @throws RuntimeException on any failure; the caller then sends the fallback reply
     */
    String generateReply(ReplyRequest request);

    /**
     * Writes a reply and, where the generator can, also reads the booking details
     * ({@link Qualification}) from the conversation and reports the tokens used. The front desk calls this
     * method; the default wraps {@link #generateReply}.
     *
     * @throws RuntimeException on any failure; the caller then sends the fallback reply
     */
    default ReplyResult generate(ReplyRequest request) {
        return ReplyResult.of(generateReply(request));
    }

    /**
     * The fixed instructions this generator gives its model, which a reply must never quote: the front
     * desk's output check refuses a reply holding any run of six words of them; empty when it has none.
     */
    default String instructions() {
        return "";
    }

    /**
     * Whether this generator runs the output check itself on every reply it returns (length, markdown, links,
     * phone numbers but the business's, secrets, quotes of its instructions, encoded blobs), on the model's own
     * text before any fitting, and throws {@link ReplyRefusedException} for a refused one. The front desk then
     * does not check the reply again, so the check runs once per reply; for a generator that says false (the
     * default) the front desk runs it, with the business's numbers, the secrets of its configuration and
     * {@link #instructions()}.
     */
    default boolean checksReplies() {
        return false;
    }
}
