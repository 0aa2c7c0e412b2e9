package io.recap.orchestrator.config;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code recap.orchestrator.promotion.require}: rules {@code kind:metric>=minimum} a version must meet to be promoted
 * (see {@code PromotionPolicy}); empty by default, so the local mode promotes what its own loop produced.
 */
@ConfigurationProperties("recap.orchestrator.promotion")
public record PromotionProperties(@DefaultValue List<String> require) {
}
