package dev.frontdesk.sms.events.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.LeadOverview;
import dev.frontdesk.sms.LeadRepository;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.OutboxEvent;
import dev.frontdesk.sms.http.internal.Json;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The JSON body of an event: {@code {"id", "type", "createdAt", "data": {"lead": Lead, "message": Message}}}, the
 * lead and message written exactly as the HTTP API writes them ({@link Json#lead}, {@link Json#message}) and read
 * from the store at delivery; {@code message} only in {@code message.*} events. Thread-safe.
 */
public final class EventPayloads {

    private final LeadRepository repository;

    public EventPayloads(LeadRepository repository) {
        this.repository = Objects.requireNonNull(repository, "repository");
    }

    /** The body, or empty when the event's lead or message is gone (it cannot be delivered). */
    public Optional<byte[]> body(OutboxEvent event, Instant now) {
        Optional<Lead> lead = repository.leads().findLead(event.leadId());
        if (lead.isEmpty()) {
            return Optional.empty();
        }
        ObjectNode o = Json.object();
        o.put("id", event.eventId());
        o.put("type", event.type().wireName());
        o.put("createdAt", Json.time(event.createdAt()));
        ObjectNode data = o.putObject("data");
        Message last = repository.messages().lastMessages(List.of(event.leadId())).get(event.leadId());
        data.set("lead", Json.lead(new LeadOverview(lead.get(), last), now));
        if (event.type().carriesMessage()) {
            Optional<Message> message = event.messageId() == null ? Optional.empty()
                    : repository.messages().findMessage(event.messageId());
            if (message.isEmpty()) {
                return Optional.empty();
            }
            data.set("message", Json.message(message.get()));
        }
        return Optional.of(Json.bytes(o));
    }
}
