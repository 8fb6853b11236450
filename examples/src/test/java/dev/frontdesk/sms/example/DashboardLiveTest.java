package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #19, the dashboard at scale, in headless Chromium against the example app over HTTP: the browser's own
 * network log ({@link NetworkLog}) shows what each page asks for. The leads page makes one request per refresh and
 * none per lead; search, each filter and "Load more" go to the API; the lead page asks for its lead alone; changes
 * arrive over {@code GET /api/events/stream} with no polling while it is up; and a cut stream comes back. The browser
 * reaches the app through a {@link TcpProxy}, which is how the stream gets cut. Leads are seeded with SQL
 * ({@value #SEEDED}, more than one page of {@value #PAGE}).
 */
class DashboardLiveTest {
    static final int PAGE = 50;
    static final int SEEDED = 60;
    private static final String SEED_PHONE = "+1555020%04d";
    private static final IntPredicate OPTED_OUT = i -> i % 10 == 3;
    private static final IntPredicate AI_OFF = i -> i % 7 == 5;
    private static final IntPredicate CUSTOMER_LAST = i -> i % 2 == 0;
    /** Customer text that would run as HTML if the page parsed it, as a name and a last message. */
    private static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\"><script>document.title='pwned2'</script><b>b</b>";

    @TempDir
    static Path dir;
    static ExampleApp app;
    static TcpProxy proxy;
    static HeadlessChromium browser;
    static WebDriver driver;
    static WebDriverWait wait;
    static NetworkLog network;
    private static int texts;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.startOrSkip(dir, true);
        driver = browser.driver;
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
        network = new NetworkLog(driver);
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        app = ExampleApp.start(env, dir);
        seed(app.dataSource(), SEEDED, 1);
        proxy = new TcpProxy(app.port());
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void openLeadsPage() {
        open(driver, "http://127.0.0.1:" + proxy.port + "/", app.apiKey());
        search("");
        chooseFilter("");
        waitForRows(PAGE);
    }

    @Test
    void theLeadsPageAsksOnceWithLastMessagesAndNothingPerLead() {
        open(driver, "http://127.0.0.1:" + proxy.port + "/", app.apiKey());
        int mark = network.mark();
        driver.navigate().refresh();
        waitForRows(PAGE);
        awaitLive();
        List<NetworkLog.Request> requests = network.apiSince(mark);
        assertThat(requests).filteredOn(r -> r.path().equals("/api/leads")).hasSize(1)
                .allSatisfy(r -> assertThat(r.query()).isEqualTo("limit=" + PAGE));
        assertThat(requests).filteredOn(r -> r.path().matches("/api/leads/\\d+.*")).as("no per-lead calls").isEmpty();
        assertThat(requests).extracting(NetworkLog.Request::path)
                .containsExactlyInAnyOrder("/api/leads", "/api/events/stream", "/api/twilio/status");
        // The last message of each lead comes with the list.
        String phone = String.format(SEED_PHONE, 0);
        assertThat(rowText(phone, ".last-message")).isEqualTo("Customer: Seeded message 0 from the customer");
        assertThat(rowText(String.format(SEED_PHONE, 1), ".last-message")).isEqualTo("You: Seeded reply 1");
    }

    @Test
    void searchNarrowsTheListByNameOrDigits() {
        searchFor("lead 42", "q=lead+42", List.of(String.format(SEED_PHONE, 42)));
        searchFor("5550200013", "q=5550200013", List.of(String.format(SEED_PHONE, 13)));
        searchFor("nobody by this name", "q=nobody+by+this+name", List.of());
        assertThat(driver.findElement(By.id("leads-none")).isDisplayed()).isTrue();
        assertThat(driver.findElement(By.id("leads-table")).isDisplayed()).isFalse();
        search("");
        waitForRows(PAGE);
    }

    /** Types {@code text} into the search box: the list shows {@code phones}, asked for once typing paused (debounced). */
    private static void searchFor(String text, String query, List<String> phones) {
        int mark = network.mark();
        search(text);
        wait.until(d -> rowPhones().equals(phones) && network.apiSince(mark).size() == 1 && network.bytes(network.apiSince(mark).get(0)) >= 0);
        assertThat(network.apiSince(mark)).extracting(NetworkLog.Request::toString)
                .containsExactly("GET /api/leads?limit=" + PAGE + "&" + query);
    }

    @Test
    void eachFilterShowsItsLeads() {
        chooseFilter("unanswered");
        wait.until(d -> new TreeSet<>(rowPhones()).equals(seededPhones(CUSTOMER_LAST)));
        assertThat(driver.findElements(By.cssSelector(".lead-row .last-message")))
                .allSatisfy(e -> assertThat(e.getText()).startsWith("Customer: "));
        chooseFilter("opted_out");
        wait.until(d -> new TreeSet<>(rowPhones()).equals(seededPhones(OPTED_OUT)));
        assertThat(driver.findElements(By.cssSelector(".lead-row"))).allSatisfy(
                r -> assertThat(r.findElement(By.cssSelector(".badge-optout")).getText()).isEqualTo("Opted out"));
        chooseFilter("ai_paused");
        wait.until(d -> new TreeSet<>(rowPhones()).equals(seededPhones(AI_OFF)));
        assertThat(driver.findElements(By.cssSelector(".lead-row"))).allSatisfy(
                r -> assertThat(r.findElement(By.cssSelector(".badge-paused")).getText()).isEqualTo("AI off"));
        // A filter and a search together.
        search("lead 3");
        wait.until(d -> new TreeSet<>(rowPhones()).equals(seededPhones(i -> AI_OFF.test(i) && (i == 3 || i / 10 == 3))));
        search("");
        chooseFilter("");
        waitForRows(PAGE);
    }

    @Test
    void loadMoreAppendsTheNextPage() throws Exception {
        int total = count("SELECT COUNT(*) FROM leads");
        assertThat(total).isGreaterThan(PAGE).isLessThanOrEqualTo(2 * PAGE);
        List<String> firstPage = rowPhones();
        int mark = network.mark();
        driver.findElement(By.id("leads-more")).click();
        waitForRows(total);
        List<String> all = rowPhones();
        assertThat(all.subList(0, PAGE)).isEqualTo(firstPage);
        assertThat(new TreeSet<>(all)).hasSize(total);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("leads-more")));
        List<NetworkLog.Request> requests = network.apiSince(mark);
        assertThat(requests).hasSize(1);
        assertThat(requests.get(0).path()).isEqualTo("/api/leads");
        assertThat(requests.get(0).query()).startsWith("limit=" + PAGE + "&cursor=");
    }

    @Test
    void theLeadPageAsksForItsLeadAloneAndATextArrivesOverTheStream() throws Exception {
        String phone = String.format(SEED_PHONE, 7);
        long id = leadId(phone);
        awaitLive();
        int mark = network.mark();
        driver.findElement(By.cssSelector(".lead-row[data-phone='" + phone + "'] a.lead-link")).click();
        wait.until(ExpectedConditions.textToBe(By.id("lead-title"), "Seed Lead 07"));
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg")).size() == 1);
        assertThat(network.apiSince(mark)).extracting(NetworkLog.Request::toString)
                .containsExactlyInAnyOrder("GET /api/leads/" + id, "GET /api/leads/" + id + "/sms");

        // The customer texts while the page is open: it shows up without a reload, fetched because of the stream.
        mark = network.mark();
        long sent = System.currentTimeMillis();
        simulate(phone, "Is Friday morning possible?");
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg")).size() == 3);
        List<WebElement> thread = driver.findElements(By.cssSelector("#thread .msg"));
        assertThat(thread.get(1).findElement(By.cssSelector(".body")).getText()).isEqualTo("Is Friday morning possible?");
        assertThat(thread.get(2).getAttribute("data-direction")).isEqualTo("outbound");
        List<NetworkLog.Request> requests = network.apiSince(mark);
        assertThat(requests).as("only this lead, after its change").isNotEmpty().allSatisfy(r -> {
            assertThat(r.toString()).isIn("GET /api/leads/" + id, "GET /api/leads/" + id + "/sms");
            assertThat(r.wallMillis()).isGreaterThanOrEqualTo(sent - 50);
        });
        assertThat(driver.findElements(By.cssSelector("#thread img, #thread script"))).isEmpty();
    }

    @Test
    void aTextShowsUpOnTheLeadsPageWithNoPollingInBetween() throws Exception {
        awaitLive();
        // Nothing is asked for while nothing changes (the old page polled every 5 s).
        int mark = network.mark();
        long quietUntil = System.currentTimeMillis() + 6_000;
        while (System.currentTimeMillis() < quietUntil) {
            assertThat(network.apiSince(mark)).as("requests while nothing changed").isEmpty();
            Thread.sleep(250); // a period without requests is what is asserted
        }

        String phone = "+1555030" + String.format("%04d", ++texts);
        long sent = System.currentTimeMillis();
        simulate(phone, "Do you service Elm Street?");
        wait.until(d -> rowPhones().get(0).equals(phone) && rowText(phone, ".last-message").startsWith("You: "));
        List<NetworkLog.Request> requests = network.apiSince(mark);
        assertThat(requests).as("each refresh: one request for the list, none per lead").isNotEmpty().allSatisfy(r -> {
            assertThat(r.toString()).isEqualTo("GET /api/leads?limit=" + PAGE);
            assertThat(r.wallMillis()).isGreaterThanOrEqualTo(sent - 50);
        });
        // A burst of changes (text, lead, reply, its status) costs a few refreshes, not one per change.
        assertThat(requests).hasSizeLessThanOrEqualTo(4);
    }

    @Test
    void afterTheStreamIsCutThePageCatchesUpAndGoesLiveAgain() throws Exception {
        awaitLive();
        int mark = network.mark();
        proxy.cut();
        wait.until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "down"));
        assertThat(driver.findElement(By.id("live-status")).getText()).isEqualTo("Reconnecting…");
        // A text while the stream is down: the page cannot hear of it...
        String missed = "+1555030" + String.format("%04d", ++texts);
        simulate(missed, "Anyone there?");
        restoreProxy();
        // ...and catches up once the stream is back, without a reload.
        awaitLive();
        wait.until(d -> rowPhones().get(0).equals(missed));
        // Live again: the next text arrives over the new stream.
        String next = "+1555030" + String.format("%04d", ++texts);
        simulate(next, "Hello again");
        wait.until(d -> rowPhones().get(0).equals(next));
        assertThat(network.apiSince(mark)).filteredOn(r -> r.path().equals("/api/events/stream")).as("reconnected")
                .isNotEmpty();
        assertThat(network.apiSince(mark)).filteredOn(r -> r.path().matches("/api/leads/.*")).isEmpty();
    }

    @Test
    void whileTheStreamCannotBeOpenedThePageChecksEvery30Seconds() throws Exception {
        awaitLive();
        // A network that lets ordinary requests through but no stream: the page's stream requests fail at once.
        ((JavascriptExecutor) driver).executeScript("""
                const real = window.fetch;
                window.fetch = (url, init) => String(url).startsWith('api/events/stream')
                  ? Promise.reject(new TypeError('blocked')) : real(url, init);""");
        int mark = network.mark();
        long cut = System.currentTimeMillis();
        proxy.cut();
        wait.until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "down"));
        restoreProxy();
        String phone = "+1555030" + String.format("%04d", ++texts);
        simulate(phone, "Still open today?");
        new WebDriverWait(driver, Duration.ofSeconds(45)).ignoring(StaleElementReferenceException.class)
                .until(d -> rowPhones().get(0).equals(phone));
        List<NetworkLog.Request> requests = network.apiSince(mark);
        assertThat(requests).as("the fallback poll, and nothing sooner than 30 s after the stream ended").isNotEmpty()
                .allSatisfy(r -> {
                    assertThat(r.toString()).isEqualTo("GET /api/leads?limit=" + PAGE);
                    assertThat(r.wallMillis() - cut).isGreaterThanOrEqualTo(29_000);
                });
        assertThat(driver.findElement(By.id("live-status")).getAttribute("data-state")).isNotEqualTo("live");
    }

    @Test
    void whatsAppLeadsGetABadge() {
        // Lead.channel comes with the channels work; until the store has WhatsApp leads, the page's own fetch marks one.
        String phone = String.format(SEED_PHONE, 4);
        ((JavascriptExecutor) driver).executeScript("""
                const phone = arguments[0];
                const real = window.fetch;
                window.fetch = async (url, init) => {
                  const response = await real(url, init);
                  if (!String(url).startsWith('api/leads')) return response;
                  const body = await response.clone().json();
                  for (const lead of body.leads || [body.lead]) if (lead && lead.phoneNumber === phone) lead.channel = 'whatsapp';
                  return new Response(JSON.stringify(body), { status: response.status, headers: response.headers });
                };""", phone);
        chooseFilter("unanswered");
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".lead-row[data-phone='" + phone + "'] .badge-whatsapp"), "WhatsApp"));
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + phone + "'] .badge-sms"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".badge-whatsapp"))).hasSize(1);
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + String.format(SEED_PHONE, 0) + "'] .badge-sms")))
                .hasSize(1);
        driver.findElement(By.cssSelector(".lead-row[data-phone='" + phone + "'] a.lead-link")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#lead-badges .badge-whatsapp"), "WhatsApp"));
        assertThat(driver.findElement(By.id("send-button")).getText()).isEqualTo("Send WhatsApp");
    }

    @Test
    void hostileNamesLastMessagesAndSearchesStayText() throws Exception {
        long id;
        try (Connection c = app.dataSource().getConnection();
             PreparedStatement lead = c.prepareStatement("UPDATE leads SET name = ? WHERE phone_number = ?");
             PreparedStatement message = c.prepareStatement("UPDATE messages SET body = ? WHERE lead_id = ?")) {
            id = leadId(String.format(SEED_PHONE, 2));
            lead.setString(1, HOSTILE);
            lead.setString(2, String.format(SEED_PHONE, 2));
            lead.executeUpdate();
            message.setString(1, HOSTILE);
            message.setLong(2, id);
            message.executeUpdate();
        }
        driver.navigate().refresh();
        String phone = String.format(SEED_PHONE, 2);
        wait.until(d -> rowText(phone, "a.lead-link").startsWith("<img src=x"));
        assertThat(rowText(phone, "a.lead-link")).isEqualTo(HOSTILE);
        assertThat(rowText(phone, ".last-message")).startsWith("Customer: <img src=x onerror=");
        // Searching for markup finds the lead by its name and still shows it as text; other markup finds nothing.
        search(HOSTILE.substring(0, 30));
        wait.until(d -> rowPhones().equals(List.of(phone)));
        search("<script>document.title='pwned3'</script>");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("leads-none")));
        assertThat(driver.findElements(By.cssSelector("#leads-view img, #leads-view script, #leads-view b"))).isEmpty();
        assertThat(driver.getTitle()).doesNotContain("pwned");
        try (Connection c = app.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE leads SET name = 'Seed Lead 02' WHERE id = " + id);
            s.executeUpdate("UPDATE messages SET body = 'Seeded message 2 from the customer' WHERE lead_id = " + id);
        }
    }

    // ------------------------------------------------------------------ helpers

    /** Opens the dashboard at {@code url} with the key already in the tab's session. */
    static void open(WebDriver driver, String url, String key) {
        driver.get(url);
        ((JavascriptExecutor) driver).executeScript("sessionStorage.setItem('frontdesk.apiKey', arguments[0])", key);
        driver.navigate().refresh();
    }

    /**
     * Leads {@code 0..n-1} written straight into the store: {@code Seed Lead NN}, {@code +1555020NNNN}, each with
     * {@code messagesEach} messages, the last one the customer's for even leads; every tenth opted out, every
     * seventh with the AI off. Lead 0 has the most recent activity, all of it older than anything texted later.
     */
    static void seed(DataSource dataSource, int n, int messagesEach) throws Exception {
        OffsetDateTime base = OffsetDateTime.now(ZoneOffset.UTC).minusDays(1);
        try (Connection c = dataSource.getConnection();
             PreparedStatement lead = c.prepareStatement("INSERT INTO leads (phone_number, name, source, created_at, sms_enabled, "
                     + "last_sms_at, sms_opt_out, ai_enabled, last_message_direction) VALUES (?, ?, 'sms', ?, TRUE, ?, ?, ?, ?)",
                     Statement.RETURN_GENERATED_KEYS);
             PreparedStatement message = c.prepareStatement("INSERT INTO messages (lead_id, direction, from_number, to_number, body, "
                     + "status, num_segments, created_at) VALUES (?, ?, ?, '+15550001234', ?, ?, 1, ?)")) {
            c.setAutoCommit(false);
            for (int i = 0; i < n; i++) {
                String phone = String.format(SEED_PHONE, i);
                OffsetDateTime last = base.minusMinutes(i);
                boolean customerLast = CUSTOMER_LAST.test(i);
                lead.setString(1, phone);
                lead.setString(2, String.format("Seed Lead %02d", i));
                lead.setObject(3, last.minusHours(1));
                lead.setObject(4, last);
                lead.setBoolean(5, OPTED_OUT.test(i));
                lead.setBoolean(6, !AI_OFF.test(i));
                lead.setString(7, customerLast ? "inbound" : "outbound");
                lead.executeUpdate();
                long id;
                try (ResultSet keys = lead.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
                for (int m = messagesEach; m >= 1; m--) {
                    // the last of them (m == 1) is the customer's for customerLast leads
                    boolean inbound = (m % 2 == 1) == customerLast;
                    message.setLong(1, id);
                    message.setString(2, inbound ? "inbound" : "outbound");
                    message.setString(3, inbound ? phone : "+15550001234");
                    message.setString(4, m == 1 ? (inbound ? "Seeded message " + i + " from the customer" : "Seeded reply " + i)
                            : "Earlier message " + m + " of the conversation with lead " + i + ", about a leaking tap in the kitchen");
                    message.setString(5, inbound ? "received" : "delivered");
                    message.setObject(6, last.minusMinutes(m - 1L).minusSeconds(30));
                    message.addBatch();
                }
                message.executeBatch();
            }
            c.commit();
        }
    }

    private static int count(String sql) throws Exception {
        try (Connection c = app.dataSource().getConnection(); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            r.next();
            return r.getInt(1);
        }
    }

    private static long leadId(String phone) throws Exception {
        try (Connection c = app.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id FROM leads WHERE phone_number = ?")) {
            s.setString(1, phone);
            try (ResultSet r = s.executeQuery()) {
                r.next();
                return r.getLong(1);
            }
        }
    }

    private static Set<String> seededPhones(IntPredicate which) {
        return IntStream.range(0, SEEDED).filter(which).mapToObj(i -> String.format(SEED_PHONE, i))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static void simulate(String from, String body) {
        Map<String, String> env = Map.of("PORT", String.valueOf(app.port()));
        assertThat(TestHttp.simulator(env, dir, "simulate", "--from", from, "--body", body, "--wait-seconds", "30")).isZero();
    }

    /** Listens again on the proxy's port, once the connections just cut no longer hold it. */
    private static void restoreProxy() {
        wait.until(d -> {
            try {
                proxy.restore();
                return true;
            } catch (java.io.UncheckedIOException e) {
                return false;
            }
        });
    }

    private static void awaitLive() {
        wait.until(ExpectedConditions.attributeToBe(By.id("live-status"), "data-state", "live"));
    }

    private static void search(String text) {
        WebElement box = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("leads-search")));
        if (box.getAttribute("value").equals(text)) {
            return;
        }
        box.sendKeys(Keys.chord(Keys.CONTROL, "a"), Keys.BACK_SPACE);
        if (!text.isEmpty()) {
            box.sendKeys(text);
        }
    }

    private static void chooseFilter(String filter) {
        By button = By.cssSelector("button[data-filter='" + filter + "']");
        if (!"true".equals(driver.findElement(button).getAttribute("aria-pressed"))) {
            driver.findElement(button).click();
        }
    }

    private static void waitForRows(int n) {
        wait.until(d -> d.findElements(By.cssSelector(".lead-row")).size() == n);
    }

    private static List<String> rowPhones() {
        List<String> phones = new ArrayList<>();
        for (WebElement row : driver.findElements(By.cssSelector(".lead-row"))) {
            phones.add(row.getAttribute("data-phone"));
        }
        return phones;
    }

    private static String rowText(String phone, String css) {
        return driver.findElement(By.cssSelector(".lead-row[data-phone='" + phone + "'] " + css)).getText();
    }
}
