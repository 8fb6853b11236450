package dev.frontdesk.sms.example;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Serves the dashboard's static files from the jar ({@code /dashboard/} on the classpath): {@code /} and
 * {@code /index.html} give the page, {@code /assets/*} its script and style. Everything is local (no CDN);
 * the Content-Security-Policy lets the page load and call nothing but this server, and allows no inline
 * script, which also blunts any customer text that slipped through as HTML. Thread-safe.
 */
final class DashboardServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final String ROOT = "/dashboard";
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon");
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private final transient Map<String, byte[]> cache = new ConcurrentHashMap<>();

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (path.isEmpty() || path.equals("/")) {
            path = "/index.html";
        }
        if (path.contains("..") || path.contains("//")) {
            notFound(resp);
            return;
        }
        String ext = path.substring(path.lastIndexOf('.') + 1);
        String type = TYPES.get(ext);
        byte[] bytes = type == null ? null : load(path);
        if (bytes == null) {
            notFound(resp);
            return;
        }
        resp.setStatus(200);
        resp.setContentType(type);
        resp.setHeader("Cache-Control", "no-cache");
        resp.setHeader("X-Content-Type-Options", "nosniff");
        resp.setHeader("Referrer-Policy", "no-referrer");
        resp.setHeader("Content-Security-Policy", CSP);
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }

    private byte[] load(String path) throws IOException {
        byte[] cached = cache.get(path);
        if (cached != null) {
            return cached;
        }
        try (InputStream in = DashboardServlet.class.getResourceAsStream(ROOT + path)) {
            if (in == null) {
                return null;
            }
            byte[] bytes = in.readAllBytes();
            cache.put(path, bytes);
            return bytes;
        }
    }

    private static void notFound(HttpServletResponse resp) throws IOException {
        resp.setStatus(404);
        resp.setContentType("application/json");
        resp.getWriter().write(JsonErrors.body(404));
    }
}
