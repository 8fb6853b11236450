package dev.frontdesk.sms.twilio;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Twilio's published request-signature vectors (../shared/oracles/README.md), copied as literals. */
class TwilioSignaturesTest {

    private static final String TOKEN = "12345";
    private static final TwilioSignatures SIGNATURES = new TwilioSignatures(TOKEN);

    private static Map<String, String> params() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("Digits", "1234");
        p.put("CallSid", "CA1234567890ABCDE");
        p.put("To", "+18005551212");
        p.put("Caller", "+14158675309");
        p.put("From", "+14158675309");
        return p;
    }

    @ParameterizedTest(name = "{0} params={1}")
    @CsvSource({
            "https://mycompany.com/myapp.php?foo=1&bar=2,      all,  RSOYDt4T1cUTdK1PDd93/VVr8B8=",
            "https://mycompany.com:443/myapp.php?foo=1&bar=2,  all,  kvajT1Ptam85bY51eRf/AJRuM3w=",
            "http://mycompany.com:80/myapp.php?foo=1&bar=2,    all,  0ZXoZLH/DfblKGATFgpif+LLRf4=",
            "http://mycompany.com:1234/myapp.php?foo=1&bar=2,  all,  Zmvh+3yNM1Phv2jhDCwEM3q5ebU=",
            "https://mycompany.com/myapp.php?foo=1&bar=2,      none, zYQTYrRWXE7LtzbG4PfP7/bkkGo=",
            "https://mycompany.com/myapp.php,                  all,  1xaxFBvyzXYvWplzNOSs28HWO94=",
    })
    void publishedVectorsValidateAndSignHelperReproducesThem(String url, String which, String expected) {
        Map<String, String> p = which.equals("all") ? params() : Map.of();

        assertThat(TwilioSignatures.sign(TOKEN, url, p)).isEqualTo(expected);
        assertThat(SIGNATURES.isValid(url, p, expected)).isTrue();
    }

    @Test
    void urlWithoutPortAcceptsSignatureMadeWithDefaultPortAndViceVersa() {
        assertThat(SIGNATURES.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", params(), "kvajT1Ptam85bY51eRf/AJRuM3w="))
                .isTrue();
        assertThat(SIGNATURES.isValid("https://mycompany.com:443/myapp.php?foo=1&bar=2", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
                .isTrue();
        assertThat(SIGNATURES.isValid("http://mycompany.com/myapp.php?foo=1&bar=2", params(), "0ZXoZLH/DfblKGATFgpif+LLRf4="))
                .isTrue();
    }

    @Test
    void wrongTokenIsInvalid() {
        TwilioSignatures other = new TwilioSignatures("54321");
        assertThat(other.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
                .isFalse();
    }

    @Test
    void changedAddedOrRemovedParamIsInvalid() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        String sig = "RSOYDt4T1cUTdK1PDd93/VVr8B8=";

        Map<String, String> changed = new HashMap<>(params());
        changed.put("Digits", "1235");
        Map<String, String> added = new HashMap<>(params());
        added.put("Body", "hi");
        Map<String, String> removed = new HashMap<>(params());
        removed.remove("CallSid");

        assertThat(SIGNATURES.isValid(url, changed, sig)).isFalse();
        assertThat(SIGNATURES.isValid(url, added, sig)).isFalse();
        assertThat(SIGNATURES.isValid(url, removed, sig)).isFalse();
        assertThat(SIGNATURES.isValid(url, params(), sig)).isTrue();
    }

    @Test
    void changedUrlIsInvalid() {
        assertThat(SIGNATURES.isValid("https://mycompany.com/myapp.php?foo=1&bar=3", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
                .isFalse();
        assertThat(SIGNATURES.isValid("https://evil.example/myapp.php?foo=1&bar=2", params(), "RSOYDt4T1cUTdK1PDd93/VVr8B8="))
                .isFalse();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"   ", "RSOYDt4T1cUTdK1PDd93/VVr8B8", "not base64 at all", "RSOYDt4T1cUTdK1PDd93/VVr8B9="})
    void emptyOrWrongSignatureIsInvalid(String header) {
        assertThat(SIGNATURES.isValid("https://mycompany.com/myapp.php?foo=1&bar=2", params(), header)).isFalse();
    }

    @Test
    void hostileInputNeverThrows() {
        Map<String, String> withNull = new HashMap<>();
        withNull.put("From", null);
        assertThat(SIGNATURES.isValid(null, params(), "x")).isFalse();
        assertThat(SIGNATURES.isValid("", params(), "x")).isFalse();
        assertThat(SIGNATURES.isValid("ht tp://%%%[::1", params(), "x")).isFalse();
        assertThat(SIGNATURES.isValid("https://a.example/", null, "x")).isFalse();
        assertThat(SIGNATURES.isValid("https://a.example/", withNull, "x")).isFalse();
        assertThat(SIGNATURES.isValidJson(null, "{}", "x")).isFalse();
        assertThat(SIGNATURES.isValidJson("ht tp://%%%[::1?bodySHA256=%zz", "{}", "x")).isFalse();
        assertThat(SIGNATURES.isValidJson("https://a.example/", null, "x")).isFalse();
    }

    @Test
    void nullParamsSignLikeNoParams() {
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(SIGNATURES.isValid(url, null, "zYQTYrRWXE7LtzbG4PfP7/bkkGo=")).isTrue();
    }

    @Test
    void jsonBodyVariantChecksUrlSignatureAndBodyHash() {
        String body = "{\"property\":\"value\",\"boolean\":true}";
        String url = "https://mycompany.com/myapp.php?foo=1&bar=2&bodySHA256=" + TwilioSignatures.bodySha256(body);
        String sig = TwilioSignatures.sign(TOKEN, url, null);

        assertThat(SIGNATURES.isValidJson(url, body, sig)).isTrue();
        assertThat(SIGNATURES.isValidJson(url, body + " ", sig)).isFalse();
        assertThat(SIGNATURES.isValidJson(url, body, TwilioSignatures.sign("other", url, null))).isFalse();
        String noHash = "https://mycompany.com/myapp.php?foo=1&bar=2";
        assertThat(SIGNATURES.isValidJson(noHash, body, TwilioSignatures.sign(TOKEN, noHash, null))).isFalse();
        assertThat(SIGNATURES.isValidJson(url, body, "")).isFalse();
    }

    @Test
    void bodyHashIsLowerCaseHexSha256() {
        // SHA-256 of the empty string, a well-known value.
        assertThat(TwilioSignatures.bodySha256(""))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void blankTokenIsRefusedNamingTheField(String token) {
        assertThatThrownBy(() -> new TwilioSignatures(token))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("authToken");
    }

    @Test
    void toStringHidesTheToken() {
        assertThat(new TwilioSignatures("secret-token-123")).asString().doesNotContain("secret-token-123");
    }
}
