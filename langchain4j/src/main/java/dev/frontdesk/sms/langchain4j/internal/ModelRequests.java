package dev.frontdesk.sms.langchain4j.internal;

import dev.frontdesk.sms.internal.ReplyPrompt;
import dev.frontdesk.sms.internal.ReplyPrompt.Prompt;
import dev.frontdesk.sms.internal.StructuredReply;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.ResponseFormatType;
import dev.langchain4j.model.chat.request.ToolChoice;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import java.util.ArrayList;
import java.util.List;

/**
 * Turns the shared prompt into a LangChain4j {@link ChatRequest}: the system text as a {@link SystemMessage}, the
 * customer's turns as {@link UserMessage}s and the business's as {@link AiMessage}s; for {@link ReplyPrompt.Shape#JSON}
 * a JSON-schema response format, for {@link ReplyPrompt.Shape#TOOL} the one tool {@value StructuredReply#TOOL_NAME}
 * with a required tool choice. Immutable and thread-safe.
 */
public final class ModelRequests {

    /** {@code {"reply": string, "qualification": {name, service, address, urgency, preferredTime}}}, strings, only reply and qualification required. */
    static final JsonObjectSchema ANSWER_SCHEMA = answerSchema();

    private final Integer maxOutputTokens;

    /** @param maxOutputTokens the most output tokens asked for, or null for the model's own setting */
    public ModelRequests(Integer maxOutputTokens) {
        this.maxOutputTokens = maxOutputTokens;
    }

    public ChatRequest chatRequest(Prompt prompt, ReplyPrompt.Shape shape) {
        List<ChatMessage> messages = new ArrayList<>();
        messages.add(SystemMessage.from(prompt.system()));
        for (ReplyPrompt.Turn turn : prompt.turns()) {
            messages.add(turn.customer() ? UserMessage.from(turn.text()) : AiMessage.from(turn.text()));
        }
        ChatRequest.Builder request = ChatRequest.builder().messages(messages);
        if (maxOutputTokens != null) {
            request.maxOutputTokens(maxOutputTokens);
        }
        if (shape == ReplyPrompt.Shape.JSON) {
            request.responseFormat(ResponseFormat.builder().type(ResponseFormatType.JSON)
                    .jsonSchema(JsonSchema.builder().name(StructuredReply.TOOL_NAME).rootElement(ANSWER_SCHEMA).build()).build());
        } else if (shape == ReplyPrompt.Shape.TOOL) {
            request.toolSpecifications(ToolSpecification.builder().name(StructuredReply.TOOL_NAME)
                    .description("Send the SMS reply to the customer and record the booking details they gave.")
                    .parameters(ANSWER_SCHEMA).build());
            request.toolChoice(ToolChoice.REQUIRED);
        }
        return request.build();
    }

    private static JsonObjectSchema answerSchema() {
        JsonObjectSchema.Builder q = JsonObjectSchema.builder()
                .description("What the customer has told you so far; leave out anything they have not said.");
        StructuredReply.qualificationFields().forEach(q::addStringProperty);
        return JsonObjectSchema.builder()
                .addStringProperty(StructuredReply.REPLY, StructuredReply.REPLY_EXPLAINED)
                .addProperty(StructuredReply.QUALIFICATION, q.build())
                .addBooleanProperty(StructuredReply.HANDOFF, StructuredReply.HANDOFF_EXPLAINED)
                .required(StructuredReply.REPLY, StructuredReply.QUALIFICATION, StructuredReply.HANDOFF)
                .build();
    }
}
