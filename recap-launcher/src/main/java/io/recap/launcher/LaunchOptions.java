package io.recap.launcher;

import java.nio.file.Path;

/** Command-line options of the launcher, with the embedded defaults. */
record LaunchOptions(Path dataDir, int count, long seed) {

    static final LaunchOptions DEFAULTS = new LaunchOptions(Path.of("recap-data"), 5_000, 42);

    static LaunchOptions parse(String[] args) {
        LaunchOptions options = DEFAULTS;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + flag);
            }
            String value = args[++i];
            options = switch (flag) {
                case "--data" -> new LaunchOptions(Path.of(value), options.count(), options.seed());
                case "--count" -> new LaunchOptions(options.dataDir(), Integer.parseInt(value), options.seed());
                case "--seed" -> new LaunchOptions(options.dataDir(), options.count(), Long.parseLong(value));
                default -> throw new IllegalArgumentException("unknown option " + flag
                        + " (known: --data DIR, --count N, --seed S)");
            };
        }
        return options;
    }
}
