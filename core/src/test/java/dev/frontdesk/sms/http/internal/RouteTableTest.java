package dev.frontdesk.sms.http.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouteTableTest {
    private static final HttpRequest ANY = new HttpRequest() {
        @Override public String method() { return "GET"; }
        @Override public String path() { return "/"; }
        @Override public String rawQuery() { return null; }
        @Override public String header(String name) { return null; }
        @Override public long contentLength() { return 0; }
        @Override public InputStream body() { return InputStream.nullInputStream(); }
        @Override public String requestUrl() { return "http://localhost/"; }
    };

    private static RouteTable.Endpoint says(String what) {
        return (request, params) -> new HttpResponse(200, Map.of("X-Said", what + params), new byte[0]);
    }

    private final RouteTable routes = new RouteTable()
            .exact("GET", "/api/leads", says("list"))
            .pattern("GET", "/api/leads/([^/]*)/sms", says("history"))
            .pattern("GET", "/api/leads/([^/]+)", says("one"))
            .pattern("PATCH", "/api/leads/([^/]+)", says("patch"));

    @Test
    void methodAndPathPickTheEndpointWithItsPathParameters() {
        assertThat(routes.dispatch("GET", "/api/leads", ANY).headers()).containsEntry("X-Said", "list[]");
        assertThat(routes.dispatch("GET", "/api/leads/7/sms", ANY).headers()).containsEntry("X-Said", "history[7]");
        assertThat(routes.dispatch("PATCH", "/api/leads/7", ANY).headers()).containsEntry("X-Said", "patch[7]");
        assertThat(routes.dispatch("GET", "/api/leads/7", ANY).headers()).containsEntry("X-Said", "one[7]");
    }

    @Test
    void aPathOfOtherMethodsIs405NamingThemAllAndAnUnknownPathIs404() {
        assertThatThrownBy(() -> routes.dispatch("DELETE", "/api/leads/7", ANY)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.errorCode()).isEqualTo(ErrorCode.METHOD_NOT_ALLOWED);
            assertThat(e.headers()).containsEntry("Allow", "GET, PATCH");
            assertThat(e.getMessage()).isEqualTo("This endpoint answers GET, PATCH only, not DELETE.");
        });
        assertThatThrownBy(() -> routes.dispatch("POST", "/api/leads", ANY)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.headers()).containsEntry("Allow", "GET"));
        assertThatThrownBy(() -> routes.dispatch("GET", "/api/leads/", ANY)).isInstanceOfSatisfying(ApiError.class,
                e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(List.of(ErrorCode.NOT_FOUND.httpStatus(), ErrorCode.METHOD_NOT_ALLOWED.httpStatus())).containsExactly(404, 405);
    }
}
