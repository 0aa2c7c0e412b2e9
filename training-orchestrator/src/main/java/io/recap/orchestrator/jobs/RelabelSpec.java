package io.recap.orchestrator.jobs;

import io.recap.core.domain.CaptionStyle;
import io.recap.core.domain.JobKind;
import io.recap.core.domain.ModelKind;
import io.recap.core.domain.ModelRef;
import io.recap.core.domain.Require;
import java.util.Collections;
import java.util.EnumSet;
import java.util.Set;

/**
 * Recaption a whole corpus with one captioner version.
 *
 * @param corpusId the corpus
 * @param captioner the captioner version (kind captioner)
 * @param styles captioner-written styles to produce (SHORT, LONG)
 */
public record RelabelSpec(String corpusId, ModelRef captioner, Set<CaptionStyle> styles) implements JobSpec {

    public RelabelSpec {
        Require.safeId(corpusId, "corpusId");
        Require.present(captioner, "captioner").requireKind(ModelKind.CAPTIONER);
        Require.notEmpty(styles, "styles");
        styles.forEach(style -> Require.that(style.isGenerated(), "style " + style + " is not written by a captioner"));
        styles = Collections.unmodifiableSet(EnumSet.copyOf(styles));
    }

    @Override
    public JobKind kind() {
        return JobKind.RELABEL;
    }
}
