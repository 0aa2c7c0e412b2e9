package io.recap.service.security;

import io.recap.core.security.ApiKeys;
import io.recap.core.security.Role;
import java.net.URI;
import java.net.http.HttpRequest;

/**
 * The API keys the services' tests call them with (this module's test jar): fixed, so that every test class of a
 * module configures the same keys and Spring's test-context cache still shares one application.
 */
public final class TestApiKeys {

    /** Allowed everything. */
    public static final String ADMIN = "recap_test-admin-key";
    /** Allowed to read only. */
    public static final String VIEWER = "recap_test-viewer-key";
    /** Allowed to caption and generate, and to read. */
    public static final String USER = "recap_test-user-key";
    /** Allowed to ingest, export and run jobs, and what users may. */
    public static final String OPERATOR = "recap_test-operator-key";

    private TestApiKeys() {
    }

    /** The value of {@code recap.security.api-keys} that makes a service accept the four keys. */
    public static String property() {
        return String.join(",", ApiKeys.entry("test-admin", Role.ADMIN, ADMIN).line(),
                ApiKeys.entry("test-viewer", Role.VIEWER, VIEWER).line(),
                ApiKeys.entry("test-user", Role.USER, USER).line(),
                ApiKeys.entry("test-operator", Role.OPERATOR, OPERATOR).line());
    }

    /** A request builder that presents the admin key. */
    public static HttpRequest.Builder request(URI uri) {
        return HttpRequest.newBuilder(uri).header(ApiKeyAuthenticationFilter.HEADER, ADMIN);
    }

    /** A request builder that presents {@code key}. */
    public static HttpRequest.Builder request(URI uri, String key) {
        return HttpRequest.newBuilder(uri).header(ApiKeyAuthenticationFilter.HEADER, key);
    }
}
