package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The behaviour every {@link UsageLedger} must have: AI calls and usage counts, and the abuse caps' notes and
 * counters. Written once, run against every implementation through {@link StoreContracts}.
 */
public abstract class UsageLedgerContract extends StoreContract {

    @Test
    void autoRepliesAreCountedPerLeadAndOverallWithinTheWindow() {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        Lead b = leads.findOrCreateLead(OTHER, Lead.SOURCE_SMS, T0);
        usage.recordAutoReply(101, a.id(), true, T0);
        usage.recordAutoReply(102, a.id(), false, T0.plusSeconds(60));
        usage.recordAutoReply(103, b.id(), true, T0.plusSeconds(120));

        assertThat(usage.countAutoReplies(a.id(), false, T0)).isEqualTo(2);
        assertThat(usage.countAutoReplies(a.id(), true, T0)).isEqualTo(1);
        assertThat(usage.countAutoReplies(null, false, T0)).isEqualTo(3);
        assertThat(usage.countAutoReplies(null, true, T0)).isEqualTo(2);
        assertThat(usage.countAutoReplies(null, false, T0.plusSeconds(60))).as("at or after since").isEqualTo(2);
        assertThat(usage.countAutoReplies(a.id(), false, T0.plusSeconds(61))).isZero();
        assertThat(usage.countAutoReplies(null, true, T0.plusSeconds(3600))).isZero();
    }

    @Test
    void anAutoReplyIsNotedOncePerReplyJob() {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        assertThat(usage.autoReplyAiCall(7)).isEmpty();

        assertThat(usage.recordAutoReply(7, a.id(), true, T0)).isTrue();
        assertThat(usage.recordAutoReply(7, a.id(), false, T0.plusSeconds(30))).as("the job's second run").isFalse();

        assertThat(usage.countAutoReplies(a.id(), false, T0)).isEqualTo(1);
        assertThat(usage.countAutoReplies(null, true, T0)).isEqualTo(1);
        assertThat(usage.autoReplyAiCall(7)).as("the first note is kept").contains(true);
    }

    @Test
    void anAutoReplyNotedAtOnceFromManyThreadsIsNotedOnce() throws Exception {
        Lead a = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        List<Boolean> added = runConcurrently(8, i -> usage.recordAutoReply(9, a.id(), true, T0));

        assertThat(added).filteredOn(b -> b).hasSize(1);
        assertThat(usage.countAutoReplies(null, false, T0)).isEqualTo(1);
    }

    @Test
    void staffMessagesAreCountedWithoutAutomaticReplies() {
        InboundResult in = repo.recordInbound(inbound("SM7e57ab861dc170dc2e43224e45278d3d", CUSTOMER, "hi"), Keyword.NONE, T0);
        long leadId = in.lead().id();
        recordPendingOutbound(leadId, "AI reply", in.replyJobId(), T0.plusSeconds(1));
        recordPendingOutbound(leadId, "staff one", null, T0.plusSeconds(2));
        recordPendingOutbound(leadId, "staff two", null, T0.plusSeconds(70));

        assertThat(usage.countStaffMessages(T0)).isEqualTo(2);
        assertThat(usage.countStaffMessages(T0.plusSeconds(3))).isEqualTo(1);
        assertThat(usage.countStaffMessages(T0.plusSeconds(71))).isZero();
    }

