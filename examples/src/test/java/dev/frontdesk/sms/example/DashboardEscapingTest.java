package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Issue #9, "shown escaped in the dashboard": the dashboard's script never turns data into HTML. Customer
 * text, lead names and Twilio's words reach the page only as text nodes ({@code textContent},
 * {@code createTextNode}) or through {@code setAttribute}; the only links it builds from data are
 * {@code http(s)} media URLs. {@link DashboardBrowserTest} shows hostile text as text in a real browser.
 */
class DashboardEscapingTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = DashboardEscapingTest.class.getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void theDashboardScriptHasNoHtmlSinks() throws IOException {
        String js = resource("/dashboard/assets/app.js");
        for (String sink : List.of("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(",
                "new Function", "setTimeout('", "setTimeout(\"", "createContextualFragment", "DOMParser", "srcdoc",
                "javascript:")) {
            assertThat(js).as("HTML sink %s in app.js", sink).doesNotContain(sink);
        }
        assertThat(js).contains("textContent").contains("createTextNode");
        // Event handlers are attached in code, never as on* attributes that data could reach.
        Matcher onAttributes = Pattern.compile("setAttribute\\(\\s*['\"]on", Pattern.CASE_INSENSITIVE).matcher(js);
        assertThat(onAttributes.find()).isFalse();
        // The one href built from a URL in the data is checked to be http(s) first.
        Matcher dataHrefs = Pattern.compile("href: url").matcher(js);
        while (dataHrefs.find()) {
            String line = js.substring(js.lastIndexOf('\n', dataHrefs.start()) + 1, js.indexOf('\n', dataHrefs.start()));
            assertThat(line).contains("/^https?:\\/\\//i.test(url)");
        }
    }

    /**
     * Issue #19's fields: the lead's {@code lastMessage} is shown through the same text-only row, {@code channel} is
     * only compared (the badge's words are the script's own), and the search box's text reaches the API only
     * through {@code URLSearchParams}, never pasted into a URL or the page.
     */
    @Test
    void theLeadListsNewFieldsAreOnlyReadAsData() throws IOException {
        String js = resource("/dashboard/assets/app.js");
        assertThat(js).contains("leadRow(lead, lead.lastMessage)");
        Matcher lastMessage = Pattern.compile("lastMessage").matcher(js);
        while (lastMessage.find()) {
            String line = js.substring(js.lastIndexOf('\n', lastMessage.start()) + 1, js.indexOf('\n', lastMessage.start()));
            assertThat(line.trim()).as("use of lastMessage").matches("(\\* .*|.*leadRow\\(lead, lead\\.lastMessage\\).*)");
        }
        Matcher channel = Pattern.compile("\\.channel\\b(.{0,20})").matcher(js);
        int uses = 0;
        while (channel.find()) {
            uses++;
            assertThat(channel.group(1)).as("use of lead.channel").startsWith(" === 'whatsapp'");
        }
        assertThat(uses).isPositive();
        assertThat(js).contains("new URLSearchParams(").contains("params.set('q', list.q)");
        assertThat(Pattern.compile("[?&]q=['\"]\\s*\\+").matcher(js).find()).as("q pasted into a URL").isFalse();
    }

    @Test
    void thePageLoadsOnlyItsOwnScriptWithNoInlineCode() throws IOException {
        String html = resource("/dashboard/index.html");
        Matcher scripts = Pattern.compile("<script[^>]*>(.*?)</script>", Pattern.DOTALL).matcher(html);
        int count = 0;
        while (scripts.find()) {
            count++;
            assertThat(scripts.group(0)).contains("src=\"assets/app.js\"");
            assertThat(scripts.group(1)).isBlank();
        }
        assertThat(count).isEqualTo(1);
        assertThat(Pattern.compile("\\son[a-z]+\\s*=", Pattern.CASE_INSENSITIVE).matcher(html).find())
                .as("inline event handler in index.html").isFalse();
    }
}
