package dev.frontdesk.sms.langchain4j.internal;

import dev.frontdesk.sms.ReplyResult;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.internal.ReplyGuard;
import dev.frontdesk.sms.internal.ReplyPrompt;
import dev.frontdesk.sms.internal.SmsReplyText;
import dev.frontdesk.sms.internal.StructuredReply;
import dev.frontdesk.sms.langchain4j.LangChain4jReplyException;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.output.FinishReason;
import dev.langchain4j.model.output.TokenUsage;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a {@link ChatResponse}: the tool call's arguments, the JSON-schema answer or the plain text; a filtered
 * answer or no text is a failure. Every reply passes the output check on what the model wrote, then is fitted for
 * SMS. Immutable and thread-safe.
 */
public final class ModelAnswers {
    private final int maxReplyChars;
    private final String modelName;

    /** @param modelName the model named in usage records when the answer names none; may be null */
    public ModelAnswers(int maxReplyChars, String modelName) {
        this.maxReplyChars = maxReplyChars;
        this.modelName = modelName;
    }

    public ReplyResult read(ChatResponse response, ReplyPrompt.Shape shape, ReplyGuard guard) {
        if (response == null || response.aiMessage() == null) {
            throw new LangChain4jReplyException("The model gave no answer.", null);
        }
        if (response.finishReason() == FinishReason.CONTENT_FILTER) {
            throw new LangChain4jReplyException("The model's answer was withheld by its content filter.", null);
        }
        AiMessage message = response.aiMessage();
        String content = message.text();
        Optional<StructuredReply> answer = Optional.empty();
        if (shape == ReplyPrompt.Shape.TOOL && message.hasToolExecutionRequests()) {
            ToolExecutionRequest call = message.toolExecutionRequests().get(0);
            answer = StructuredReply.parse(call.arguments());
            if (!StructuredReply.TOOL_NAME.equals(call.name()) || answer.isEmpty()) {
                throw new LangChain4jReplyException("The model called an unknown tool or gave unreadable arguments.", null);
            }
        } else if (shape != ReplyPrompt.Shape.TEXT) {
            // a model that ignored the schema or the tool and answered in plain text: that text is the reply
            answer = StructuredReply.parse(content);
        }
        if (answer.isPresent()) {
            if (answer.get().reply() == null) {
                throw new LangChain4jReplyException("The model's structured answer has no reply text.", null);
            }
            content = answer.get().reply();
        }
        if (content == null || content.isBlank()) {
            throw new LangChain4jReplyException("The model gave an empty answer"
                    + (response.finishReason() == null ? "" : " (finish reason " + response.finishReason() + ")") + ".", null);
        }
        String reply = SmsReplyText.checkedAndFit(content, guard, maxReplyChars);
        if (reply.isBlank()) {
            throw new LangChain4jReplyException("The model gave an empty answer.", null);
        }
        TokenUsage usage = response.tokenUsage();
        String model = response.modelName() != null && !response.modelName().isBlank()
                ? LogSafe.truncate(response.modelName(), 100) : modelName;
        return new ReplyResult(reply, answer.map(StructuredReply::qualification).orElse(Map.of()),
                usage == null ? 0 : count(usage.inputTokenCount()), usage == null ? 0 : count(usage.outputTokenCount()), model,
                answer.map(StructuredReply::handoffRequested).orElse(false));
    }

    private static int count(Integer tokens) {
        return tokens == null ? 0 : Math.max(0, tokens);
    }
}
