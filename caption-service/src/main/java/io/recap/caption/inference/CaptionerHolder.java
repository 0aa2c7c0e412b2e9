package io.recap.caption.inference;

import io.recap.caption.config.CaptionServiceProperties;
import io.recap.core.domain.ModelKind;
import io.recap.core.model.ModelStore;
import io.recap.ml.captioner.Captioner;
import io.recap.ml.runtime.DjlRuntime;
import io.recap.service.model.PromotedModelHolder;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The captioner this service serves, the platform's own or an imported TorchScript one: the pinned version ({@code recap.caption.model}) or else the
 * promoted one, re-checked on a timer so a promotion is picked up. Its health ("captioner") is
 * part of readiness.
 */
@Component("captioner")
public class CaptionerHolder extends PromotedModelHolder<Captioner> {

    public CaptionerHolder(ModelStore store, CaptionServiceProperties properties) {
        super(store, ModelKind.CAPTIONER, properties.model(), Captioner::load);
        // Before the first model loads the engine: the batcher's workers share the cores.
        DjlRuntime.shareCoresAmong(properties.workers());
    }

    /** The side of the square images the loaded captioner takes. */
    public int inputSize() {
        return withModel((ref, model) -> model.inputSize());
    }

    @Override
    @Scheduled(initialDelay = 0, fixedDelayString = "${recap.caption.model-poll-interval:10s}")
    public void refresh() {
        super.refresh();
    }
}
