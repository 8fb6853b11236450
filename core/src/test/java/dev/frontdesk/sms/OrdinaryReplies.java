package dev.frontdesk.sms;

import java.util.List;
import java.util.Random;

/**
 * Seeded generator of ordinary front-desk replies: names, times, hour ranges, prices, dates, ZIP codes,
 * abbreviations and sentence ends, the things an honest answer carries. Used as the control of the output
 * check: every one of them must go out exactly as written.
 */
final class OrdinaryReplies {

    private static final List<String> NAMES = List.of("Sam", "Maria", "José", "Zoë", "Mr. O'Brien", "Dr. Patel", "Ana", "Li", "St. John");
    private static final List<String> TIMES = List.of("8:30", "10:15", "9am", "2 p.m.", "8.30", "noon", "7:45 a.m.", "11:00", "16.00");
    private static final List<String> RANGES = List.of("8-12", "9-11am", "Mon-Fri", "Mon.-Fri.", "8:00-12:00", "10.00-12.00",
            "8-12 13-17", "1-3 pm", "Tue-Thu");
    private static final List<String> PRICES = List.of("$120.50", "$85", "$1,250.00", "$12,500.00", "€99", "£45.99", "$0",
            "$2,400", "about $300");
    private static final List<String> DATES = List.of("3/14", "12/03/2026", "2026-03-12", "March 3", "the 3rd", "3/12-3/14",
            "12/10/2026-12/14/2026", "Friday 13th", "12.03.2026");
    private static final List<String> PLACES = List.of("62704", "1234 Main St", "Springfield, IL 62704-1234", "Apt 5B", "Elm Rd.",
            "ZIP 90210", "unit 12", "St. James Ave.");
    private static final List<String> ABBREVIATIONS = List.of("e.g. the brand", "i.e. the upstairs one", "approx. two hours",
            "etc.", "a.m. or p.m.", "vs. a new one", "U.S. made", "no. 4");
    private static final List<String> TEMPLATES = List.of(
            "Thanks, {name}! Could you come by at {time}?",
            "Sorry to hear about the leak, {name}. What's your address?",
            "We're open {range}. Does {time} suit you?",
            "A visit is usually {price}, but a team member will confirm.",
            "We have openings on {date}. Which works?",
            "Is the address {place}?",
            "Could you tell us more, {abbr}?",
            "Got it. See you on {date} at {time}!",
            "Thanks. See you soon! Is it {abbr}?",
            "Perfect, {name}. A tech can come {range} on {date}.",
            "The part is {price}; labour is extra.",
            "We cover {place} and nearby.",
            "Great! Is the heater 10 or 15 years old?",
            "Okay, {name}... we'll call first.",
            "Thanks for the 2 photos! The team will look at them.",
            "Is a 40-50 gallon tank right, {abbr}?");

    private OrdinaryReplies() {
    }

    /** One sentence. */
    static String sentence(Random random) {
        String t = TEMPLATES.get(random.nextInt(TEMPLATES.size()));
        return t.replace("{name}", pick(random, NAMES)).replace("{time}", pick(random, TIMES))
                .replace("{range}", pick(random, RANGES)).replace("{price}", pick(random, PRICES))
                .replace("{date}", pick(random, DATES)).replace("{place}", pick(random, PLACES))
                .replace("{abbr}", pick(random, ABBREVIATIONS));
    }

    /** A reply of one to three sentences. */
    static String next(Random random) {
        StringBuilder b = new StringBuilder(sentence(random));
        int more = random.nextInt(3);
        for (int i = 0; i < more; i++) {
            b.append(' ').append(sentence(random));
        }
        return b.toString();
    }

    private static String pick(Random random, List<String> from) {
        return from.get(random.nextInt(from.size()));
    }
}
