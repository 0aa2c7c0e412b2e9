package io.recap.experiments;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** One run of a program's command line, with what it printed; nothing here trains or loads a model. */
public record CommandRun(int status, String out, String err) {

    public static CommandRun of(CommandLine command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = command.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true)).execute(args);
        return new CommandRun(status, out.toString(), err.toString());
    }
}
