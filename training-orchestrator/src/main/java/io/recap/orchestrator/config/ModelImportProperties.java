package io.recap.orchestrator.config;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * Imports of TorchScript models ({@code recap.orchestrator.model-import.*}).
 *
 * @param maxBytes the largest zip {@code POST /models/{kind}/import} accepts, and the most its files may hold
 *        unpacked (a Stable Diffusion 1.x export in float32 is a few GB)
 * @param maxFiles the most files the zip may hold (an imported model has at most six)
 */
@ConfigurationProperties("recap.orchestrator.model-import")
public record ModelImportProperties(
        @DefaultValue("8GB") DataSize maxBytes,
        @DefaultValue("16") int maxFiles) {

    public ModelImportProperties {
        if (maxBytes.toBytes() < 1 || maxFiles < 1) {
            throw new IllegalArgumentException("recap.orchestrator.model-import limits must be positive");
        }
    }
}
