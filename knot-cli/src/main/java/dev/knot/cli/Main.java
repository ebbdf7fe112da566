package dev.knot.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code knot}: explains why a Java program hangs. */
@Command(name = "knot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Explains why a Java program is stuck: deadlocks, self-deadlocks, pool starvation, orphaned locks,"
                + " contention and stalls, from thread dumps.",
        subcommands = {AnalyzeCommand.class, DemoCommand.class, AttachCommand.class, DumpCommand.class, CommandLine.HelpCommand.class},
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL_ERROR)
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        for (CommandLine sub : cl.getSubcommands().values()) {
            sub.getCommandSpec().exitCodeOnInvalidInput(ExitCodes.USAGE);
            sub.getCommandSpec().exitCodeOnExecutionException(ExitCodes.INTERNAL_ERROR);
        }
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("knot: internal error: " + ex + " (please report this with the input that caused it)");
            return ExitCodes.INTERNAL_ERROR;
        });
        return cl.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"knot " + (v == null ? "development build" : v)};
        }
    }
}
