package io.recap.caption.inference;

import io.recap.core.domain.ModelRef;
import io.recap.ml.captioner.CaptionerModel;

/** A captioner in memory together with the store version it came from. */
public record LoadedCaptioner(ModelRef ref, CaptionerModel model) {
}
