package io.recap.service.web;

import io.recap.core.json.Json;
import java.io.IOException;
import java.io.Writer;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;

/**
 * Tomcat refuses some requests itself, before any filter or servlet of the application runs: a path with an encoded
 * slash or backslash, an encoded NUL, or bytes that are not UTF-8. Its own report of such an error is an HTML page;
 * this valve writes the platform's problem+json instead, with a {@code reason} named after the status, so that every
 * refusal a client gets has one shape. Installed on the host in place of Tomcat's valve by
 * {@link RecapWebAutoConfiguration}.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // As the base class: only an error, only once, and never over a body already begun.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        String title = known == null ? "HTTP " + status : known.getReasonPhrase();
        String message = response.getMessage();
        Map<String, Object> problem = new LinkedHashMap<>();
        problem.put("type", "about:blank");
        problem.put("title", title);
        problem.put("status", status);
        problem.put("detail", message == null || message.isBlank()
                ? "the server refused the request before reading it" : message);
        if (request.getRequestURI() != null) {
            problem.put("instance", request.getRequestURI());
        }
        problem.put("reason", known == null ? "HTTP_" + status : known.name());
        try {
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write(Json.mapper().writeValueAsString(problem));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone or the response was committed meanwhile: nothing more to tell the client.
        }
    }
}
