package dev.frontdesk.sms.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Random;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

class EventSignaturesTest {

    /** The vectors printed in README ("Verifying events"); computed with {@code openssl dgst -sha256 -hmac}. */
    static final String SECRET = "whsec_test_secret";
    static final long TIMESTAMP = 1767225600L; // 2026-01-01T00:00:00Z
    static final String BODY = "{\"id\":\"evt_test\",\"type\":\"lead.created\"}";
    static final String SIGNATURE = "v1=674f0bb18028a3aa2b281c586f466e937539291f29c269e1465f975595321da6";
    static final String EMPTY_BODY_SIGNATURE = "v1=2101ed4de13a3847b9130080a81eb77b7a3727702e4665f5d4fc9fb89133b2e2";
    static final String OLD_SECRET_SIGNATURE = "v1=c0423ed36691b051b49e93dfbc181ba241ae2337b1e414532c9cd1f291ad17e7";

    private static final Clock AT_SIGNING = Clock.fixed(Instant.ofEpochSecond(TIMESTAMP), ZoneOffset.UTC);
    private static final Duration FIVE_MINUTES = Duration.ofMinutes(5);

    @Test
    void signsTheReadmeVectors() {
        assertThat(EventSignatures.sign(SECRET, TIMESTAMP, BODY)).isEqualTo(SIGNATURE);
        assertThat(EventSignatures.sign(SECRET, TIMESTAMP, "")).isEqualTo(EMPTY_BODY_SIGNATURE);
        assertThat(EventSignatures.sign("whsec_old_secret", TIMESTAMP, BODY)).isEqualTo(OLD_SECRET_SIGNATURE);
    }

    @Test
    void signatureIsHmacSha256OfTimestampDotBodyComputedIndependently() throws Exception {
        Random random = new Random(18L);
        for (int i = 0; i < 200; i++) {
            byte[] body = new byte[random.nextInt(300)];
            random.nextBytes(body);
            String secret = "s" + Long.toHexString(random.nextLong());
            long ts = Math.abs(random.nextLong() % 4_000_000_000L);
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((ts + ".").getBytes(StandardCharsets.UTF_8));
            String expected = "v1=" + HexFormat.of().formatHex(mac.doFinal(body));
            assertThat(EventSignatures.sign(secret, ts, body)).isEqualTo(expected);
            Clock then = Clock.fixed(Instant.ofEpochSecond(ts), ZoneOffset.UTC);
            assertThat(EventSignatures.verify(secret, expected, Long.toString(ts), body, FIVE_MINUTES, then)).isTrue();
        }
    }

    @Test
    void verifiesTheReadmeVector() {
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isTrue();
        assertThat(verify(SIGNATURE.toUpperCase().replace("V1=", "v1="), Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isTrue();
    }

    @Test
    void acceptsAnyOfSeveralValuesWhileASecretIsRotated() {
        assertThat(verify(OLD_SECRET_SIGNATURE + ", " + SIGNATURE, Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isTrue();
        assertThat(verify(SIGNATURE + "," + OLD_SECRET_SIGNATURE, Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isTrue();
        assertThat(verify("v0=abc, " + SIGNATURE, Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isTrue();
        assertThat(EventSignatures.verify("whsec_old_secret", OLD_SECRET_SIGNATURE, Long.toString(TIMESTAMP),
                BODY.getBytes(StandardCharsets.UTF_8), FIVE_MINUTES, AT_SIGNING)).isTrue();
    }

    @Test
    void refusesAChangedBodyTimestampOrSecret() {
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP), BODY + " ", AT_SIGNING)).isFalse();
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP + 1), BODY, AT_SIGNING)).isFalse();
        assertThat(verify(OLD_SECRET_SIGNATURE, Long.toString(TIMESTAMP), BODY, AT_SIGNING)).isFalse();
        assertThat(EventSignatures.verify("other", SIGNATURE, Long.toString(TIMESTAMP), BODY.getBytes(StandardCharsets.UTF_8),
                FIVE_MINUTES, AT_SIGNING)).isFalse();
    }

    @Test
    void refusesATimestampOutsideTheTolerance() {
        Clock later = Clock.offset(AT_SIGNING, Duration.ofMinutes(5).plusSeconds(1));
        Clock earlier = Clock.offset(AT_SIGNING, Duration.ofMinutes(-5).minusSeconds(1));
        Clock edge = Clock.offset(AT_SIGNING, Duration.ofMinutes(5));
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP), BODY, later)).isFalse();
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP), BODY, earlier)).isFalse();
        assertThat(verify(SIGNATURE, Long.toString(TIMESTAMP), BODY, edge)).isTrue();
    }

    @Test
    void malformedInputIsInvalidNotAnException() {
        String ts = Long.toString(TIMESTAMP);
        assertThat(verify(null, ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify("", ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify("v1=", ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify("v1=zz", ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify("v1=674f", ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify(SIGNATURE.substring(3), ts, BODY, AT_SIGNING)).isFalse();
        assertThat(verify(SIGNATURE, null, BODY, AT_SIGNING)).isFalse();
        assertThat(verify(SIGNATURE, "soon", BODY, AT_SIGNING)).isFalse();
        assertThat(verify(SIGNATURE, "-1", BODY, AT_SIGNING)).isFalse();
        assertThat(EventSignatures.verify(null, SIGNATURE, ts, BODY.getBytes(StandardCharsets.UTF_8), FIVE_MINUTES, AT_SIGNING)).isFalse();
        assertThat(EventSignatures.verify(SECRET, SIGNATURE, ts, (byte[]) null, FIVE_MINUTES, AT_SIGNING)).isFalse();
        assertThat(EventSignatures.verify(SECRET, SIGNATURE, ts, BODY.getBytes(StandardCharsets.UTF_8), null, AT_SIGNING)).isFalse();
    }

    @Test
    void signingWithoutASecretNamesTheVariable() {
        assertThatThrownBy(() -> EventSignatures.sign("", TIMESTAMP, BODY)).hasMessageContaining("EVENTS_WEBHOOK_SECRET");
    }

    @Test
    void systemClockVerifyAcceptsAFreshSignature() {
        long now = Instant.now().getEpochSecond();
        String sig = EventSignatures.sign(SECRET, now, BODY);
        assertThat(EventSignatures.verify(SECRET, sig, Long.toString(now), BODY, FIVE_MINUTES)).isTrue();
        assertThat(EventSignatures.verify(SECRET, sig, Long.toString(now), BODY, Duration.ZERO.minusSeconds(1))).isFalse();
    }

    private static boolean verify(String header, String timestamp, String body, Clock clock) {
        return EventSignatures.verify(SECRET, header, timestamp, body.getBytes(StandardCharsets.UTF_8), FIVE_MINUTES, clock);
    }
}