    @Test
    void usageCountsMessagesTwilioAcceptedAndAiCallsInTheSpan() {
        Instant dayStart = T0;
        long id = repo.recordInbound(inboundWithMedia("SM7e577a3e6b16cb75f48fb897eff3ae73", CUSTOMER, "hi", List.of()), Keyword.NONE, T0.plusSeconds(1)).lead().id();
        repo.recordInbound(inbound("SM7e57a1dd6837f284625bdb1cb68f1dbc", CUSTOMER, "x".repeat(200)), Keyword.NONE, T0.plusSeconds(2));
        Message sent = recordPendingOutbound(id, "a reply", null, T0.plusSeconds(3));
        messages.markSent(sent.id(), new SendResult("SM7e576776128287ef2cb8ead79828e5b7", MessageStatus.QUEUED, 2, BUSINESS), T0.plusSeconds(4));
        Message failed = recordPendingOutbound(id, "not sent", null, T0.plusSeconds(5));
        messages.markFailed(failed.id(), MessageStatus.FAILED, "21211");
        usage.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 120, 30, 800, T0.plusSeconds(3)));
        usage.recordAiCall(new AiCall(id, 7L, null, "timeout", 0, 0, 20_000, T0.plusSeconds(6)));
        repo.recordInbound(inbound("SM7e5788c0413bfef1d0570a8a6f9c780a", CUSTOMER, "next day"), Keyword.NONE, T0.plus(Duration.ofDays(1)));
        usage.recordAiCall(new AiCall(id, null, "gpt-4o-mini", "ok", 1, 1, 1, T0.plus(Duration.ofDays(1))));

        UsageCounts day = usage.counts(dayStart, dayStart.plus(Duration.ofDays(1)));
        assertThat(day).isEqualTo(new UsageCounts(2, 1, 2, 2, 2, 120, 30));
        assertThat(usage.counts(dayStart.plus(Duration.ofDays(1)), dayStart.plus(Duration.ofDays(2))))
                .isEqualTo(new UsageCounts(1, 0, 1, 0, 1, 1, 1));
        assertThat(usage.counts(dayStart.minus(Duration.ofDays(1)), dayStart)).isEqualTo(UsageCounts.ZERO);
    }

    /** Zones whose days start on the hour, the half hour and the quarter hour, with and without daylight saving. */
    private static final List<ZoneId> ZONES = List.of(ZoneId.of("UTC"), ZoneId.of("America/New_York"), ZoneId.of("Europe/Berlin"),
            ZoneId.of("Asia/Kolkata"), ZoneId.of("Asia/Kathmandu"), ZoneId.of("America/St_Johns"), ZoneId.of("Australia/Lord_Howe"),
            ZoneId.of("Pacific/Chatham"), ZoneId.of("Pacific/Kiritimati"));
    /** Around daylight-saving changes: US 8 March, Lord Howe and Chatham 5 April, US 1 November 2026. */
    private static final List<Instant> STARTS = List.of(Instant.parse("2026-03-06T22:00:00Z"), Instant.parse("2026-04-03T09:00:00Z"),
            Instant.parse("2026-10-30T20:00:00Z"));

    /**
     * Seeded property: texts, replies sent late, failed replies, status callbacks and AI calls recorded late, at times
     * on and next to the edges of days in many zones, read as days and as month-so-far spans at many moments: every
     * span is what the test's own tally of what it recorded says, and what {@link UsageLedger#counts} says.
     */
    @Test
    void spansAreWhatTheMessagesAndAiCallsSayInEveryZoneAtEveryMoment() {
        for (long seed = 1; seed <= 3; seed++) {
            checkSpans(seed);
        }
    }

    /** One message or AI call as the test recorded it: when, and what it counts now. */
    private static final class Tally {
        final Instant at;
        boolean inbound;
        boolean sent;
        Integer segments;
        boolean aiCall;
        int prompt;
        int completion;
        final Long messageId;

        Tally(Instant at, Long messageId) {
            this.at = at;
            this.messageId = messageId;
        }
    }

    private void checkSpans(long seed) {
        Random random = new Random(seed);
        Instant start = STARTS.get((int) (seed - 1) % STARTS.size());
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, start);
        List<Tally> tally = new ArrayList<>();
        List<Tally> pending = new ArrayList<>();
        List<String> sentSids = new ArrayList<>();
        Instant now = start;
        int reads = 0;
        for (int step = 0; step < 70; step++) {
            // mostly small steps, some onto a day's edge in a random zone (on it, or a microsecond before)
            if (random.nextInt(4) == 0) {
                ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
                Instant edge = now.atZone(zone).toLocalDate().plusDays(1).atStartOfDay(zone).toInstant();
                now = random.nextBoolean() ? edge : edge.minusNanos(1000);
            } else {
                now = now.plusSeconds(1 + random.nextInt(random.nextBoolean() ? 120 : 4 * 3600));
            }
            int op = random.nextInt(7);
            if (op <= 1) {
                Integer segments = random.nextInt(5) == 0 ? null : 1 + random.nextInt(3);
                String sid = String.format("SM%032x", seed * 1_000_000 + step);
                InboundSms sms = new InboundSms(sid, "AC123", null, CUSTOMER, BUSINESS, "text " + step, segments, List.of(), null, Map.of());
                Message m = repo.recordInbound(sms, Keyword.NONE, now).message();
                Tally t = new Tally(m.createdAt(), m.id());
                t.inbound = true;
                t.segments = segments;
                tally.add(t);
            } else if (op == 2) {
                Message m = recordPendingOutbound(lead.id(), "reply " + step, null, now);
                Tally t = new Tally(m.createdAt(), m.id());
                t.segments = m.numSegments();
                tally.add(t);
                pending.add(t);
            } else if (op == 3 && !pending.isEmpty()) {
                // sent now, maybe hours after it was written: counted on the day it was created
                Tally t = pending.remove(random.nextInt(pending.size()));
                if (random.nextInt(4) == 0) {
                    messages.markFailed(t.messageId, MessageStatus.FAILED, "30003");
                } else {
                    Integer segments = random.nextBoolean() ? null : 1 + random.nextInt(4);
                    String sid = String.format("SM%032x", seed * 1_000_000 + 500_000 + step);
                    Message sent = messages.markSent(t.messageId, new SendResult(sid, MessageStatus.QUEUED, segments, BUSINESS), now);
                    t.sent = true;
                    t.segments = sent.numSegments();
                    sentSids.add(sid);
                }
            } else if (op == 4 && !sentSids.isEmpty()) {
                String sid = sentSids.get(random.nextInt(sentSids.size()));
                MessageStatus status = random.nextBoolean() ? MessageStatus.DELIVERED : MessageStatus.UNDELIVERED;
                messages.applyStatus(new StatusUpdate(sid, status, status == MessageStatus.DELIVERED ? null : "30005"), now);
            } else if (op == 5) {
                // an AI call recorded when the reply went out, up to two hours after the call
                Instant at = now.minusSeconds(random.nextInt(2 * 3600)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                int prompt = random.nextInt(900);
                int completion = random.nextInt(200);
                usage.recordAiCall(new AiCall(lead.id(), null, "m", "ok", prompt, completion, 500, at));
                Tally t = new Tally(at, null);
                t.aiCall = true;
                t.prompt = prompt;
                t.completion = completion;
                tally.add(t);
            } else {
                reads++;
                ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
                LocalDate today = now.atZone(zone).toLocalDate();
                List<Instant> days = new ArrayList<>();
                for (LocalDate d = start.atZone(zone).toLocalDate().minusDays(1); !d.isAfter(today.plusDays(2)); d = d.plusDays(1)) {
                    days.add(d.atStartOfDay(zone).toInstant());
                }
                assertSpans(days, now, tally, "seed " + seed + " step " + step + " days in " + zone);
                Instant monthStart = today.withDayOfMonth(1).atStartOfDay(zone).toInstant();
                assertSpans(List.of(monthStart, now.plusMillis(1)), now, tally, "seed " + seed + " step " + step + " month in " + zone);
            }
        }
        assertThat(reads).as("seed %s read spans", seed).isPositive();
        ZoneId zone = ZONES.get(random.nextInt(ZONES.size()));
        List<Instant> days = new ArrayList<>();
        for (LocalDate d = start.atZone(zone).toLocalDate().minusDays(1); !d.isAfter(now.atZone(zone).toLocalDate().plusDays(1)); d = d.plusDays(1)) {
            days.add(d.atStartOfDay(zone).toInstant());
        }
        assertSpans(days, now.plus(Duration.ofDays(2)), tally, "seed " + seed + " the end, all kept");
    }

    private void assertSpans(List<Instant> boundaries, Instant now, List<Tally> tally, String what) {
        List<UsageCounts> spans = usage.countsBetween(boundaries, now);
        assertThat(spans).as(what).hasSize(boundaries.size() - 1);
        for (int i = 0; i < spans.size(); i++) {
            Instant from = boundaries.get(i);
            Instant to = boundaries.get(i + 1);
            long in = 0, out = 0, inSeg = 0, outSeg = 0, calls = 0, prompt = 0, completion = 0;
            for (Tally t : tally) {
                if (t.at.isBefore(from) || !t.at.isBefore(to)) {
                    continue;
                }
                int seg = t.segments == null ? 1 : t.segments;
                if (t.aiCall) {
                    calls++;
                    prompt += t.prompt;
                    completion += t.completion;
                } else if (t.inbound) {
                    in++;
                    inSeg += seg;
                } else if (t.sent) {
                    out++;
                    outSeg += seg;
                }
            }
            UsageCounts expected = new UsageCounts(in, out, inSeg, outSeg, calls, prompt, completion);
            assertThat(spans.get(i)).as("%s: [%s, %s) against the tally", what, from, to).isEqualTo(expected);
            assertThat(spans.get(i)).as("%s: [%s, %s) against counts()", what, from, to).isEqualTo(usage.counts(from, to));
        }
    }

    @Test
    void spansWhoseBoundariesAreOffTheQuarterHourAreCountedExactly() {
        long id = repo.recordInbound(inbound("SM7e57000000000000000000000000a001", CUSTOMER, "hi"), Keyword.NONE, T0.plusSeconds(100))
                .lead().id();
        repo.recordInbound(inbound("SM7e57000000000000000000000000a002", CUSTOMER, "again"), Keyword.NONE, T0.plusSeconds(400));
        usage.recordAiCall(new AiCall(id, null, "m", "ok", 10, 5, 1, T0.plusSeconds(399)));
        List<Instant> odd = List.of(T0, T0.plusSeconds(399), T0.plusSeconds(401), T0.plusSeconds(7 * 60 + 13));

        List<UsageCounts> spans = usage.countsBetween(odd, T0.plus(Duration.ofDays(1)));

        assertThat(spans).containsExactly(new UsageCounts(1, 0, 1, 0, 0, 0, 0), new UsageCounts(1, 0, 1, 0, 1, 10, 5), UsageCounts.ZERO);
    }

    /**
     * Seeded property: boundaries anywhere (inside one quarter-hour, a few seconds or microseconds off one, several in
     * the same quarter-hour), read at the writer's moment while texts, late sends and late AI calls keep landing:
     * every span is what the test's tally says, and what {@link UsageLedger#counts} says.
     */
    @Test
    void spansWithBoundariesAnywhereAreExact() {
        for (long seed = 11; seed <= 13; seed++) {
            Random random = new Random(seed);
            Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
            List<Tally> tally = new ArrayList<>();
            List<Tally> pending = new ArrayList<>();
            Instant now = T0.plus(Duration.ofDays(seed)).plusSeconds(random.nextInt(900));
            for (int step = 0; step < 90; step++) {
                now = now.plusSeconds(random.nextInt(random.nextBoolean() ? 30 : 400)).plusNanos(1000L * random.nextInt(1_000_000));
                int op = random.nextInt(6);
                if (op <= 1) {
                    String sid = String.format("SM%032x", seed * 1_000_000 + step);
                    Message m = repo.recordInbound(inbound(sid, CUSTOMER, "text " + step), Keyword.NONE, now).message();
                    Tally t = new Tally(m.createdAt(), m.id());
                    t.inbound = true;
                    t.segments = 1;
                    tally.add(t);
                } else if (op == 2) {
                    Message m = recordPendingOutbound(lead.id(), "reply " + step, null, now);
                    Tally t = new Tally(m.createdAt(), m.id());
                    t.segments = m.numSegments();
                    tally.add(t);
                    pending.add(t);
                } else if (op == 3 && !pending.isEmpty()) {
                    Tally t = pending.remove(random.nextInt(pending.size()));
                    String sid = String.format("SM%032x", seed * 1_000_000 + 500_000 + step);
                    t.segments = messages.markSent(t.messageId, new SendResult(sid, MessageStatus.QUEUED, 1 + random.nextInt(3), BUSINESS),
                            now).numSegments();
                    t.sent = true;
                } else if (op == 4) {
                    Instant at = now.minusSeconds(random.nextInt(3600)).truncatedTo(java.time.temporal.ChronoUnit.MICROS);
                    usage.recordAiCall(new AiCall(lead.id(), null, "m", "ok", 7, 3, 500, at));
                    Tally t = new Tally(at, null);
                    t.aiCall = true;
                    t.prompt = 7;
                    t.completion = 3;
                    tally.add(t);
                } else {
                    List<Instant> boundaries = new ArrayList<>();
                    Instant b = now.minusSeconds(random.nextInt(3 * 3600)).minusNanos(1000L * random.nextInt(1_000_000));
                    boundaries.add(b);
                    for (int i = random.nextInt(4); i >= 0; i--) {
                        int kind = random.nextInt(4);
                        b = b.plusSeconds(kind == 0 ? random.nextInt(240) : kind == 1 ? random.nextInt(3600) : 0)
                                .plusNanos(kind == 2 ? 1000L * random.nextInt(1000) : 0);
                        boundaries.add(kind == 3 ? Instant.ofEpochSecond(b.getEpochSecond() - Math.floorMod(b.getEpochSecond(), 900) + 900) : b);
                        b = boundaries.get(boundaries.size() - 1);
                    }
                    assertSpans(boundaries, now, tally, "seed " + seed + " step " + step + " " + boundaries);
                }
            }
        }
    }

    /**
     * The race between a reader keeping quarter-hours and the writes that change them after they closed: two readers
     * walk forward a quarter-hour at a time (each read fills the one that just closed) while two writers send the
     * replies written in those quarter-hours and record their AI calls, in the same order, and texts keep arriving in
     * a later quarter-hour. Afterwards every span, read from kept quarter-hours, is what was written and what a direct
     * count says.
     */
    @Test
    void keptQuarterHoursStayExactWhileLateSendsAndAiCallsRaceTheFill() throws Exception {
        int quarters = 24;
        Lead lead = leads.findOrCreateLead(CUSTOMER, Lead.SOURCE_SMS, T0);
        List<Tally> tally = java.util.Collections.synchronizedList(new ArrayList<>());
        List<List<Tally>> pending = new ArrayList<>();
        for (int q = 0; q < quarters; q++) {
            List<Tally> inQuarter = new ArrayList<>();
            for (int k = 0; k < 4; k++) {
                Message m = recordPendingOutbound(lead.id(), "reply " + q + "/" + k, null, T0.plusSeconds(q * 900L + 100 + k * 200));
                Tally t = new Tally(m.createdAt(), m.id());
                t.segments = m.numSegments();
                tally.add(t);
                inQuarter.add(t);
            }
            pending.add(inQuarter);
        }
        Instant later = T0.plusSeconds((quarters + 30) * 900L);
        runConcurrently(4, index -> {
            for (int q = 0; q < quarters; q++) {
                if (index < 2) { // a reader at a moment that closes quarter-hour q
                    Instant now = T0.plusSeconds((q + 2) * 900L + 1 + index);
                    usage.countsBetween(List.of(T0.plusSeconds(7), T0.plusSeconds(7 + q * 450L), now.plusMillis(1)), now);
                } else {
                    int writer = index - 2;
                    for (int k = writer; k < 4; k += 2) {
                        Tally t = pending.get(q).get(k);
                        String sid = String.format("SM%032x", 9_000_000 + q * 10 + k);
                        t.segments = messages.markSent(t.messageId, new SendResult(sid, MessageStatus.QUEUED, 2, BUSINESS),
                                T0.plusSeconds((q + 2) * 900L)).numSegments();
                        t.sent = true;
                        Tally call = new Tally(T0.plusSeconds(q * 900L + 300 + k), null);
                        usage.recordAiCall(new AiCall(lead.id(), null, "m", "ok", 11, 4, 500, call.at));
                        call.aiCall = true;
                        call.prompt = 11;
                        call.completion = 4;
                        tally.add(call);
                    }
                    String sid = String.format("SM%032x", 8_000_000 + q * 10 + writer);
                    Message in = repo.recordInbound(inbound(sid, CUSTOMER, "later " + q), Keyword.NONE, later.plusSeconds(q * 10L + writer))
                            .message();
                    Tally t = new Tally(in.createdAt(), in.id());
                    t.inbound = true;
                    t.segments = 1;
                    tally.add(t);
                }
            }
            return null;
        });
        List<Tally> all = new ArrayList<>(tally);
        Instant end = later.plus(Duration.ofDays(1));
        List<Instant> quarterHours = new ArrayList<>();
        for (int q = 0; q <= quarters; q++) {
            quarterHours.add(T0.plusSeconds(q * 900L));
        }
        assertSpans(quarterHours, end, all, "each quarter-hour");
        assertSpans(List.of(T0, T0.plusSeconds(5 * 900 + 301), T0.plusSeconds(quarters * 900L), end), end, all, "the whole range");
        assertThat(usage.countsBetween(List.of(T0, end), end).get(0))
                .isEqualTo(new UsageCounts(2L * quarters, 4L * quarters, 2L * quarters, 8L * quarters, 4L * quarters, 44L * quarters,
                        16L * quarters));
    }

    /**
     * Rows are kept to the microsecond; a boundary between two microseconds (a clock with nanoseconds) still splits
     * exactly: a text at 10:01:40.000000 is before 10:01:40.000000500, so a span from there to 10:01:41 inside one
     * quarter-hour is empty, and one ending there holds it.
     */
    @Test
    void aBoundaryBetweenTwoMicrosecondsIsComparedExactly() {
        Instant at = T0.plusSeconds(100);
        repo.recordInbound(inbound("SM7e57000000000000000000000000b001", CUSTOMER, "hi"), Keyword.NONE, at);
        Instant between = at.plusNanos(500);

        assertThat(usage.countsBetween(List.of(between, at.plusSeconds(1)), T0.plus(Duration.ofDays(1))))
                .as("a span inside one quarter-hour that starts after the text").containsExactly(UsageCounts.ZERO);
        assertThat(usage.countsBetween(List.of(T0, between), T0.plus(Duration.ofDays(1))))
                .containsExactly(new UsageCounts(1, 0, 1, 0, 0, 0, 0));
        assertThat(usage.counts(between, at.plusSeconds(1))).isEqualTo(UsageCounts.ZERO);
        assertThat(usage.counts(at.minusNanos(500), between)).isEqualTo(new UsageCounts(1, 0, 1, 0, 0, 0, 0));
    }

    @Test
    void spansMustAscend() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> usage.countsBetween(List.of(T0, T0.minusSeconds(1)), T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(usage.countsBetween(List.of(T0), T0)).isEmpty();
    }
}
