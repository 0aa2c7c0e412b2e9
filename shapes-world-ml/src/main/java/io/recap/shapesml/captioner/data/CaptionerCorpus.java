package io.recap.shapesml.captioner.data;

import io.recap.ml.captioner.CaptionBatchSource;
import io.recap.ml.captioner.CaptionExample;
import io.recap.ml.text.Vocabulary;
import io.recap.shapes.corpus.CorpusEntry;
import io.recap.shapes.corpus.CorpusGenerator;
import io.recap.shapes.corpus.CorpusInfo;
import io.recap.shapes.corpus.CorpusManifest;
import io.recap.shapes.corpus.Json;
import io.recap.shapes.corpus.Split;
import io.recap.shapes.text.GroundedCaptionWriter;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A ShapesWorld corpus as the captioner sees it: its vocabulary, the pretraining and RECAP
 * fine-tuning batch sources, and the held-out evaluation scenes. Images are read from the
 * corpus's PNGs when a source or evaluation set is made, and kept in memory (16 KiB each at 64x64).
 */
public final class CaptionerCorpus {

    /** Style token of the RECAP SHORT captions (the name {@code CaptionStyle.SHORT} is served under). */
    public static final String SHORT = "short";
    /** Style token of the RECAP LONG captions (the name {@code CaptionStyle.LONG} is served under). */
    public static final String LONG = "long";
    /** Style token of the terse pretraining captions: a third prefix, so they never pass for SHORT. */
    public static final String TERSE = "terse";
    /** Every style a captioner trained here knows, in vocabulary order. */
    /**
     * Style token of the reference captions (the MS-COCO analogue, several per scene, sizes and
     * positions sometimes): pretraining sees them too, as PaLI saw COCO, so the base captioner
     * knows every attribute word and how captions are phrased before it meets the human set.
     */
    public static final String REFERENCE = "reference";
    /**
     * Style token of the grounded pretraining captions (every object with count, size, colour,
     * shape and cells in one fixed wording, the analogue of PaLI's localisation tasks): the base
     * learns to see where and how big each object is, which LONG captions must then say.
     */
    public static final String GROUNDED = "grounded";
    public static final List<String> STYLES = List.of(SHORT, LONG, TERSE, REFERENCE, GROUNDED);
    /** Words seen fewer times across the corpus's texts are left out (alt-text file names, typos). */
    public static final int MIN_WORD_FREQUENCY = 2;

    private final CorpusManifest manifest;
    private final CorpusInfo info;

    private CaptionerCorpus(CorpusManifest manifest, CorpusInfo info) {
        this.manifest = manifest;
        this.info = info;
    }

    /** Reads a corpus directory written by {@link CorpusGenerator}. */
    public static CaptionerCorpus read(Path directory) throws IOException {
        CorpusManifest manifest = CorpusManifest.read(directory);
        CorpusInfo info = Json.MAPPER.readValue(directory.resolve(CorpusGenerator.INFO).toFile(), CorpusInfo.class);
        return new CaptionerCorpus(manifest, info);
    }

    /** The corpus's identity in lineage: {@code shapes-s<seed>-n<count>}, which regenerates it exactly. */
    public String id() {
        return "shapes-s" + info.seed() + "-n" + info.count();
    }

    /** The human split's identity in lineage. */
    public String humanSetId() {
        return id() + "/human-" + info.humanCount();
    }

    public CorpusInfo info() {
        return info;
    }

    public CorpusManifest manifest() {
        return manifest;
    }

    public List<CorpusEntry> entries(Split split) {
        return manifest.entries(split);
    }

    /** Every text of the corpus: alt-text, SHORT, LONG, reference, terse and grounded captions. */
    public List<String> texts() {
        List<String> texts = new ArrayList<>();
        for (CorpusEntry entry : manifest.entries()) {
            texts.add(entry.altText());
            texts.add(entry.captions().shortCaption());
            texts.add(entry.captions().longCaption());
            texts.addAll(entry.captions().reference());
            texts.add(entry.captions().pretrain());
            texts.add(GroundedCaptionWriter.write(entry.scene()));
        }
        return texts;
    }

    /**
     * The vocabulary of all caption kinds of the corpus with the styles {@link #STYLES}: the
     * pretrained captioner already has every word the human captions use.
     */
    public Vocabulary vocabulary() {
        return Vocabulary.build(texts(), STYLES, MIN_WORD_FREQUENCY);
    }

    /**
     * Pretraining examples of the first {@code scenes} train-split images: the terse caption under
     * the {@link #TERSE} prefix, every reference caption under {@link #REFERENCE} and the grounded
     * caption under {@link #GROUNDED}.
     */
    public List<CaptionExample> pretrainingExamples(int scenes) {
        List<CorpusEntry> train = entries(Split.TRAIN);
        if (train.isEmpty()) {
            throw new IllegalStateException("corpus " + id() + " has no train split");
        }
        List<CaptionExample> examples = new ArrayList<>();
        for (CorpusEntry entry : train.subList(0, Math.min(scenes, train.size()))) {
            BufferedImage image = image(entry);
            examples.add(new CaptionExample(image, TERSE, entry.captions().pretrain()));
            examples.add(new CaptionExample(image, GROUNDED, GroundedCaptionWriter.write(entry.scene())));
            for (String reference : entry.captions().reference()) {
                examples.add(new CaptionExample(image, REFERENCE, reference));
            }
        }
        return examples;
    }

    /** Pretraining batches: the examples of {@link #pretrainingExamples}, reshuffled every epoch. */
    public CaptionBatchSource pretraining(int scenes, long seed) {
        return CaptionBatchSource.shuffled(pretrainingExamples(scenes), seed);
    }

    /**
     * RECAP fine-tuning batches from the human split only, half SHORT and half LONG; see
     * {@link HumanCaptionMix}.
     */
    public HumanCaptionMix fineTuning(long seed, boolean rerender) {
        List<CorpusEntry> human = entries(Split.HUMAN);
        List<BufferedImage> images = human.stream().map(this::image).toList();
        return new HumanCaptionMix(human, images, info.imageSize(), rerender, seed);
    }

    /**
     * An ablation, not RECAP: the same SHORT/LONG mix drawn from the first {@code images}
     * train-split scenes instead of the 100 human ones (ShapesWorld writes human-style captions for
     * every scene), to measure how much the size of the human set limits the fine-tuned captioner.
     */
    public HumanCaptionMix fineTuningOnTrainSplit(int images, long seed, boolean rerender) {
        List<CorpusEntry> train = entries(Split.TRAIN);
        List<CorpusEntry> chosen = train.subList(0, Math.min(images, train.size()));
        return new HumanCaptionMix(chosen, chosen.stream().map(this::image).toList(), info.imageSize(), rerender,
                seed);
    }

    /** The first {@code count} held-out evaluation scenes with their images. */
    public List<EvaluationScene> evaluation(int count) {
        List<CorpusEntry> eval = entries(Split.EVAL);
        return eval.subList(0, Math.min(count, eval.size())).stream()
                .map(entry -> new EvaluationScene(entry, image(entry))).toList();
    }

    /** The corpus's PNG of one entry. */
    public BufferedImage image(CorpusEntry entry) {
        try {
            return manifest.image(entry);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + manifest.imagePath(entry), e);
        }
    }
}
