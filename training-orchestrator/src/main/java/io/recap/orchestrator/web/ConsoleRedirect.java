package io.recap.orchestrator.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code /console} and {@code /console/} open the web console, whose page is the static
 * {@code static/console/index.html} in this jar (Spring serves a folder's index only at the root).
 */
@Configuration(proxyBeanMethods = false)
class ConsoleRedirect implements WebMvcConfigurer {

    @Override
    public void addViewControllers(ViewControllerRegistry registry) {
        registry.addRedirectViewController("/console", "/console/index.html");
        registry.addRedirectViewController("/console/", "/console/index.html");
    }
}
