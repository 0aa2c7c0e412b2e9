package io.recap.experiments;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code key=value} command-line arguments, as every program here takes them ({@code key} alone means ""). */
public final class KeyValueArgs {

    private KeyValueArgs() {
    }

    public static Map<String, String> parse(String[] args) {
        Map<String, String> options = new LinkedHashMap<>();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "");
        }
        return options;
    }
}
