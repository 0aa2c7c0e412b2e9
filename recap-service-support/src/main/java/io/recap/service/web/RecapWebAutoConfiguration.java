package io.recap.service.web;

import org.apache.catalina.Container;
import org.apache.catalina.Pipeline;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/**
 * Web settings every RECAP service shares: errors that Tomcat answers on its own, before the application sees the
 * request, come out as problem+json ({@link ProblemErrorReportValve}) like the rest.
 */
@AutoConfiguration
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(ErrorReportValve.class)
public class RecapWebAutoConfiguration {

    @Bean
    WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> recapProblemErrorReports() {
        return new ProblemErrorReports();
    }

    /**
     * Puts {@link ProblemErrorReportValve} on the host in place of any other error report valve. Ordered last, so
     * that its context customizer runs after Spring Boot's, which adds a plain {@link ErrorReportValve}: with two,
     * the one nearer the end of the pipeline would write first.
     */
    static final class ProblemErrorReports implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>,
            Ordered {

        @Override
        public void customize(ConfigurableTomcatWebServerFactory factory) {
            factory.addContextCustomizers(context -> {
                Container host = context.getParent();
                Pipeline pipeline = host.getPipeline();
                for (Valve valve : pipeline.getValves()) {
                    if (valve instanceof ErrorReportValve && !(valve instanceof ProblemErrorReportValve)) {
                        pipeline.removeValve(valve);
                    }
                }
                pipeline.addValve(new ProblemErrorReportValve());
                if (host instanceof StandardHost standardHost) {
                    // Else the host adds Tomcat's own valve when it starts, finding none of the class it names.
                    standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }

        @Override
        public int getOrder() {
            return Ordered.LOWEST_PRECEDENCE;
        }
    }
}
