package io.recap.service.security;

import io.recap.core.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;

/**
 * 401, 403 and requests the firewall rejects (400: {@code ..}, {@code %2e}, {@code ;}, {@code //} in the path) as
 * problem+json with a {@code reason}, like every other error of the platform: the security filters answer before
 * Spring MVC, so its problem handler never sees these.
 */
final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean presented = ApiKeyAuthenticationFilter.presentedKey(request).isPresent()
                || request.getHeader(HttpHeaders.AUTHORIZATION) != null;
        String reason = !presented ? "UNAUTHENTICATED"
                : e instanceof InvalidBearerTokenException ? "INVALID_TOKEN" : "INVALID_CREDENTIALS";
        String detail = !presented
                ? "this endpoint needs an API key (X-API-Key or Authorization: Bearer) or a bearer token"
                : "the credentials were refused: " + e.getMessage();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"recap\"");
        AuditLogFilter.logRefusal(request, HttpStatus.UNAUTHORIZED.value());
        write(request, response, HttpStatus.UNAUTHORIZED, detail, reason);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        write(request, response, HttpStatus.FORBIDDEN,
                request.getMethod() + " " + request.getRequestURI() + " needs a role this caller does not have",
                "FORBIDDEN_ROLE");
    }

    /** Spring Security's own answer would be a bare 400 rendered by the servlet container's error page. */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        write(request, response, HttpStatus.BAD_REQUEST, e.getMessage(), "REQUEST_REJECTED");
    }

    static void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status,
            String detail, String reason) throws IOException {
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", status.getReasonPhrase());
        problem.put("status", status.value());
        problem.put("detail", detail);
        problem.put("instance", request.getRequestURI());
        problem.put("reason", reason);
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(Json.mapper().writeValueAsBytes(problem));
    }
}
