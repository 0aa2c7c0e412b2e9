package io.recap.generation.inference;

import io.recap.core.domain.ModelKind;
import io.recap.core.model.ModelStore;
import io.recap.generation.config.GenerationServiceProperties;
import io.recap.ml.diffusion.TextToImage;
import io.recap.service.model.PromotedModelHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The text-to-image model this service serves, the platform's own or an imported TorchScript pipeline: pinned
 * ({@code recap.generation.model}) or the promoted one, re-checked on a timer. Its health ("textToImage") is part of readiness.
 */
@Component("textToImage")
public class TextToImageHolder extends PromotedModelHolder<TextToImage> {

    public TextToImageHolder(ModelStore store, GenerationServiceProperties properties) {
        super(store, ModelKind.TEXT_TO_IMAGE, properties.model(), TextToImage::load);
    }

    @Override
    @Scheduled(initialDelay = 0, fixedDelayString = "${recap.generation.model-poll-interval:10s}")
    public void refresh() {
        super.refresh();
    }
}
