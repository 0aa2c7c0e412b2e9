package io.recap.shapes.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** "--name value" options and positional arguments of one subcommand, validated eagerly. */
final class CliArguments {
  private final Map<String, String> options = new HashMap<>();
  private final List<String> positional = new ArrayList<>();

  CliArguments(List<String> args, Set<String> allowed) {
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        String value = null;
        int eq = name.indexOf('=');
        if (eq >= 0) {
          value = name.substring(eq + 1);
          name = name.substring(0, eq);
        }
        if (!allowed.contains(name)) {
          throw new CliException("unknown option --" + name);
        }
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new CliException("option --" + name + " needs a value");
          }
          value = args.get(++i);
        }
        if (options.put(name, value) != null) {
          throw new CliException("option --" + name + " given twice");
        }
      } else {
        positional.add(arg);
      }
    }
  }

  List<String> positional() {
    return positional;
  }

  String required(String name) {
    String value = options.get(name);
    if (value == null) {
      throw new CliException("missing required option --" + name);
    }
    return value;
  }

  String string(String name, String fallback) {
    return options.getOrDefault(name, fallback);
  }

  boolean has(String name) {
    return options.containsKey(name);
  }

  long longValue(String name, Long fallback) {
    String value = fallback == null ? required(name) : options.get(name);
    if (value == null) {
      return fallback;
    }
    try {
      return Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new CliException("option --" + name + " must be an integer, got '" + value + "'");
    }
  }

  int intValue(String name, Integer fallback, int min) {
    long value = longValue(name, fallback == null ? null : (long) fallback);
    if (value < min || value > Integer.MAX_VALUE) {
      throw new CliException("option --" + name + " must be at least " + min + ", got " + value);
    }
    return (int) value;
  }
}
