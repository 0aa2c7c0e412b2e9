package io.recap.orchestrator.jobs;

import io.recap.service.web.InvalidFieldException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Which images a RELABEL job sends ({@code params.only}). Checked when the job is submitted, so a typo is a 400
 * rather than a job that quietly relabels the wrong set, and again when the task reads it.
 *
 * <p>There is no {@code all}: captions are keyed by (image, style, captioner version) and a version is
 * deterministic, so sending an image that already has its captions could not change them; recaptioning means
 * registering a new captioner version.
 */
public enum RelabelOnly {
    /** Images lacking a caption by this captioner version in some requested style, failed ones included. */
    MISSING,
    /** Only images whose last result by this captioner version was a failure. */
    FAILED;

    public static final String PARAM = "only";

    /** Parses {@code params.only}; null means the default, {@link #MISSING}. */
    public static RelabelOnly parse(String text) {
        if (text == null) {
            return MISSING;
        }
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidFieldException("params." + PARAM, "params." + PARAM + " must be one of "
                    + Arrays.stream(values()).map(v -> v.name().toLowerCase(Locale.ROOT)).toList() + " but was '"
                    + text + "'" + ("all".equalsIgnoreCase(text.trim()) ? " (a captioner version's captions never "
                    + "change: to recaption everything, relabel with a new version)" : ""));
        }
    }
}
