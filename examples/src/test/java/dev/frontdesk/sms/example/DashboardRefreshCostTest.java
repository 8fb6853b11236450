package dev.frontdesk.sms.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Issue #19's table row "dashboard leads page, per refresh", at 1,000 leads of 10 messages each on H2: what one
 * refresh of the leads page costs in requests and bytes (Chromium's network log), and, in the same run and the same
 * browser, what the page before issue #19 asked for per 5 s refresh (the list, the history of each of the first 50
 * leads, the status), replayed with the same fetch calls. Prints one {@code DASHBOARD-REFRESH} line per page; the
 * figures go to BENCHMARKS.md.
 */
class DashboardRefreshCostTest {
    private static final int LEADS = 1000;
    private static final int ROUNDS = 20;

    @Test
    void oneRefreshIsOneRequestAt1000Leads(@TempDir Path dir) throws Exception {
        try (HeadlessChromium browser = HeadlessChromium.startOrSkip(dir, true)) {
            Map<String, String> env = new HashMap<>();
            env.put("PORT", "0");
            env.put("DATABASE_URL", "jdbc:h2:file:" + dir.resolve("db").resolve("frontdesk"));
            try (ExampleApp app = ExampleApp.start(env, dir)) {
                DashboardLiveTest.seed(app.dataSource(), LEADS, 10);
                JavascriptExecutor js = browser.driver;
                WebDriverWait wait = new WebDriverWait(browser.driver, Duration.ofSeconds(30));
                NetworkLog network = new NetworkLog(browser.driver);
                DashboardLiveTest.open(browser.driver, app.localUrl(), app.apiKey());
                wait.until(d -> d.findElements(By.cssSelector(".lead-row")).size() == DashboardLiveTest.PAGE);
                wait.until(d -> "live".equals(d.findElement(By.id("live-status")).getAttribute("data-state")));

                // The page's own refresh (what a change on the stream or the fallback poll runs).
                List<Long> pageBytes = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    int mark = network.mark();
                    browser.driver.findElement(By.cssSelector("button[data-filter='']")).click();
                    List<NetworkLog.Request> one = wait.until(d -> {
                        List<NetworkLog.Request> r = network.apiSince(mark);
                        return !r.isEmpty() && r.stream().allMatch(q -> network.bytes(q) >= 0) ? r : null;
                    });
                    assertThat(one).extracting(NetworkLog.Request::toString).containsExactly("GET /api/leads?limit=" + DashboardLiveTest.PAGE);
                    pageBytes.add(network.bytes(one.get(0)));
                }

                Cost now = replay(js, network, "api/leads?limit=" + DashboardLiveTest.PAGE, false);
                Cost before = replay(js, network, "api/leads", true);
                System.out.printf("DASHBOARD-REFRESH leads=%d page=issue19 requests=%d bytes=%d (page's own refresh: %s) p50=%.1f ms%n",
                        LEADS, now.requests, now.bytes, pageBytes, now.p50Millis);
                System.out.printf("DASHBOARD-REFRESH leads=%d page=before requests=%d bytes=%d p50=%.1f ms%n",
                        LEADS, before.requests, before.bytes, before.p50Millis);
                assertThat(now.requests).isEqualTo(1);
                assertThat(before.requests).isEqualTo(52);
                assertThat(now.bytes).isLessThan(before.bytes);
            }
        }
    }

    record Cost(int requests, long bytes, double p50Millis) {
    }

    /** {@value #ROUNDS} refreshes done with fetch in the page: requests and bytes of the last, the median time. */
    private static Cost replay(JavascriptExecutor js, NetworkLog network, String listPath, boolean perLeadHistory) {
        List<Double> millis = new ArrayList<>();
        int mark = 0;
        for (int round = 0; round < ROUNDS; round++) {
            mark = network.mark();
            Object took = js.executeAsyncScript("""
                    const [listPath, perLead, done] = arguments;
                    const headers = { 'Accept': 'application/json', 'Authorization': 'Bearer ' + sessionStorage.getItem('frontdesk.apiKey') };
                    const get = (p) => fetch(p, { headers, cache: 'no-store' }).then((r) => r.json());
                    const t0 = performance.now();
                    (async () => {
                      const leads = (await get(listPath)).leads;
                      if (perLead) {
                        await Promise.all(leads.slice(0, 50).map((l) => get('api/leads/' + l.id + '/sms')));
                        await get('api/twilio/status');
                      }
                      done(performance.now() - t0);
                    })().catch((e) => done(-1));""", listPath, perLeadHistory);
            assertThat(((Number) took).doubleValue()).isPositive();
            millis.add(((Number) took).doubleValue());
        }
        List<NetworkLog.Request> last = network.apiSince(mark);
        long bytes = last.stream().mapToLong(network::bytes).sum();
        Collections.sort(millis);
        return new Cost(last.size(), bytes, (millis.get(ROUNDS / 2 - 1) + millis.get(ROUNDS / 2)) / 2);
    }
}
