package dev.frontdesk.sms.example;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Makes the errors Jetty answers on its own (oversized headers, form limits, bad requests, anything that
 * never reaches the servlet) JSON in the contract's shape, {@code {"error": {"code", "message"}}}, instead
 * of Jetty's HTML pages. The servlet's own errors are JSON already. Stateless and thread-safe.
 */
final class JsonErrors {
    private JsonErrors() {
    }

    /** For the server: errors raised before a request reaches a context (e.g. 431 header too large). */
    static org.eclipse.jetty.server.handler.ErrorHandler forServer() {
        return new org.eclipse.jetty.server.handler.ErrorHandler() {
            @Override
            protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                         List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
                return super.generateAcceptableResponse(request, response, callback, "application/json",
                        List.of(StandardCharsets.UTF_8), code, message, cause);
            }

            @Override
            protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
                writer.write(body(code));
            }
        };
    }

    /** For the servlet context: {@code sendError} and container errors inside it. */
    static org.eclipse.jetty.ee10.servlet.ErrorHandler forContext() {
        return new org.eclipse.jetty.ee10.servlet.ErrorHandler() {
            @Override
            protected boolean generateAcceptableResponse(Request request, Response response, Callback callback, String contentType,
                                                         List<Charset> charsets, int code, String message, Throwable cause) throws IOException {
                return super.generateAcceptableResponse(request, response, callback, "application/json",
                        List.of(StandardCharsets.UTF_8), code, message, cause);
            }

            @Override
            protected void writeErrorJson(Request request, PrintWriter writer, int code, String message, Throwable cause) {
                writer.write(body(code));
            }
        };
    }

    /** The error body for an HTTP status, with the contract's code and a sentence a person can act on. */
    static String body(int status) {
        String code;
        String message;
        switch (status) {
            case 400 -> { code = "invalid_request"; message = "The request could not be read; check its syntax and form fields."; }
            case 401 -> { code = "unauthorized"; message = "Send Authorization: Bearer <FRONTDESK_API_KEY>."; }
            case 403 -> { code = "forbidden"; message = "This request is not allowed."; }
            case 404 -> { code = "not_found"; message = "Nothing is served at this path."; }
            case 405 -> { code = "method_not_allowed"; message = "This path does not take that HTTP method."; }
            case 413 -> { code = "payload_too_large"; message = "The request body or form is too large; send less data."; }
            case 414 -> { code = "payload_too_large"; message = "The URL is too long; send less data in the query."; }
            case 415 -> { code = "unsupported_media_type"; message = "This content type is not accepted here."; }
            case 431 -> { code = "payload_too_large"; message = "The request headers are too large; send fewer or shorter headers."; }
            case 503 -> { code = "unavailable"; message = "The service is starting, stopping or overloaded; try again shortly."; }
            default -> {
                code = status >= 500 ? "internal_error" : "invalid_request";
                message = status >= 500 ? "Something went wrong on the server; the log has the details." : "The request was refused (HTTP " + status + ").";
            }
        }
        return "{\"error\":{\"code\":\"" + code + "\",\"message\":\"" + message + "\"}}";
    }
}
