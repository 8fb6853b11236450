package dev.frontdesk.sms.internal;

import dev.frontdesk.sms.Direction;
import dev.frontdesk.sms.FrontDeskConfig;
import dev.frontdesk.sms.Lead;
import dev.frontdesk.sms.Message;
import dev.frontdesk.sms.ReplyContext;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a follow-up ({@code FOLLOW_UP_HOURS}), checked again from the store's context when its job runs, since
 * much may have changed since it was scheduled: the lead's last message must still be the business's text the job was
 * scheduled with (the job's {@code createdAt} is when that text was sent), at least that long ago; the lead not fully
 * qualified; and it must not be quiet hours for the customer (then it waits for 8:00
 * in the customer's zone). Opt-out, a paused AI and a staff takeover are checked before, as for every job. Stateless.
 */
final class FollowUps {

    /** The note a follow-up is written with (from the front desk, never from customer text). */
    static final String NOTE = "The customer has not answered the business's last message for a while. This text is one"
            + " friendly check-in: pick up where the conversation stopped (the question still open, or whether they still"
            + " need help), in one or two short sentences. Do not pressure them and do not say this is an automatic message.";

    private FollowUps() {
    }

    /**
     * What a follow-up job does now.
     *
     * @param skipped why it sends nothing (the job is completed), or null
     * @param later   when it is to run again instead (quiet hours), or null
     */
    record Verdict(String skipped, Instant later) {
        static final Verdict NUDGE = new Verdict(null, null);

        boolean nudges() {
            return skipped == null && later == null;
        }
    }

    static Verdict check(ReplyContext context, FrontDeskConfig config, Instant now) {
        Lead lead = context.lead();
        if (config.replies().followUpAfter().isZero()) {
            return new Verdict("FOLLOW_UP_HOURS is 0", null);
        }
        if (lead.qualification().fullyQualified()) {
            return new Verdict("the lead is fully qualified", null);
        }
        List<Message> history = context.history();
        Message last = history.isEmpty() ? null : history.get(history.size() - 1);
        if (last == null || last.direction() != Direction.OUTBOUND) {
            return new Verdict("the customer wrote last", null);
        }
        Instant lastAt = last.sentAt() != null ? last.sentAt() : last.createdAt();
        if (lastAt.isAfter(context.job().createdAt())) {
            // Scheduled with an earlier text: the later one (or this spell's nudge) has its own follow-up or ends the spell.
            return new Verdict("the business texted since", null);
        }
        Instant due = lastAt.plus(config.replies().followUpAfter());
        if (now.isBefore(due)) {
            return new Verdict(null, due); // FOLLOW_UP_HOURS was raised since the job was scheduled
        }
        Optional<Instant> morning = QuietHours.morning(lead.phoneNumber(), config.business().explicitTimeZone(), now);
        return morning.map(at -> new Verdict(null, at)).orElse(Verdict.NUDGE);
    }

    /** The text a quiet lead gets when the AI cannot write one. */
    static String fallbackText(String businessName) {
        return "Hi, this is " + businessName + " checking in: do you still need help? Reply here anytime and we'll take it from there.";
    }

    /**
     * The number a follow-up comes from, as a staff text's: the one the customer last texted, else (a caller who never
     * texted) the one the business last texted them from; null for the default number.
     */
    static String lastTexted(List<Message> history) {
        String lastFrom = null;
        for (int i = history.size() - 1; i >= 0; i--) {
            Message m = history.get(i);
            if (m.direction() == Direction.INBOUND && m.to() != null) {
                return m.to();
            }
            if (lastFrom == null && m.direction() == Direction.OUTBOUND && m.from() != null) {
                lastFrom = m.from();
            }
        }
        return lastFrom;
    }
}
