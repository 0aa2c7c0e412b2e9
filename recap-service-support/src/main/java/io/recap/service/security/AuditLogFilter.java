package io.recap.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * One line on the {@code recap.audit} logger for every call that may change something (any method but GET, HEAD
 * and OPTIONS), refused ones included: who, their roles, what, on which resource, and the answer. It sits after
 * authentication and before authorization, so it knows the caller and sees the 403 of a wrong role; a call whose
 * credentials were refused before it is logged by {@link ProblemSecurityHandlers}.
 */
final class AuditLogFilter extends OncePerRequestFilter {

    static final Logger AUDIT = LoggerFactory.getLogger("recap.audit");
    private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");
    private static final String AUDITED = AuditLogFilter.class.getName() + ".audited";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!mutating(request)) {
            chain.doFilter(request, response);
            return;
        }
        request.setAttribute(AUDITED, Boolean.TRUE);
        String[] caller = caller();
        try {
            chain.doFilter(request, response);
        } finally {
            log(request, caller, response.getStatus());
        }
    }

    static boolean mutating(HttpServletRequest request) {
        return !READS.contains(request.getMethod());
    }

    /** For a refusal answered before this filter ran: logs it unless this filter already does. */
    static void logRefusal(HttpServletRequest request, int status) {
        if (mutating(request) && request.getAttribute(AUDITED) == null) {
            log(request, new String[] {"anonymous", "-"}, status);
        }
    }

    private static void log(HttpServletRequest request, String[] caller, int status) {
        AUDIT.info("audit principal={} roles={} action={} {} status={} remote={}", caller[0], caller[1],
                request.getMethod(), request.getRequestURI(), status, request.getRemoteAddr());
    }

    private static String[] caller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated()
                || "anonymousUser".equals(authentication.getPrincipal())) {
            return new String[] {"anonymous", "-"};
        }
        String roles = authentication.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .map(a -> a.startsWith("ROLE_") ? a.substring(5).toLowerCase(Locale.ROOT) : a)
                .sorted().collect(Collectors.joining(","));
        return new String[] {authentication.getName(), roles.isEmpty() ? "-" : roles};
    }
}
