package io.recap.orchestrator.jobs;

import io.recap.service.web.InvalidFieldException;
import java.util.List;
import java.util.Locale;

/** Training presets every trainer understands (DESIGN section 5). */
public final class Presets {

    /** Seconds, for tests. */
    public static final String SMOKE = "smoke";
    /** Minutes on 2 CPU cores. */
    public static final String SMALL = "small";
    /** The paper's hyper-parameters, for a GPU cluster. */
    public static final String PAPER = "paper";

    public static final List<String> ALL = List.of(SMOKE, SMALL, PAPER);

    private Presets() {
    }

    /** The preset named by {@code spec.<name>}, in any case ({@code SMOKE} is {@code smoke}). */
    static String require(String preset, String name) {
        SpecFields.required(preset, name);
        String normalised = preset.trim().toLowerCase(Locale.ROOT);
        if (!ALL.contains(normalised)) {
            throw new InvalidFieldException(SpecFields.path(name), SpecFields.path(name) + " must be one of " + ALL
                    + " but was '" + preset + "'");
        }
        return normalised;
    }
}
