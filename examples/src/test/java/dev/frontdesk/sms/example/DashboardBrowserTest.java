package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser: Debian's headless Chromium driven through ChromeDriver by Selenium,
 * against the example app with no credentials. Skips when Chromium or ChromeDriver is not installed,
 * unless {@code FRONTDESK_REQUIRE_BROWSER=true} (set by {@code .ci/run}), which makes that a failure.
 * Screenshots go to {@code target/screenshots/}.
 */
class DashboardBrowserTest {
    private static final String CUSTOMER = "+15551234567";
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir
    static Path dir;
    static ExampleApp app;
    static HeadlessChromium browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void startAppAndBrowser() throws Exception {
        browser = HeadlessChromium.startOrSkip(dir, false);
        driver = browser.driver;
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        // Staff texts to numbers without a known area use the business's clock for quiet hours (8:00-21:00):
        // a zone where it is daytime now keeps this test independent of when it runs.
        env.put("BUSINESS_TIMEZONE", daytimeZone());
        app = ExampleApp.start(env, dir);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        // The pages refresh themselves; a condition that caught an element just replaced simply looks again.
        wait.ignoring(StaleElementReferenceException.class);
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (app != null) {
            app.close();
        }
    }

    /** Issue #9: customer text that would run as HTML if the page parsed it. */
    private static final String HOSTILE = "<img src=x onerror=\"document.title='pwned'\"> <script>document.title='pwned2'</script>"
            + " <b>bold</b> &amp; Do you fix water heaters?";

    @Test
    void leadsThreadReplyAndSettingsWorkInTheBrowser() throws Exception {
        simulate(CUSTOMER, "Hi, I need help with my plumbing issue");

        // The key is asked for once, then kept for the browser session (a fresh session here).
        driver.get(app.localUrl());
        ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        driver.navigate().refresh();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input"))).sendKeys("not-the-key");
        driver.findElement(By.id("key-submit")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("key-error"), "not accepted"));
        driver.findElement(By.id("key-input")).sendKeys(app.apiKey());
        driver.findElement(By.id("key-submit")).click();

