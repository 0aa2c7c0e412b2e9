package io.recap.shapesml.captioner.pipeline;

import io.recap.ml.captioner.CaptionerConfig;
import io.recap.ml.captioner.CaptionerTrainingPreset;
import io.recap.ml.captioner.DecodingOptions;
import io.recap.shapesml.captioner.data.CaptionerCorpus;
import java.util.List;
import java.util.Locale;

/**
 * Everything one captioner pipeline run needs besides seeds and paths.
 *
 * @param name preset name ({@code smoke}, {@code small}, {@code paper})
 * @param corpusScenes scenes in the generated corpus (human + eval + train)
 * @param humanScenes scenes of the human split (the paper's 100)
 * @param evalScenes held-out scenes the quality table is measured on
 * @param imageSize corpus image side
 * @param captioner captioner architecture
 * @param pretrainScenes train-split scenes whose terse captions pretrain the base captioner
 * @param pretraining pretraining hyper-parameters
 * @param fineTuning RECAP fine-tuning hyper-parameters (batches half SHORT, half LONG)
 * @param rerender fine-tuning copies are re-rendered with fresh jitter (else the same PNG)
 * @param rehearsal share of each fine-tuning batch drawn from the pretraining captions (0: the human
 *     SHORT/LONG mix only), so that fine-tuning on 100 images does not wear away what pretraining taught
 * @param frozenParts parameter-path parts fine-tuning leaves untouched (e.g. {@code imageEncoder}: keep the
 *     pretrained visual features); empty to train everything
 * @param styleTokensFrom the SHORT and LONG style tokens start fine-tuning as copies of this pretraining style's
 *     token ({@code reference}, {@code terse} or {@code grounded}), or of two, SHORT's first
 *     ({@code reference,grounded}); empty: as the base left them
 * @param shortDecoding how SHORT (and terse) captions are decoded
 * @param longDecoding how LONG captions are decoded
 */
