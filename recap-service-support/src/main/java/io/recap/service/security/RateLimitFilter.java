package io.recap.service.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * A token bucket per authenticated caller (an API key's name, a JWT's subject): {@code burst} calls at once, then
 * {@code perSecond} a second. A call with no token left is answered 429 with {@code Retry-After} (the whole seconds
 * until the next token) and does not run. Anonymous calls never get here with a right to run, and the probes are
 * not limited.
 */
final class RateLimitFilter extends OncePerRequestFilter {

    private final double perSecond;
    private final double burst;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimitFilter(double perSecond, int burst) {
        this.perSecond = perSecond;
        this.burst = burst;
    }

    private final class Bucket {
        private double tokens = burst;
        private long refilledAt = System.nanoTime();

        /** Takes a token; returns 0, or the seconds until one is there. */
        synchronized long take() {
            long now = System.nanoTime();
            tokens = Math.min(burst, tokens + (now - refilledAt) / 1e9 * perSecond);
            refilledAt = now;
            if (tokens >= 1) {
                tokens -= 1;
                return 0;
            }
            return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
        }
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication caller = SecurityContextHolder.getContext().getAuthentication();
        if (caller == null || !caller.isAuthenticated() || "anonymousUser".equals(caller.getPrincipal())) {
            chain.doFilter(request, response);
            return;
        }
        long wait = buckets.computeIfAbsent(caller.getName(), name -> new Bucket()).take();
        if (wait > 0) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(wait));
            ProblemSecurityHandlers.write(request, response, HttpStatus.TOO_MANY_REQUESTS,
                    "'" + caller.getName() + "' may make " + (int) burst + " calls at once and " + perSecond
                            + " a second after that; try again in " + wait + " s",
                    "RATE_LIMITED");
            return;
        }
        chain.doFilter(request, response);
    }
}
