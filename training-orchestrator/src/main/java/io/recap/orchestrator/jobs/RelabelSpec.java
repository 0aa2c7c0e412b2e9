package io.recap.orchestrator.jobs;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.service.web.InvalidFieldException;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Recaption a whole corpus with one captioner version.
 *
 * @param corpusId the corpus
 * @param captioner the captioner version (kind captioner)
 * @param styles captioner-written styles to produce; absent means both (SHORT, LONG)
 */
public record RelabelSpec(String corpusId, ModelRef captioner, Set<CaptionStyle> styles) implements JobSpec {

    public RelabelSpec {
        SpecFields.requiredId(corpusId, "corpusId");
        SpecFields.ofKind(SpecFields.required(captioner, "captioner"), ModelKind.CAPTIONER, "captioner");
        if (styles == null) {
            styles = EnumSet.of(CaptionStyle.SHORT, CaptionStyle.LONG);
        }
        if (styles.isEmpty()) {
            throw new InvalidFieldException("spec.styles",
                    "spec.styles must be a non-empty list of styles (short, long)");
        }
        for (CaptionStyle style : styles) {
            if (style == null) {
                throw new InvalidFieldException("spec.styles", "spec.styles: caption style is required");
            }
            if (!style.isGenerated()) {
                throw new InvalidFieldException("spec.styles", "spec.styles: style " + style
                        + " is not written by a captioner (use short, long)");
            }
        }
        styles = Collections.unmodifiableSet(EnumSet.copyOf(styles));
    }

    @Override
    public JobKind kind() {
        return JobKind.RELABEL;
    }
}