public record CaptionerPipelinePreset(
        String name,
        int corpusScenes,
        int humanScenes,
        int evalScenes,
        int imageSize,
        CaptionerConfig captioner,
        int pretrainScenes,
        CaptionerTrainingPreset pretraining,
        CaptionerTrainingPreset fineTuning,
        boolean rerender,
        float rehearsal,
        List<String> frozenParts,
        String styleTokensFrom,
        DecodingOptions shortDecoding,
        DecodingOptions longDecoding) {

    public CaptionerPipelinePreset {
        frozenParts = List.copyOf(frozenParts);
        styleTokensFrom = styleTokensFrom == null ? "" : styleTokensFrom;
        if (humanScenes < 1 || evalScenes < 1 || corpusScenes <= humanScenes + evalScenes || pretrainScenes < 1
                || !(rehearsal >= 0 && rehearsal < 1)) {
            throw new IllegalArgumentException("preset " + name + " needs human, eval and train scenes");
        }
    }

    /** The pretraining style whose token the SHORT token starts fine-tuning from ("" for none). */
    public String shortTokenFrom() {
        return styleTokensFrom.split(",", -1)[0].strip();
    }

    /** The pretraining style whose token the LONG token starts fine-tuning from ("" for none). */
    public String longTokenFrom() {
        String[] sources = styleTokensFrom.split(",", -1);
        return sources[sources.length - 1].strip();
    }

    /** Seconds: a 64-scene 32x32 corpus, the smoke captioner, a few dozen steps. For tests. */
    public static CaptionerPipelinePreset smoke() {
        return new CaptionerPipelinePreset("smoke", 64, 16, 16, 32, CaptionerConfig.smoke(), 32,
                new CaptionerTrainingPreset("smoke-pretrain", 30, 16, 2e-3f, 1e-4f, 5, 1f, 0.1f, 10, 7),
                new CaptionerTrainingPreset("smoke-finetune", 20, 16, 1e-3f, 1e-4f, 2, 1f, 0.1f, 10, 7),
                true, 0f, List.of(), CaptionerCorpus.REFERENCE, DecodingOptions.greedy().withMaxTokens(24), DecodingOptions.greedy().withMaxTokens(24));
    }

    /**
     * About 100 minutes of one CPU core: 40,000 train scenes of 64x64, the small captioner (width
     * 128, 3 layers), 20,000 pretraining steps on terse, reference and grounded captions, then 1,200
     * RECAP fine-tuning steps at lr 2e-4, 90% of each batch rehearsing pretraining captions, that
     * leave the pretrained image encoder frozen and start the SHORT style token from the reference
     * one and the LONG token from the grounded one; LONG decoded with beam 3, no 4-gram twice.
     * 40,000 scenes, not 10,000: on 10,000 the base saw each image 64 times and learned them rather
     * than to see (names every object 88.8% on held-out scenes against 98.2%).
     * docs/captioner/quality.md has what it reaches and what else was tried.
     */
    public static CaptionerPipelinePreset small() {
        return new CaptionerPipelinePreset("small", 40_600, 100, 500, 64, CaptionerConfig.small(), 40_000,
                new CaptionerTrainingPreset("small-pretrain", 20_000, 32, 1e-3f, 5e-5f, 100, 1f, 0.1f, 100, 7),
                new CaptionerTrainingPreset("small-finetune", 1200, 32, 2e-4f, 6e-6f, 20, 1f, 0.1f, 100, 7),
                true, 0.9f, List.of("imageEncoder"), CaptionerCorpus.REFERENCE + "," + CaptionerCorpus.GROUNDED,
                DecodingOptions.greedy(),
                DecodingOptions.beam(3).withNoRepeatNgram(4));
    }

    /**
     * The paper's fine-tuning (300 steps, lr 4e-5, batch 64, dropout 0.1, 50/50 SHORT/LONG, the
     * 100 human images) on top of a larger base pretrained on 100,000 scenes; for a GPU. The
     * pretraining values are ours (the paper starts from PaLI, pretrained elsewhere). As in
     * {@link #small()}, SHORT starts from the reference style token and LONG from the grounded one
     * (measured at {@code small} only: LONG size/position recall 0.58/0.54 from reference, 0.85/0.85
     * from grounded).
     */
    public static CaptionerPipelinePreset paper() {
        return new CaptionerPipelinePreset("paper", 100_600, 100, 500, 64, CaptionerConfig.defaults(), 100_000,
                new CaptionerTrainingPreset("paper-pretrain", 30_000, 64, 5e-4f, 2e-5f, 1000, 1f, 0.1f, 250, 7),
                CaptionerTrainingPreset.paper(),
                true, 0f, List.of(), CaptionerCorpus.REFERENCE + "," + CaptionerCorpus.GROUNDED,
                DecodingOptions.greedy(),
                DecodingOptions.beam(3).withNoRepeatNgram(4));
    }

    public static CaptionerPipelinePreset byName(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "smoke" -> smoke();
            case "small" -> small();
            case "paper" -> paper();
            default -> throw new IllegalArgumentException("unknown preset " + name + "; use smoke, small or paper");
        };
    }

    public CaptionerPipelinePreset withPretraining(CaptionerTrainingPreset training) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, captioner,
                pretrainScenes, training, fineTuning, rerender, rehearsal, frozenParts, styleTokensFrom, shortDecoding, longDecoding);
    }

    public CaptionerPipelinePreset withFineTuning(CaptionerTrainingPreset training) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, captioner,
                pretrainScenes, pretraining, training, rerender, rehearsal, frozenParts, styleTokensFrom, shortDecoding, longDecoding);
    }

    public CaptionerPipelinePreset withCaptioner(CaptionerConfig config) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, config,
                pretrainScenes, pretraining, fineTuning, rerender, rehearsal, frozenParts, styleTokensFrom, shortDecoding, longDecoding);
    }

    public CaptionerPipelinePreset withDecoding(DecodingOptions shortOptions, DecodingOptions longOptions) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, captioner,
                pretrainScenes, pretraining, fineTuning, rerender, rehearsal, frozenParts, styleTokensFrom, shortOptions, longOptions);
    }

    public CaptionerPipelinePreset withFineTuningStart(List<String> frozen, String styleTokensFromStyle) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, captioner,
                pretrainScenes, pretraining, fineTuning, rerender, rehearsal, frozen, styleTokensFromStyle, shortDecoding,
                longDecoding);
    }

    public CaptionerPipelinePreset withData(int corpus, int pretrain, int eval, boolean rerenderCopies) {
        return new CaptionerPipelinePreset(name, corpus, humanScenes, eval, imageSize, captioner,
                pretrain, pretraining, fineTuning, rerenderCopies, rehearsal, frozenParts, styleTokensFrom, shortDecoding, longDecoding);
    }

    /** The same preset with {@code share} of every fine-tuning batch drawn from the pretraining captions. */
    public CaptionerPipelinePreset withRehearsal(float share) {
        return new CaptionerPipelinePreset(name, corpusScenes, humanScenes, evalScenes, imageSize, captioner,
                pretrainScenes, pretraining, fineTuning, rerender, share, frozenParts, styleTokensFrom, shortDecoding,
                longDecoding);
    }
}
