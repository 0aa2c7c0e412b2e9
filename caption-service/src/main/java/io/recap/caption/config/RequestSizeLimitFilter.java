package io.recap.caption.config;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses bodies larger than the service could ever accept before anything reads them, so a
 * 30 MB JSON upload costs nothing. Multipart uploads are bounded by the servlet's own limits.
 */
class RequestSizeLimitFilter extends OncePerRequestFilter {

    private final long maxBodyBytes;

    RequestSizeLimitFilter(long maxBodyBytes) {
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (request.getContentLengthLong() > maxBodyBytes) {
            response.setStatus(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE);
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.getWriter().write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,"
                    + "\"detail\":\"request body of " + request.getContentLengthLong() + " bytes exceeds the limit of "
                    + maxBodyBytes + " bytes\",\"reason\":\"TOO_LARGE_BYTES\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
