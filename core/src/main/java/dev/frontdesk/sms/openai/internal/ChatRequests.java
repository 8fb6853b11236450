package dev.frontdesk.sms.openai.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.ReplyRequest;
import dev.frontdesk.sms.internal.ReplyPrompt;
import dev.frontdesk.sms.internal.ReplyPrompt.Prompt;
import dev.frontdesk.sms.internal.StructuredReply;
import java.io.IOException;
import java.util.Objects;

/**
 * Writes Chat Completions requests for the prompt every generator shares ({@link ReplyPrompt}): the system text as
 * one {@code system} message, then the conversation, the customer's turns as {@code user} messages and the
 * business's as {@code assistant} messages; with OpenAI's JSON-schema {@code response_format} when the structured
 * answer is asked for. Immutable and thread-safe.
 */
public final class ChatRequests {
    private final ObjectMapper json = new ObjectMapper();
    private final String model;
    private final int maxTokens;
    /** Null: no {@code temperature} is sent (reasoning models reject one). */
    private final Double temperature;
    private final ReplyPrompt prompts;

    public ChatRequests(String model, int maxTokens, Double temperature, ReplyPrompt prompts) {
        this.model = Objects.requireNonNull(model, "model");
        this.maxTokens = maxTokens;
        this.temperature = temperature;
        this.prompts = Objects.requireNonNull(prompts, "prompts");
    }

    /** The prompt of a request: the instructions, the notes for this reply, the JSON answer's shape, the turns. */
    public Prompt prompt(ReplyRequest request, boolean structured) {
        return prompts.build(request, structured ? ReplyPrompt.Shape.JSON : ReplyPrompt.Shape.TEXT);
    }

    public byte[] body(Prompt prompt, boolean structured) {
        ObjectNode root = json.createObjectNode();
        root.put("model", model);
        ArrayNode messages = root.putArray("messages");
        messages.addObject().put("role", "system").put("content", prompt.system());
        for (ReplyPrompt.Turn turn : prompt.turns()) {
            messages.addObject().put("role", turn.customer() ? "user" : "assistant").put("content", turn.text());
        }
        root.put("max_tokens", maxTokens);
        if (temperature != null) {
            root.put("temperature", temperature);
        }
        root.put("n", 1);
        if (structured) {
            root.set("response_format", responseFormat());
        }
        try {
            return json.writeValueAsBytes(root);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write the request JSON", e);
        }
    }

    /** OpenAI's {@code response_format} for a strict JSON schema: {"reply": string, "qualification": {...}, "handoff": boolean}. */
    private ObjectNode responseFormat() {
        ObjectNode format = json.createObjectNode();
        format.put("type", "json_schema");
        ObjectNode schemaHolder = format.putObject("json_schema");
        schemaHolder.put("name", StructuredReply.TOOL_NAME);
        schemaHolder.put("strict", true);
        ObjectNode schema = schemaHolder.putObject("schema");
        schema.put("type", "object");
        schema.put("additionalProperties", false);
        schema.putArray("required").add(StructuredReply.REPLY).add(StructuredReply.QUALIFICATION).add(StructuredReply.HANDOFF);
        ObjectNode props = schema.putObject("properties");
        props.putObject(StructuredReply.REPLY).put("type", "string");
        ObjectNode q = props.putObject(StructuredReply.QUALIFICATION);
        q.put("type", "object");
        q.put("additionalProperties", false);
        ArrayNode required = q.putArray("required");
        ObjectNode qProps = q.putObject("properties");
        for (String field : StructuredReply.qualificationFields().keySet()) {
            required.add(field);
            qProps.putObject(field).putArray("type").add("string").add("null");
        }
        props.putObject(StructuredReply.HANDOFF).put("type", "boolean");
        return format;
    }
}
