package dev.knot.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code knot}: explains why a Java program hangs. */
@Command(name = "knot", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Explains why a Java program is stuck: deadlocks, self-deadlocks, pool starvation, orphaned locks,"
                + " contention and stalls, from thread dumps.",
        exitCodeOnInvalidInput = ExitCodes.USAGE, exitCodeOnExecutionException = ExitCodes.INTERNAL_ERROR)
public final class Main {

    public static void main(String[] args) {
        if (args.length > 0 && (args[0].equals("attach") || args[0].equals("analyze"))
                && java.util.Arrays.asList(args).contains("--timings")) {
            Timings.enable();
            Timings.mark("main (JVM started)");
        }
        AnalyzeCommand.Early.start(args);
        AttachCommand.EarlyAttach.start(args);
        System.exit(run(args));
    }

    public static int run(String... args) {
        CommandLine cl = new CommandLine(new Main());
        addSubcommands(cl, args);
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

    /** In the order {@code knot --help} lists them. */
    private static final Map<String, Supplier<Object>> COMMANDS = commands();

    private static Map<String, Supplier<Object>> commands() {
        Map<String, Supplier<Object>> m = new LinkedHashMap<>();
        m.put("analyze", AnalyzeCommand::new);
        m.put("demo", DemoCommand::new);
        m.put("attach", AttachCommand::new);
        m.put("dump", DumpCommand::new);
        m.put("help", CommandLine.HelpCommand::new);
        return m;
    }

    /**
     * Builds only the subcommand being run when the first argument names one: picocli reads each command's
     * annotations by reflection, and that costs ~25 ms of a cold start per command (measured in knot-bench),
     * a third of a short analysis. Anything else ({@code --help}, {@code help}, a typo) gets all of them.
     */
    private static void addSubcommands(CommandLine cl, String[] args) {
        Supplier<Object> only = args.length > 0 && !"help".equals(args[0]) ? COMMANDS.get(args[0]) : null;
        if (only != null) {
            cl.addSubcommand(args[0], only.get());
            return;
        }
        for (Map.Entry<String, Supplier<Object>> e : COMMANDS.entrySet()) cl.addSubcommand(e.getKey(), e.getValue().get());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"knot " + (v == null ? "development build" : v)};
        }
    }
}
