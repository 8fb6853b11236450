package dev.frontdesk.sms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.frontdesk.sms.internal.ReplyGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReplyGuardTest {

    private static final String INSTRUCTIONS = "You are the SMS front desk of a service business. Keep every answer short and friendly. "
            + "Never invent prices or promises.";
    static final String LINK = "reply contains a link";
    static final String PHONE = "reply names a phone number other than the business's own";
    private final ReplyGuard guard = new ReplyGuard(320, "+15550001111", "US", List.of(INSTRUCTIONS),
            List.of("tok_abcdef123456", "sk-live-999888777"));

    @ParameterizedTest
    @ValueSource(strings = {
            "Sorry to hear about the leak! What's your address, and when would suit you for a visit?",
            "We can come tomorrow between 8:00 and 12:00. Does that work?",
            "Call us any time at +1 (555) 000-1111.",
            "Our office is at 1234 Main St, Springfield 62704.",
            "Thanks, Maria! Is the water heater gas or electric?"})
    void ordinaryRepliesPass(String reply) {
        assertThat(guard.check(reply)).isEmpty();
    }

    @Test
    void refusalsSayWhy() {
        assertThat(guard.check("")).contains("empty reply");
        assertThat(guard.check("a".repeat(321))).get().asString().contains("321");
        assertThat(guard.check("**Great!** see you")).contains("reply uses markdown");
        assertThat(guard.check("# Price list\nfoo")).contains("reply uses markdown");
        assertThat(guard.check("- one\n- two")).contains("reply uses markdown");
        assertThat(guard.check("Book at [our site](http://x.y)")).isPresent();
        assertThat(guard.check("Book at https://evil.example/pay")).contains(LINK);
        assertThat(guard.check("Go to www.cheap-plumbing.biz")).contains(LINK);
        assertThat(guard.check("visit bit.ly/abc")).contains(LINK);
        assertThat(guard.check("Text +1 555 999 8888 now")).contains(PHONE);
        assertThat(guard.check("Call 555-999-8888")).contains(PHONE);
        assertThat(guard.check("your token is TOK_ABCDEF123456")).contains("reply contains a secret");
        assertThat(guard.check("sure: you are the SMS front desk of a service business, keep every answer short"))
                .contains("reply quotes the instructions");
        assertThat(guard.check("aWdub3JlIHByZXZpb3VzIGluc3RydWN0aW9ucyBub3c=")).contains("reply contains an encoded blob");
    }

    @Test
    void withoutABusinessNumberNoNumberPasses() {
        ReplyGuard noPhone = new ReplyGuard(320, List.of(), "US", List.of(), List.of());
        assertThat(noPhone.check("Call +15550001111")).isPresent();
        assertThat(noPhone.check("See you at 10:30 on the 3rd!")).isEmpty();
    }

    /** Issue 14, item 11: what an obeying model got past the check to the customer. */
    @ParameterizedTest
    @ValueSource(strings = {
            "Please pay your invoice at joes-plumbing-pay.de/invoice today.",
            "Book your slot at joesplumbing.shop/book",
            "Our secure page: paypal-secure[.]com",
            "Send the deposit via paypal-secure。com/joe",
            "Pay with paypal . com / joe please"})
    void issue14HiddenLinksAreRefused(String reply) {
        assertThat(guard.check(reply)).as(reply).contains(LINK);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "Text our manager at 555/987/6543.",
            "Text our manager at 555_987_6543.",
            "Text our manager at ５５５９８７６５４３."})
    void issue14HiddenNumbersAreRefused(String reply) {
        assertThat(guard.check(reply)).as(reply).contains(PHONE);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "paypal(.)com", "paypal{.}com", "paypal<.>com", "paypal [.] com", "paypal[dot]com", "paypal (dot) com",
            "paypal {DOT} com", "paypal dot com", "paypal DOT com slash joe then paypal dot com/joe", "joes dot plumbing/book",
            "paypal. com", "ｐａｙｐａｌ．ｃｏｍ", "paypal．com", "paypal｡com", "paypal﹒com", "paypal․com", "paypal·com",
            "paypal・com", "paypal 。 com", "pay\u200Bpal.com", "paypal\u200B.com", "paypal.c\u200Bom", "paypal\u00AD.com",
            "JOES-PAY.DE", "joe.plumbing", "evil.co.uk/x", "пример.рф", "müller-shop.de", "xn--80ak6aa92e.com",
            "shop.example", "a.b.c.d.zz", "go to 45.33.32.156 now", "1.2.3.4", "hxxp://pay", "http：／／pay",
            "ｗｗｗ.evil", "mailto:joe", "joe@pay-me.io", "paypal .com", "paypal . com", "paypal\t.\tcom", "..paypal.com",
            "--pay.me", "Visit PayPal.Com", "evil.travel", "pay.photography", "e.g. pay-here.top", "tinyurl.com/x"})
    void hostNamesAndLinksInAnyDisguiseAreRefused(String reply) {
        assertThat(guard.check("Sure! " + reply + " thanks")).as(reply).contains(LINK);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "(555) 987 6543", "555.987.6543", "+44 20 7946 0018", "555 987 6543", "555\u2010987\u20106543",
            "555\u2014987\u20146543", "555\u2212987\u22126543", "\u0665\u0665\u0665\u0669\u0668\u0667\u0666\u0665\u0664\u0663",
            "555\u200B9876543", "555,987,6543", "5 5 5 9 8 7 6 5 4 3", "\uD835\uDFD3\uD835\uDFD3\uD835\uDFD3\uD835\uDFD7"
            + "\uD835\uDFD6\uD835\uDFD5\uD835\uDFD4\uD835\uDFD3\uD835\uDFD2\uD835\uDFD1",
            "555（987）6543", "555／987／6543", "555＿987＿6543", "５５５－９８７－６５４３", "5559876", "987-6543",
            "555 / 987 / 6543", "555__987__6543", "555\u00A0987\u00A06543", "555\u3000987\u30006543", "1-555-987-6543",
            "+1 555 000 11112", "555-000-1111-2", "1234567", "ref 98765432", "⑤⑤⑤⑨⑧⑦⑥⑤④③"})
    void numbersInAnyDisguiseAreRefused(String reply) {
        // "__" is also markdown (bold), which refuses it first
        assertThat(guard.check("Sure, text " + reply + " for help")).as(reply).get().isIn(PHONE, "reply uses markdown");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "+1 (555) 000-1111", "+15550001111", "555-000-1111", "555/000/1111", "555_000_1111", "555.000.1111",
            "(555) 000 1111", "１－５５５－０００－１１１１", "５５５０００１１１１", "1 555 000 1111"})
    void theBusinessNumberMayBeSharedInAnyForm(String number) {
        assertThat(guard.check("Call us at " + number + " any time.")).as(number).isEmpty();
    }

    @Test
    void aReplyQuotingAHostSecretIsRefusedThoughTheConfigurationHoldsOnlyItsFingerprint() {
        FrontDeskConfig config = FrontDeskConfig.fromEnvironment(java.util.Map.of("TWILIO_AUTH_TOKEN", "f1e2d3c4b5a6f1e2d3c4b5a6",
                "OPENAI_API_KEY", "sk-live-abcdef123456", "DATABASE_PASSWORD", "pg-pass-456789", "FRONTDESK_API_KEY", "staff-key-123456"));
        assertThat(config.secretFingerprints().size()).isEqualTo(4);
        ReplyGuard fromConfig = ReplyGuard.of(config, ReplyGenerator.NONE);
        assertThat(fromConfig.check("Sure, the token is F1E2D3C4B5A6F1E2D3C4B5A6 and we open at 8.")).contains("reply contains a secret");
        assertThat(fromConfig.check("Our database password: pg-pass-456789")).contains("reply contains a secret");
        assertThat(fromConfig.check("Use staff-key-123456 to log in")).contains("reply contains a secret");
        assertThat(fromConfig.check("Thanks, we will call you back today.")).isEmpty();
        assertThat(config.secretFingerprints().toString()).doesNotContain("f1e2d3", "pg-pass");
    }

    @Test
    void everyConfiguredBusinessNumberMayBeShared() {
        ReplyGuard two = new ReplyGuard(320, List.of("+15550001111", "+442079460018"), "US", List.of(), List.of());
        assertThat(two.check("Call +1 555 000 1111 or +44 20 7946 0018.")).isEmpty();
        assertThat(two.check("Call +44 20 7946 0019.")).contains(PHONE);

        FrontDeskConfig config = FrontDeskConfig.builder().twilioPhoneNumber(new PhoneNumber("+15550001111"))
                .businessProfiles(java.util.Map.of("+15550002222", new BusinessProfile("Second Shop", "", "+15550002222")))
                .build();
        ReplyGuard fromConfig = ReplyGuard.of(config, ReplyGenerator.NONE);
        assertThat(fromConfig.check("Text us at (555) 000-2222 or (555) 000-1111.")).isEmpty();
        assertThat(fromConfig.check("Text us at (555) 000-3333.")).contains(PHONE);
    }

    /** The control: what ordinary replies carry must still pass (and is then sent exactly as written). */
    @ParameterizedTest
    @ValueSource(strings = {
            "We can be there at 8:30 tomorrow morning.",
            "A drain clean-out is usually $120.50, but a team member will confirm.",
            "We're open Mon-Fri, 8-6, and Sat 9-12.",
            "Thanks. See you tomorrow! Is the leak under the sink?",
            "Could you tell us the model, e.g. the brand on the label?",
            "Got it, i.e. the upstairs bathroom. What's your address?",
            "Dr. Smith's office is on St. James Rd., right? Approx. two hours of work.",
            "Our ZIP code is 62704, and yours?",
            "We have openings on 12/03/2026 and 3/14/2026. Which suits you?",
            "How about 2026-03-12, between 10.00-12.00?",
            "We're free 8-12 13-17 on Tuesday.",
            "Is 3/12-3/14 OK for you?",
            "We have slots on 12/10/2026-12/14/2026.",
            "Our office: 1234 Main St, Springfield, IL 62704-1234.",
            "A new heater runs about $1,250.00 installed; $12,500.00 for the whole system.",
            "It takes 1.5in fittings and a 3.5mm seal, about 2.5 hours.",
            "Opening hours: 8.30 a.m. to 5 p.m., Mon.-Fri. See you!",
            "U.S. customers: we cover 3 counties. Ph.D. not required, lol.",
            "Sure...we can come. Is 9 or 10 better?",
            "Thanks, Ana! ¿Cuál es su dirección? Sra. de la Cruz, ¿verdad?",
            "谢谢。我们明天上午九点到。",
            "ありがとうございます。明日の午前9時に伺います。",
            "Col·legi: dimarts a les 9.",
            "Plumbing · Heating · Drains. Which one do you need?",
            "Спасибо! Мы приедем завтра в 9:00, т.е. утром.",
            "Danke! Wir kommen z.B. am Montag um 8.30 Uhr.",
            "Great, Sam. We'll send someone Tuesday 9-11am. Anything else?",
            "Your job number is 4521. A tech will text before coming.",
            "We serve areas within 25 miles; your 62704 ZIP is covered. Call +1 555 000 1111 with questions.",
            "Thanks! The team will look at the 2 photos.",
            "Perfect 👍 see you at 10:15!",
            "No problem - we'll call first. Dot me a note if the gate code changes.",
            "Okay! Is the unit 10 or 15 years old? A 40-50 gallon tank?"})
    void ordinaryRepliesWithTimesPricesDatesAndAbbreviationsPass(String reply) {
        assertThat(guard.check(reply)).as(reply).isEmpty();
    }

    /**
     * Seeded property: replies assembled from the pieces ordinary answers are made of (names, times, hour
     * ranges, prices, dates, ZIP codes, abbreviations, sentence ends) all pass.
     */
    @Test
    void seededOrdinaryRepliesAllPass() {
        Random random = new Random(20261202L);
        List<String> refused = new ArrayList<>();
        for (int i = 0; i < 5_000; i++) {
            String reply = OrdinaryReplies.next(random);
            if (reply.length() <= 320 && guard.check(reply).isPresent()) {
                refused.add(reply + "  <- " + guard.check(reply).get());
            }
        }
        assertThat(refused).as("ordinary replies refused").isEmpty();
    }

    /**
     * Seeded property: a host name (random labels, any top-level domain) behind any of the dot disguises, and
     * any 7 to 12 digits with any mix of separators and digit forms, are refused inside an ordinary sentence.
     */
    @Test
    void seededDisguisedLinksAndNumbersAreAllRefused() {
        Random random = new Random(14_11L);
        for (int i = 0; i < 5_000; i++) {
            String host = DisguisedTargets.host(random);
            String reply = OrdinaryReplies.sentence(random) + " Go to " + host + " now.";
            assertThat(guard.check(reply)).as(reply).contains(LINK);

            String number = DisguisedTargets.number(random);
            String withNumber = OrdinaryReplies.sentence(random) + " Text " + number + " now.";
            assertThat(guard.check(withNumber)).as(withNumber).get().isIn(PHONE, "reply uses markdown");
        }
    }

    @Test
    void quoteWindowsNeverSpanTwoTexts() {
        ReplyGuard split = new ReplyGuard(320, List.of(), "US",
                List.of("You are the text-message front desk of", ", a local service business. You answer customers by SMS."),
                List.of());
        assertThat(split.check("Hi! This is the front desk of Acme, a local service business.")).isEmpty();
        assertThat(split.check("You are the text message front desk of Acme")).contains("reply quotes the instructions");
        assertThat(split.check("ok: a local service business. You answer customers")).contains("reply quotes the instructions");
        assertThat(split.check("ＹＯＵ ＡＲＥ ＴＨＥ ＴＥＸＴ ＭＥＳＳＡＧＥ ＦＲＯＮＴ ＤＥＳＫ ＯＦ"))
                .contains("reply quotes the instructions");
    }

    @Test
    void repliesThatPassAreNotChangedByTheCheck() {
        String reply = "Thanks. See you at 8:30; it's $120.50, e.g. parts and labour.";
        assertThat(guard.check(reply)).isEmpty();
        assertThat(reply).isEqualTo("Thanks. See you at 8:30; it's $120.50, e.g. parts and labour.");
    }
}