        // Leads page: the lead with its SMS badge and last message.
        By row = By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(row));
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] .badge-sms"), "SMS"));
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] .badge-optout"))).isEmpty();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] .last-message"),
                "Joe's Plumbing"));

        // A second customer texts while the page is open: the page refreshes by itself, newest first.
        simulate("+15557654321", HOSTILE);
        By second = By.cssSelector(".lead-row[data-phone='+15557654321']");
        wait.until(ExpectedConditions.visibilityOfElementLocated(second));
        wait.until(d -> d.findElements(By.cssSelector(".lead-row")).get(0).getAttribute("data-phone").equals("+15557654321"));
        screenshot("leads");

        // Lead page: the thread, inbound and outbound, with the outbound status in words.
        click(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] a.lead-link"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#thread .msg.inbound")));
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 1);
        assertThat(driver.findElement(By.cssSelector("#thread .msg.inbound .body")).getText())
                .isEqualTo("Hi, I need help with my plumbing issue");
        WebElement reply = driver.findElement(By.cssSelector("#thread .msg.outbound"));
        assertThat(reply.findElement(By.cssSelector(".body")).getText()).contains("Joe's Plumbing");
        assertThat(reply.findElement(By.cssSelector(".status")).getAttribute("data-status")).isEqualTo("simulated");
        assertThat(reply.findElement(By.cssSelector(".status")).getText()).contains("not really sent");

        // Sending from the box adds the message to the thread.
        driver.findElement(By.id("send-text")).sendKeys("Sure! We can come by tomorrow at 9am. Does that work?");
        driver.findElement(By.id("send-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 2);
        List<WebElement> outbound = driver.findElements(By.cssSelector("#thread .msg.outbound"));
        assertThat(outbound.get(1).findElement(By.cssSelector(".body")).getText())
                .isEqualTo("Sure! We can come by tomorrow at 9am. Does that work?");
        assertThat(driver.findElement(By.id("send-text")).getAttribute("value")).isEmpty();
        assertThat(driver.findElement(By.id("send-error")).isDisplayed()).isFalse();
        screenshot("lead");

        // Customer text is shown as text, never run as HTML.
        driver.findElement(By.linkText("← All leads")).click();
        click(By.cssSelector(".lead-row[data-phone='+15557654321'] a.lead-link"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#thread .msg.inbound .body"), "<img src=x"));
        assertThat(driver.findElement(By.cssSelector("#thread .msg.inbound .body")).getText()).isEqualTo(HOSTILE);
        assertThat(driver.findElements(By.cssSelector("#thread img, #thread script, .lead-row img, .lead-row script"))).isEmpty();
        assertThat(driver.getTitle()).doesNotContain("pwned");

        // Settings page: Twilio not configured, naming the missing variables.
        driver.findElement(By.id("nav-settings")).click();
        wait.until(ExpectedConditions.textToBe(By.id("twilio-status"), "Not configured"));
        String missing = driver.findElement(By.id("twilio-missing")).getText();
        assertThat(missing).contains("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_PHONE_NUMBER");
        assertThat(driver.findElement(By.id("twilio-mode")).getText()).startsWith("TEST");
        assertThat(driver.findElement(By.id("inbound-url")).getText()).isEqualTo(app.config().inboundWebhookUrl());
        assertThat(driver.findElement(By.id("status-url")).getText()).isEqualTo(app.config().statusCallbackUrl());
        assertThat(driver.findElement(By.id("voice-url")).getText()).isEqualTo(app.config().voiceWebhookUrl());
        assertThat(driver.findElement(By.id("ai-status")).getText()).startsWith("Not configured");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events-status"), "Off (set EVENTS_WEBHOOK_URL"));
        screenshot("settings");

        // The key was asked for once: a reload goes straight to the page.
        driver.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("twilio-status"), "Not configured"));
        assertThat(driver.findElement(By.id("key-view")).isDisplayed()).isFalse();
    }

    @Test
    void sendingToAnOptedOutLeadShowsWhyInWords() throws Exception {
        simulate("+15550009999", "STOP");
        driver.get(app.localUrl());
        if (driver.findElement(By.id("key-view")).isDisplayed()) {
            driver.findElement(By.id("key-input")).sendKeys(app.apiKey());
            driver.findElement(By.id("key-submit")).click();
        }
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector(".lead-row[data-phone='+15550009999'] .badge-optout"), "Opted out"));
        click(By.cssSelector(".lead-row[data-phone='+15550009999'] a.lead-link"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#thread .msg.inbound")));
        driver.findElement(By.id("send-text")).sendKeys("Are you still there?");
        driver.findElement(By.id("send-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-error"), "opted out by texting STOP"));
    }

    @Test
    void aiSwitchBookingDetailsPhotosAndQuietHoursWorkInTheBrowser() throws Exception {
        String customer = "+15553334444";
        String photo = app.localUrl() + "assets/favicon.svg";
        simulate(customer, "Here is the leak", "--media", photo, "--media", app.localUrl() + "no-such-photo.jpg");
        openLead(customer);

        // MMS: a thumbnail for the picture, a plain link for what cannot be shown.
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.inbound a.media")).size() == 2);
        WebElement thumb = driver.findElement(By.cssSelector("#thread .msg.inbound a.media[data-media-index='0'] img.media-thumb"));
        wait.until(d -> ((Number) ((JavascriptExecutor) d).executeScript("return arguments[0].naturalWidth", thumb)).intValue() > 0);
        assertThat(driver.findElement(By.cssSelector("#thread .msg.inbound a.media[data-media-index='0']")).getAttribute("href"))
                .isEqualTo(photo);
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#thread .msg.inbound a.media[data-media-index='1']"), "Attachment 2"));

        // The AI switch: on, paused for 2 h, handed back, off until handed back.
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "on"));
        click(By.id("ai-pause"));
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "paused"));
        assertThat(driver.findElement(By.id("ai-state")).getText()).startsWith("Paused until");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#lead-badges .badge-paused"), "AI paused"));
        screenshot("lead-ai-paused");
        click(By.id("ai-on"));
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "on"));
        click(By.id("ai-off"));
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "off"));
        assertThat(driver.findElement(By.id("ai-pause")).isDisplayed()).isFalse();
        click(By.id("ai-on"));
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "on"));

        // Booking details: staff fill them in, they are kept, and the lead is named after them.
        driver.findElement(By.id("q-name")).sendKeys("Sam Lee");
        driver.findElement(By.id("q-address")).sendKeys("12 Elm St, Springfield");
        click(By.id("qual-save"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("qual-saved"), "Saved"));
        wait.until(ExpectedConditions.textToBe(By.id("lead-title"), "Sam Lee"));
        driver.navigate().refresh();
        wait.until(ExpectedConditions.attributeToBe(By.id("q-address"), "value", "12 Elm St, Springfield"));
        assertThat(driver.findElement(By.id("q-name")).getAttribute("value")).isEqualTo("Sam Lee");
        assertThat(driver.findElement(By.id("q-service")).getAttribute("value")).isEmpty();

        // A staff text pauses the AI for this lead.
        driver.findElement(By.id("send-text")).sendKeys("Thanks Sam, Bob here. I'll call you.");
        driver.findElement(By.id("send-button")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("ai-state"), "data-state", "paused"));

        // Quiet hours guard cold texts, not answers: a customer for whom it is night now but who is texting
        // now gets the answer without a question.
        String night = nightNumber(1);
        simulate(night, "Are you open tomorrow?");
        openLead(night);
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 1);
        driver.findElement(By.id("send-text")).sendKeys("Yes, from 8am!");
        driver.findElement(By.id("send-button")).click();
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 2);
        assertThat(driver.findElement(By.id("quiet-confirm")).isDisplayed()).as("no confirmation for an answer").isFalse();

        // A cold text (the customer has not texted in the last day) at night: the dashboard asks before sending.
        String cold = nightNumber(2);
        assertThat(TestHttp.postJson(app, "/api/twilio/sms/outbound",
                "{\"phoneNumber\": \"" + cold + "\", \"message\": \"Your plumber is booked.\", \"force\": true}", app.apiKey())
                .statusCode()).isEqualTo(201);
        openLead(cold, "#thread .msg.outbound");
        driver.findElement(By.id("send-text")).sendKeys("Reminder: we come at 9am.");
        driver.findElement(By.id("send-button")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("quiet-confirm")));
        assertThat(driver.findElement(By.id("quiet-text")).getText()).contains("for this customer", "Send it anyway?");
        assertThat(driver.findElements(By.cssSelector("#thread .msg.outbound"))).hasSize(1);
        screenshot("lead-quiet-hours");
        driver.findElement(By.id("quiet-send")).click();
        wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 2);
        assertThat(driver.findElement(By.id("quiet-confirm")).isDisplayed()).isFalse();
        assertThat(driver.findElement(By.id("send-text")).getAttribute("value")).isEmpty();
    }

    @Test
    void aReachedMonthlyBudgetIsShownOnEveryPage(@TempDir Path other) throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + other.resolve("db").resolve("frontdesk"));
        env.put("FRONTDESK_API_KEY", "budget-test-key");
        env.put("MONTHLY_BUDGET_USD", "0");
        try (ExampleApp broke = ExampleApp.start(env, other)) {
            driver.get(broke.localUrl());
            ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
            driver.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input"))).sendKeys("budget-test-key");
            driver.findElement(By.id("key-submit")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("budget-notice"), "Monthly budget reached"));
            assertThat(driver.findElement(By.id("budget-notice")).getText()).contains("fallback reply");
            driver.findElement(By.id("nav-settings")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("budget-limit"), "reached"));
            assertThat(driver.findElement(By.id("budget-notice")).isDisplayed()).isTrue();
            screenshot("settings-budget");
            ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        }
    }

    @Test
    void callAndWhatsAppLeadsCarryTheirBadgesOnTheListAndTheLeadPage() throws Exception {
        String caller = "+15556667001"; // numbers no other test here uses: a lead that texted first keeps its source
        String whatsApp = "+15556667002";
        String token = LocalSecrets.find(dir.resolve("data")).orElseThrow().signingToken();
        Map<String, String> call = new java.util.LinkedHashMap<>();
        call.put("AccountSid", "AC" + "0".repeat(32));
        call.put("CallSid", "CA" + "1".repeat(32));
        call.put("CallStatus", "ringing");
        call.put("From", caller);
        call.put("To", "+15550001234");
        // No OWNER_PHONE_NUMBER here: the caller hears a sentence and is texted at once.
        assertThat(TestHttp.postSigned(app, dev.frontdesk.sms.FrontDeskConfig.VOICE_INBOUND_PATH, call, token).statusCode()).isEqualTo(200);
        Map<String, String> text = new java.util.LinkedHashMap<>();
        text.put("MessageSid", ConsoleSmsGateway.newSid());
        text.put("AccountSid", "AC" + "0".repeat(32));
        text.put("From", "whatsapp:" + whatsApp);
        text.put("To", "whatsapp:+15550001234");
        text.put("Body", "Hi, on WhatsApp");
        text.put("NumMedia", "0");
        assertThat(TestHttp.postSigned(app, dev.frontdesk.sms.FrontDeskConfig.INBOUND_PATH, text, token).statusCode()).isEqualTo(200);

        openLead(caller, "#thread .msg.outbound"); // the missed-call text
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#lead-badges .badge-call"), "Call"));
        assertThat(driver.findElements(By.cssSelector("#lead-badges .badge-whatsapp"))).isEmpty();
        assertThat(driver.findElement(By.id("lead-meta")).getText()).contains("source: call");
        screenshot("lead-call");

        driver.findElement(By.linkText("← All leads")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".lead-row[data-phone='" + caller + "'] .badge-call"), "Call"));
        wait.until(ExpectedConditions.textToBe(By.cssSelector(".lead-row[data-phone='" + whatsApp + "'] .badge-whatsapp"), "WhatsApp"));
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + caller + "'] .badge-whatsapp"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + whatsApp + "'] .badge-call"))).isEmpty();
        assertThat(driver.findElements(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] .badge-call"))).as("a texted-in lead").isEmpty();
        screenshot("leads-call-whatsapp");

        click(By.cssSelector(".lead-row[data-phone='" + whatsApp + "'] a.lead-link"));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#lead-badges .badge-whatsapp"), "WhatsApp"));
        assertThat(driver.findElements(By.cssSelector("#lead-badges .badge-call"))).isEmpty();
        assertThat(driver.findElement(By.id("send-button")).getText()).isEqualTo("Send WhatsApp");
    }

    @Test
    void theSettingsPageSaysWhenTheCrmStopsAcceptingEvents(@TempDir Path other) throws Exception {
        MockWebServer crm = new MockWebServer();
        crm.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return new MockResponse().setResponseCode(500);
            }
        });
        crm.start();
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + other.resolve("db").resolve("frontdesk"));
        env.put("FRONTDESK_API_KEY", "events-test-key");
        env.put("EVENTS_WEBHOOK_URL", crm.url("/crm").toString());
        env.put("EVENTS_WEBHOOK_SECRET", "whsec_browser_test");
        env.put("EVENTS_ALLOW_PRIVATE", "true");
        try (ExampleApp refused = ExampleApp.start(env, other)) {
            Map<String, String> p = new java.util.LinkedHashMap<>();
            p.put("MessageSid", ConsoleSmsGateway.newSid());
            p.put("AccountSid", "AC" + "0".repeat(32));
            p.put("From", CUSTOMER);
            p.put("To", "+15550001234");
            p.put("Body", "Hi");
            String token = LocalSecrets.find(other.resolve("data")).orElseThrow().signingToken();
            assertThat(TestHttp.postSigned(refused, dev.frontdesk.sms.FrontDeskConfig.INBOUND_PATH, p, token).statusCode()).isEqualTo(200);
            // lead.created, message.received and the console reply's message.sent, each refused once
            TestHttp.await(Duration.ofSeconds(20), "three refused deliveries", () -> {
                int refusedOnce = 0;
                for (com.fasterxml.jackson.databind.JsonNode e : TestHttp.getJson(refused, "/api/events?status=pending", "events-test-key")
                        .path("events")) {
                    refusedOnce += "HTTP 500".equals(e.path("lastError").asText(null)) ? 1 : 0;
                }
                return refusedOnce == 3 ? true : null;
            });

            driver.get(refused.localUrl() + "#/settings");
            ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
            driver.navigate().refresh();
            wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input"))).sendKeys("events-test-key");
            driver.findElement(By.id("key-submit")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("events-deliveries"), "failing"));
            assertThat(driver.findElement(By.id("events-deliveries")).getText())
                    .isEqualTo("3 deliveries failing (retried for 24 hours), last error: HTTP 500");
            assertThat(driver.findElement(By.id("events-status")).getText()).isEqualTo("On, but the receiver is not accepting");
            assertThat(driver.findElement(By.id("events-status")).getAttribute("class")).isEqualTo("warn");
            ((JavascriptExecutor) driver).executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id("events-status")));
            screenshot("settings-events-failing");
            ((JavascriptExecutor) driver).executeScript("sessionStorage.clear()");
        } finally {
            crm.shutdown();
        }
    }

    private static void openLead(String phone) {
        openLead(phone, "#thread .msg.inbound");
    }

    private static void openLead(String phone, String firstMessage) {
        driver.get(app.localUrl());
        if (driver.findElement(By.id("key-view")).isDisplayed()) {
            driver.findElement(By.id("key-input")).sendKeys(app.apiKey());
            driver.findElement(By.id("key-submit")).click();
        }
        click(By.cssSelector(".lead-row[data-phone='" + phone + "'] a.lead-link"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector(firstMessage)));
    }

    /** A UTC offset where it is about noon now. */
    private static String daytimeZone() {
        int hour = java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).getHour();
        int offset = 12 - hour; // -11 .. +12
        return java.time.ZoneOffset.ofHours(offset).getId();
    }

    /** Number {@code n} (1-9) in a time zone where it is well inside the quiet hours (22:00-06:59) now. */
    private static String nightNumber(int n) {
        Map<String, String> candidates = new java.util.LinkedHashMap<>();
        candidates.put("+44207123456" + n, "Europe/London");
        candidates.put("+1212555123" + n, "America/New_York");
        candidates.put("+1808555123" + n, "Pacific/Honolulu");
        candidates.put("+8131234567" + n, "Asia/Tokyo");
        for (Map.Entry<String, String> c : candidates.entrySet()) {
            int hour = java.time.ZonedDateTime.now(java.time.ZoneId.of(c.getValue())).getHour();
            if (hour >= 22 || hour <= 6) {
                return c.getKey();
            }
        }
        throw new IllegalStateException("no candidate zone is at night now");
    }

    /** Clicks what {@code locator} finds once it is clickable, finding it again if a refresh replaced it. */
    private static void click(By locator) {
        wait.until(d -> {
            WebElement e = ExpectedConditions.elementToBeClickable(locator).apply(d);
            if (e == null) {
                return false;
            }
            e.click();
            return true;
        });
    }

    @Test
    void withTwilioInTestModeTheThreadShowsDeliveryAndExplainsUnverifiedNumbers() throws Exception {
        // Twilio (test mode) and OpenAI configured, aimed at local mocks: one verified customer, one not.
        AtomicInteger sids = new AtomicInteger();
        try (MockWebServer twilio = new MockWebServer(); MockWebServer openai = new MockWebServer()) {
            twilio.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    String form = request.getBody().readUtf8();
                    String to = form.contains("To=%2B15551234567") ? "+15551234567" : "+15550000000";
                    String body = TestHttp.fixture("twilio-message-created.json").replace("%SID%", String.format("SM%032x", sids.incrementAndGet()))
                            .replace("%TO%", to).replace("%BODY%", "(body)");
                    return new MockResponse().setResponseCode(201).setHeader("Content-Type", "application/json").setBody(body);
                }
            });
            openai.setDispatcher(new Dispatcher() {
                @Override
                public MockResponse dispatch(RecordedRequest request) {
                    return new MockResponse().setHeader("Content-Type", "application/json").setBody(TestHttp.fixture("openai-chat-completion.json"));
                }
            });
            twilio.start();
            openai.start();
            Map<String, String> env = new HashMap<>();
            env.put("PORT", "0");
            env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db-test-mode").resolve("frontdesk"));
            env.put("BUSINESS_NAME", "Joe's Plumbing");
            env.put("BUSINESS_TIMEZONE", daytimeZone()); // staff quiet hours: daytime whenever the test runs
            env.put("TWILIO_ACCOUNT_SID", "AC0123456789abcdef0123456789abcdef");
            env.put("TWILIO_AUTH_TOKEN", "test-auth-token");
            env.put("TWILIO_PHONE_NUMBER", "+15557654321");
            env.put("TWILIO_TEST_MODE", "true");
            env.put("TWILIO_VERIFIED_NUMBERS", CUSTOMER);
            env.put("TWILIO_API_BASE_URL", twilio.url("/").toString());
            env.put("OPENAI_API_KEY", "sk-test");
            env.put("OPENAI_BASE_URL", openai.url("/v1").toString());
            env.put("FRONTDESK_API_KEY", "staff-key");
            try (ExampleApp configured = ExampleApp.start(env, dir)) {
                Map<String, String> simEnv = new HashMap<>(env);
                simEnv.put("PORT", String.valueOf(configured.port()));
                simulate(simEnv, CUSTOMER, "Hi, I need help with my plumbing issue");
                assertThat(run(simEnv, "simulate-status", "--sid", String.format("SM%032x", 1), "--status", "delivered")).isZero();
                simulate(simEnv, "+15551112222", "Can someone look at my sink?");

                driver.get(configured.localUrl() + "#/settings");
                wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input"))).sendKeys("staff-key");
                driver.findElement(By.id("key-submit")).click();
                wait.until(ExpectedConditions.textToBe(By.id("twilio-status"), "Configured"));
                assertThat(driver.findElement(By.id("twilio-missing")).getText()).isEqualTo("None");
                assertThat(driver.findElement(By.id("twilio-mode")).getText()).startsWith("TEST");
                assertThat(driver.findElement(By.id("twilio-phone")).getText()).isEqualTo("+1555***4321");
                assertThat(driver.findElement(By.id("ai-status")).getText()).isEqualTo("Configured");
                assertThat(driver.findElement(By.id("ai-provider")).getText()).isEqualTo("openai");
                assertThat(driver.findElement(By.id("ai-model")).getText()).isEqualTo("gpt-4o-mini");
                screenshot("settings-configured");

                // The verified customer: the model's reply, delivered, with its delivery time; a reply from the box goes out.
                driver.findElement(By.id("nav-leads")).click();
                click(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] a.lead-link"));
                wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#thread .msg.outbound .status"), "data-status", "delivered"));
                assertThat(driver.findElement(By.cssSelector("#thread .msg.outbound .body")).getText())
                        .startsWith("Sorry to hear about the plumbing trouble!");
                assertThat(driver.findElement(By.cssSelector("#thread .msg.outbound .status")).getText()).isEqualTo("Delivered");
                assertThat(driver.findElement(By.cssSelector("#thread .msg.outbound .delivered")).getText()).contains("delivered");
                driver.findElement(By.id("send-text")).sendKeys("123 Main St works. We can be there tomorrow at 9am.");
                driver.findElement(By.id("send-button")).click();
                wait.until(d -> d.findElements(By.cssSelector("#thread .msg.outbound")).size() == 2);
                wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#thread .msg.outbound:last-child .status"), "data-status", "queued"));
                screenshot("lead-configured");

                // A staff message pauses the AI for this customer; the button hands the conversation back.
                wait.until(ExpectedConditions.textToBe(By.id("ai-toggle"), "Resume AI"));
                assertThat(driver.findElement(By.cssSelector("#lead-badges .badge-paused")).getText()).isEqualTo("AI paused");
                driver.findElement(By.id("ai-toggle")).click();
                wait.until(ExpectedConditions.textToBe(By.id("ai-toggle"), "Pause AI"));
                assertThat(driver.findElements(By.cssSelector("#lead-badges .badge-paused"))).isEmpty();

                // The unverified one: neither the reply nor a staff message reaches Twilio, and the page says why.
                driver.findElement(By.linkText("← All leads")).click();
                click(By.cssSelector(".lead-row[data-phone='+15551112222'] a.lead-link"));
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#thread .msg.outbound .msg-error"),
                        "test mode only texts verified numbers"));
                driver.findElement(By.id("send-text")).sendKeys("Hello from the office");
                driver.findElement(By.id("send-button")).click();
                wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("send-error"), "not verified"));
                screenshot("unverified");
                assertThat(twilio.getRequestCount()).as("the AI reply and the staff message to the verified customer").isEqualTo(2);
            }
        }
    }

    private static void simulate(String from, String body, String... more) {
        Map<String, String> env = new HashMap<>();
        env.put("PORT", String.valueOf(app.port()));
        simulate(env, from, body, more);
    }

    private static void simulate(Map<String, String> env, String from, String body, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("simulate", "--from", from, "--body", body, "--wait-seconds", "30"));
        args.addAll(List.of(more));
        assertThat(run(env, args.toArray(new String[0]))).isZero();
    }

    private static int run(Map<String, String> env, String... args) {
        return TestHttp.simulator(env, dir, args);
    }


    private static void screenshot(String name) throws IOException {
        File shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOTS.resolve("dashboard-" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
