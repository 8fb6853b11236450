package dev.frontdesk.sms.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;

/**
 * POSTs over a connection of its own that is closed afterwards ({@code Connection: close}), for the
 * property tests: hostile requests that the server refuses before reading their body make it close the
 * connection, and a pooled client would then sometimes lose the next request on that stale connection.
 */
final class OneShotHttp {
    private OneShotHttp() {
    }

    static HttpResponse<String> post(URI uri, Map<String, String> headers, byte[] body) {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Connection", "close");
            headers.forEach(c::setRequestProperty);
            c.setFixedLengthStreamingMode(body.length);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body);
            } catch (IOException e) {
                // the server may answer (413) and close before the whole body is written; read its answer
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, List<String>> h = new LinkedHashMap<>();
            c.getHeaderFields().forEach((k, v) -> {
                if (k != null) {
                    h.put(k, v);
                }
            });
            c.disconnect();
            HttpHeaders responseHeaders = HttpHeaders.of(h, (a, b) -> true);
            return new HttpResponse<>() {
                @Override public int statusCode() { return status; }
                @Override public HttpRequest request() { return HttpRequest.newBuilder(uri).build(); }
                @Override public Optional<HttpResponse<String>> previousResponse() { return Optional.empty(); }
                @Override public HttpHeaders headers() { return responseHeaders; }
                @Override public String body() { return text; }
                @Override public Optional<SSLSession> sslSession() { return Optional.empty(); }
                @Override public URI uri() { return uri; }
                @Override public HttpClient.Version version() { return HttpClient.Version.HTTP_1_1; }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
