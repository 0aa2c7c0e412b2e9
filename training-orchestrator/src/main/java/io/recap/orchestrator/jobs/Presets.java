package io.recap.orchestrator.jobs;

import io.recap.core.domain.Require;
import java.util.List;

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

    static String require(String preset, String field) {
        Require.text(preset, field);
        Require.that(ALL.contains(preset), field + " must be one of " + ALL + " but was '" + preset + "'");
        return preset;
    }
}
