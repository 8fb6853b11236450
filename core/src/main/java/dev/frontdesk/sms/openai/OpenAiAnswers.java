package dev.frontdesk.sms.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.internal.ReplyGuard;
import dev.frontdesk.sms.internal.SmsReplyText;
import dev.frontdesk.sms.internal.StructuredReply;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads the model server's answers: the first choice's text (a refusal, a filtered answer or no text is a
 * failure), the structured reply and booking details when asked for, the tokens counted, and for a failed
 * call the server's error message with anything like a key hidden. Every reply passes the output check on
 * what the model wrote, then is fitted for SMS. Immutable and thread-safe.
 */
final class OpenAiAnswers {
    private static final Pattern SECRET_LIKE = Pattern.compile("(sk-|Bearer\\s+)[A-Za-z0-9_*\\-.]+");

    private final ObjectMapper json = new ObjectMapper();
    private final int maxReplyChars;
    private final String model;

    OpenAiAnswers(int maxReplyChars, String model) {
        this.maxReplyChars = maxReplyChars;
        this.model = model;
    }

    /** The error message of a failed answer, secrets hidden and cut short; "" when there is none. */
    String errorDetail(String body) {
        try {
            JsonNode msg = json.readTree(body).path("error").path("message");
            if (msg.isTextual()) {
                return ": " + LogSafe.truncate(SECRET_LIKE.matcher(msg.asText()).replaceAll("$1***"), 160);
            }
        } catch (IOException | RuntimeException ignored) {
            // not JSON: say nothing more
        }
        return "";
    }

    String readReply(String body, int status, ReplyGuard guard) {
        return checkedAndFit(content(parse(body, status), status), status, guard);
    }

    /** The reply after the output check on what the model wrote, then SMS fitting ({@link SmsReplyText#checkedAndFit}). */
    private String checkedAndFit(String text, int status, ReplyGuard guard) {
        String reply = SmsReplyText.checkedAndFit(text, guard, maxReplyChars);
        if (reply.isBlank()) {
            throw new OpenAiException("The model gave an empty answer.", status, false, null);
        }
        return reply;
    }

    ReplyResult readStructured(String body, int status, ReplyGuard guard) {
        JsonNode root = parse(body, status);
        String content = content(root, status);
        // a server without structured output answered in plain text: that text is the reply
        Optional<StructuredReply> answer = StructuredReply.parse(content);
        if (answer.isPresent() && answer.get().reply() == null) {
            throw new OpenAiException("The model's structured answer has no reply text.", status, false, null);
        }
        String reply = checkedAndFit(answer.map(StructuredReply::reply).orElse(content), status, guard);
        JsonNode usage = root.path("usage");
        return new ReplyResult(reply, answer.map(StructuredReply::qualification).orElse(Map.of()),
                Math.max(0, usage.path("prompt_tokens").asInt(0)),
                Math.max(0, usage.path("completion_tokens").asInt(0)),
                root.path("model").isTextual() ? LogSafe.truncate(root.path("model").asText(), 100) : model,
                answer.map(StructuredReply::handoffRequested).orElse(false));
    }

    private JsonNode parse(String body, int status) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            throw new OpenAiException("The model server's answer is not valid JSON.", status, false, e);
        }
        if (root == null) {
            throw new OpenAiException("The model server's answer is empty.", status, false, null);
        }
        return root;
    }

    /** The message text of the first choice; refusals, filtered and missing content are failures. */
    private static String content(JsonNode root, int status) {
        JsonNode choice = root.path("choices").path(0);
        if (choice == null || choice.isMissingNode() || !choice.isObject()) {
            throw new OpenAiException("The model server's answer has no choices.", status, false, null);
        }
        JsonNode message = choice.path("message");
        JsonNode refusal = message.path("refusal");
        if (refusal.isTextual() && !refusal.asText().isBlank()) {
            throw new OpenAiException("The model refused to answer.", status, false, null);
        }
        if ("content_filter".equals(choice.path("finish_reason").asText())) {
            throw new OpenAiException("The model's answer was withheld by its content filter.", status, false, null);
        }
        JsonNode content = message.path("content");
        if (!content.isTextual()) {
            throw new OpenAiException("The model gave no text (content is " + (content.isNull() ? "null" : "missing") + ").", status, false, null);
        }
        return content.asText();
    }
}
