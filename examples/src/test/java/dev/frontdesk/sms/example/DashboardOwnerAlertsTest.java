package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The lead page lists the owner alerts, in a real browser (headless Chromium through ChromeDriver), against the example
 * app with {@code OWNER_PHONE_NUMBER} and no Twilio credentials (the console gateway "sends" the alerts). A customer
 * asking for a person gets a {@code handoff} alert; staff completing the booking details on the page get a
 * {@code qualified} one, shown without reloading. Skips without Chromium unless {@code FRONTDESK_REQUIRE_BROWSER=true}.
 */
class DashboardOwnerAlertsTest {
    private static final String CUSTOMER = "+15552223333";

    @TempDir
    static Path dir;
    static ExampleApp app;
    static HeadlessChromium browser;
    static WebDriver driver;
    static WebDriverWait wait;

    @BeforeAll
    static void start() throws Exception {
        browser = HeadlessChromium.startOrSkip(dir, false);
        driver = browser.driver;
        Map<String, String> env = new HashMap<>();
        env.put("PORT", "0");
        env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
        env.put("BUSINESS_NAME", "Joe's Plumbing");
        env.put("OWNER_PHONE_NUMBER", "+15559990000");
        app = ExampleApp.start(env, dir);
        wait = new WebDriverWait(driver, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
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

    @Test
    void theLeadPageShowsTheAlertsSentToTheOwner() {
        Map<String, String> simEnv = new HashMap<>();
        simEnv.put("PORT", String.valueOf(app.port()));
        assertThat(TestHttp.simulator(simEnv, dir, List.of("simulate", "--from", CUSTOMER, "--body",
                "Can I talk to a real person please?", "--wait-seconds", "30").toArray(new String[0]))).isZero();

        driver.get(app.localUrl());
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("key-input"))).sendKeys(app.apiKey());
        driver.findElement(By.id("key-submit")).click();
        click(By.cssSelector(".lead-row[data-phone='" + CUSTOMER + "'] a.lead-link"));
        WebElement handoff = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts-list li[data-reason='handoff'][data-status='sent']")));
        assertThat(handoff.getText()).startsWith("Asked for a person · texted to the owner ");
        assertThat(driver.findElements(By.cssSelector("#alerts-list li[data-reason]"))).hasSize(1);

        // Staff fill in the rest of the booking details: the lead is fully qualified, the owner is told once.
        for (String[] f : new String[][] {{"q-name", "Sam Lee"}, {"q-service", "Leaking tap"}, {"q-address", "12 Elm St"},
                {"q-preferredTime", "Friday 9am"}}) {
            driver.findElement(By.id(f[0])).sendKeys(f[1]);
        }
        click(By.id("qual-save"));
        WebElement qualified = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#alerts-list li[data-reason='qualified'][data-status='sent']")));
        assertThat(qualified.getText()).startsWith("Fully qualified · texted to the owner ");
        assertThat(driver.findElements(By.cssSelector("#alerts-list li[data-reason]"))).hasSize(2);
    }

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
}
