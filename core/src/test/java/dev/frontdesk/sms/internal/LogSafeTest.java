package dev.frontdesk.sms.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.SQLException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LogSafeTest {

    @Test
    void phoneNumbersInFreeTextAreMaskedButSidsDatesAndShortNumbersAreKept() {
        assertThat(LogSafe.maskPhones("The 'To' number +15559990000 is not a valid phone number."))
                .isEqualTo("The 'To' number +1555***0000 is not a valid phone number.");
        assertThat(LogSafe.maskPhones("call (555) 123-4567 or 555.987.6543 now")).doesNotContain("123-4567", "987.6543");
        assertThat(LogSafe.maskPhones("+44 20 7946 0018")).doesNotContain("7946 0018");
        assertThat(LogSafe.maskPhones("SM0123456789abcdef0123456789abcdef sent 2026-11-27 error 30003 at 12:30"))
                .isEqualTo("SM0123456789abcdef0123456789abcdef sent 2026-11-27 error 30003 at 12:30");
        assertThat(LogSafe.maskPhones(null)).isNull();
    }

    @Test
    void aBodyInALogLineHasItsNumbersMaskedAndIsCutShort() {
        assertThat(LogSafe.body("Call me at +15551230001, my sink leaks and the kitchen floor is wet"))
                .startsWith("Call me at +1555***0001").hasSizeLessThanOrEqualTo(41);
    }

    @Test
    void textWithFewerThanTenDigitsIsLeftAsItIs() {
        String text = "Hi, my sink leaks, unit 12, gate code 4567, come at 9:30";
        assertThat(LogSafe.maskPhones(text)).isSameAs(text);
        assertThat(LogSafe.maskPhones("call 555 123 4567 please")).isEqualTo("call 55512***4567 please");
    }

    @Test
    void numbersWithSlashesUnderscoresAndOtherSeparatorsAreMasked() {
        for (String shape : List.of("555/123/4567", "555_123_4567", "(555)_123_4567", "555 / 123 / 4567", "+1/555/123/4567",
                "1_555_123_4567", "555\u00A0123\u00A04567", "\uFF15\uFF15\uFF15\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17",
                "555\uFF0F123\uFF0F4567", "555\u2013123\u20134567")) {
            String masked = LogSafe.maskPhones("call " + shape + " today");
            assertThat(digitRuns(masked)).as("%s masked as %s", shape, masked).noneMatch(run -> run.contains("1234567"));
        }
    }

    @Test
    void aNumberNextToOtherDigitsIsMaskedWithThem() {
        // More than 15 digits in one run: the number and its neighbours are masked as one.
        assertThat(LogSafe.maskPhones("ref 99+15551234567")).doesNotContain("5551234567");
        assertThat(LogSafe.maskPhones("id 1234567890123+15551234567")).doesNotContain("5551234567");
        assertThat(LogSafe.maskPhones("x 2026112715551234567 y")).isEqualTo("x 20261***4567 y");
        assertThat(LogSafe.maskPhones("15551234567 15557654321")).doesNotContain("5551234567").doesNotContain("5557654321");
        assertThat(LogSafe.maskPhones("call+15551234567now")).isEqualTo("call+1555***4567now");
    }

    /**
     * Seeded property: a customer's number (10 to 15 digits) written in any shape (any mix of separators,
     * with or without {@code +}, full-width digits, glued to other digits or after letters with a {@code +})
     * inside any text leaves no run of seven of its digits in the masked text.
     */
    @Test
    void seededNumbersInAnyShapeLeaveNoSevenDigitsOfThemselves() {
        Random random = new Random(814L);
        String[] separators = {"", " ", "-", ".", "/", "_", "(", ")", " - ", " / ", "__", "\u00A0", "\uFF0F", "\u2010", ") "};
        String[] before = {"", "call ", "x", "ID 42 ", "99", "1 ", "(", "+", "tel:", "number=", "Key (phone_number)=(", "'", "\n"};
        String[] after = {"", " now", "x", "99", " 12", ")", ".", "', ", ")=(t)", "0000"};
        for (int i = 0; i < 20_000; i++) {
            int length = 10 + random.nextInt(6);
            StringBuilder digits = new StringBuilder().append((char) ('1' + random.nextInt(9)));
            while (digits.length() < length) {
                digits.append((char) ('0' + random.nextInt(10)));
            }
            StringBuilder written = new StringBuilder(random.nextBoolean() ? "+" : "");
            for (int d = 0; d < digits.length(); d++) {
                if (d > 0 && random.nextInt(3) == 0) {
                    written.append(separators[random.nextInt(separators.length)]);
                }
                char c = digits.charAt(d);
                written.append(random.nextInt(8) == 0 ? (char) (0xFF10 + (c - '0')) : c);
            }
            String prefix = before[random.nextInt(before.length)];
            if (prefix.endsWith("x") && written.charAt(0) != '+') {
                prefix = prefix + "+"; // digits right after a letter are part of a word (a SID), a + starts a number
            }
            String text = prefix + written + after[random.nextInt(after.length)];
            String masked = LogSafe.maskPhones(text);
            String original = digits.toString();
            for (String run : digitRuns(masked)) {
                for (int k = 0; k + 7 <= original.length(); k++) {
                    assertThat(run).as("%s masked as %s", text, masked).doesNotContain(original.substring(k, k + 7));
                }
            }
        }
    }

    @Test
    void theCheapPreCheckStillSkipsTextsWithFewerThanTenDigits() {
        String text = "555/123/4 and 5_2"; // nine digits in all
        assertThat(LogSafe.maskPhones(text)).isSameAs(text);
        String fullWidth = "\uFF15\uFF15\uFF15\uFF11\uFF12\uFF13\uFF14\uFF15\uFF16\uFF17";
        assertThat(LogSafe.maskPhones(fullWidth)).isNotEqualTo(fullWidth);
    }

    @Test
    void errorsKeepTheirClassButNoQuotedValues() {
        RuntimeException jdbi = new RuntimeException("org.h2.jdbc.JdbcSQLDataException: Value too long for column "
                + "\"BODY\": \"'my gate code is 4812' (20)\" [statement:\"INSERT INTO messages (body) VALUES (:body)\", "
                + "arguments:{positional:{0:+15551234567,1:my gate code is 4812}, named:{body:my gate code is 4812}, finder:[]}]");
        assertThat(LogSafe.error(jdbi)).startsWith("RuntimeException: ").contains("arguments:{…}", "INSERT INTO messages")
                .doesNotContain("gate code", "5551234567");
        IllegalStateException pg = new IllegalStateException("ERROR: duplicate key value violates unique constraint \"leads_uq\"\n"
                + "  Detail: Key (phone_number)=(+15551234567) already exists.");
        assertThat(LogSafe.error(pg)).contains("leads_uq", "Key (phone_number)=(…)").doesNotContain("5551234567");
        assertThat(LogSafe.error(pg, e -> " [detail]")).startsWith("IllegalStateException [detail]: ERROR: duplicate key");
    }

    @Test
    void aRedactedExceptionKeepsItsStackAndCausesButNoValue() {
        SQLException driver = new SQLException("Detail: Key (phone_number)=(+15551234567) already exists.", "23505");
        IllegalStateException e = new IllegalStateException("insert of 'my gate code is 4812' for +15551234567 failed", driver);
        Throwable safe = LogSafe.exception(e);
        StringWriter printed = new StringWriter();
        safe.printStackTrace(new PrintWriter(printed));
        assertThat(printed.toString()).contains("java.lang.IllegalStateException: insert of '…' for +1555***4567 failed",
                "Caused by: java.sql.SQLException: Detail: Key (phone_number)=(…)", "aRedactedExceptionKeepsItsStackAndCausesButNoValue")
                .doesNotContain("5551234567", "gate code");
        assertThat(safe.getStackTrace()).isEqualTo(e.getStackTrace());
        assertThat(LogSafe.exception(null)).isNull();
        assertThat(LogSafe.exception(safe)).as("made safe once is enough").isSameAs(safe);
    }

    @Test
    void logSafeKnowsNoJdbcTypes() throws Exception {
        // SQL states are the store's to tell (jdbc-store's DriverErrors); core's masking knows no driver types.
        try (var in = LogSafe.class.getResourceAsStream("LogSafe.class")) {
            String bytes = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.ISO_8859_1);
            assertThat(bytes).doesNotContain("java/sql/");
        }
    }

    @Test
    void aUrlIsLoggedWithItsQueryDecodedAndMasked() {
        assertThat(LogSafe.url("https://abc.ngrok.io/api/twilio/sms/inbound?From=%2B15551234567&n=15557654321&k=v"))
                .isEqualTo("https://abc.ngrok.io/api/twilio/sms/inbound?From=+1555***4567&n=15557***4321&k=v");
        assertThat(LogSafe.url("https://abc.ngrok.io/x?bad=%zz%2")).isEqualTo("https://abc.ngrok.io/x?bad=%zz%2");
        assertThat(LogSafe.url("https://abc.ngrok.io/x")).isEqualTo("https://abc.ngrok.io/x");
    }

    /** The runs of digits in a text once every non-digit between digits is dropped, as a reader would see them. */
    private static List<String> digitRuns(String text) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isDigit(c)) {
                b.append((char) ('0' + Character.digit(c, 10)));
            } else if (Character.isLetter(c) || c == '*' || c == '\n') {
                b.append(' ');
            }
        }
        return List.of(b.toString().trim().split(" +"));
    }
}
