package dev.frontdesk.sms.http.internal;

import dev.frontdesk.sms.ErrorCode;
import dev.frontdesk.sms.internal.LogSafe;
import dev.frontdesk.sms.http.HttpRequest;
import dev.frontdesk.sms.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Method and path pattern to endpoint. A path matching no route is 404 {@code not_found}; a path whose routes all
 * take other methods is 405 {@code method_not_allowed} with {@code Allow}, before the endpoint sees anything (key,
 * body). Routes are tried in the order added. Built once, then read only: thread-safe after construction.
 */
public final class RouteTable {

    /** One endpoint: answers a request whose path matched, given the pattern's groups in order. */
    @FunctionalInterface
    public interface Endpoint {
        HttpResponse handle(HttpRequest request, List<String> pathParams);
    }

    private record Route(String method, Pattern path, Endpoint endpoint) {
    }

    private final List<Route> routes = new ArrayList<>();

    /** Adds a route for exactly {@code path}. */
    public RouteTable exact(String method, String path, Endpoint endpoint) {
        return add(method, Pattern.compile(Pattern.quote(path)), endpoint);
    }

    /** Adds a route for paths matching {@code regex} whole; its groups are the endpoint's path parameters. */
    public RouteTable pattern(String method, String regex, Endpoint endpoint) {
        return add(method, Pattern.compile(regex), endpoint);
    }

    private RouteTable add(String method, Pattern path, Endpoint endpoint) {
        routes.add(new Route(Objects.requireNonNull(method, "method"), path, Objects.requireNonNull(endpoint, "endpoint")));
        return this;
    }

    /**
     * Answers with the endpoint of the first route matching both method and path.
     *
     * @param method upper case
     * @throws ApiError 404 or 405 when no route takes the request
     */
    public HttpResponse dispatch(String method, String path, HttpRequest request) {
        StringJoiner allowed = new StringJoiner(", ");
        for (Route route : routes) {
            Matcher m = route.path().matcher(path);
            if (!m.matches()) {
                continue;
            }
            if (route.method().equals(method)) {
                List<String> params = new ArrayList<>(m.groupCount());
                for (int i = 1; i <= m.groupCount(); i++) {
                    params.add(m.group(i));
                }
                return route.endpoint().handle(request, List.copyOf(params));
            }
            allowed.add(route.method());
        }
        if (allowed.length() > 0) {
            throw new ApiError(ErrorCode.METHOD_NOT_ALLOWED, "This endpoint answers " + allowed + " only, not "
                    + LogSafe.truncate(method, 20) + ".", Map.of("Allow", allowed.toString()));
        }
        throw new ApiError(ErrorCode.NOT_FOUND, "There is no endpoint at " + LogSafe.truncate(path, 100)
                + "; the API's paths start with /api/ (see the README).");
    }
}
