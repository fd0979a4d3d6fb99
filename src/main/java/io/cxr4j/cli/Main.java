package io.cxr4j.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;

/** The {@code cxr} command line. */
@Command(name = "cxr", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = {"cxr4j: lung masking and COVID-19 / pneumonia classification of chest X-rays on the JVM.",
                "Research tool, not a diagnostic device: results must not be used for patient care."},
        subcommands = {DemoCommand.class, InspectCommand.class, MaskCommand.class, SplitCommand.class, TrainCommand.class, EvaluateCommand.class, PredictCommand.class, TrainSegmenterCommand.class, SegmentCommand.class, EvaluateSegmenterCommand.class, EnsembleCommand.class, CalibrateCommand.class, DemoDataCommand.class, ServeCommand.class, TrainInputCheckCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.setProperty("ai.djl.offline", "true");
        System.exit(execute(args));
    }

    /** Runs a command line and returns its exit status (0 ok, 1 some items skipped, 2 failure or usage error). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.originalArgs().contains("--verbose") || parseResult.originalArgs().contains("-v");
            PrintWriter err = commandLine.getErr();
            if (verbose) ex.printStackTrace(err);
            String msg = ex.getMessage();
            err.println("cxr " + commandLine.getCommandName() + ": error: "
                    + (ex instanceof UserError || msg != null ? msg : ex.getClass().getSimpleName())
                    + (verbose || ex instanceof UserError ? "" : " (run with --verbose for details)"));
            err.flush();
            return ExitCodes.FAILED;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("cxr: " + ex.getMessage());
            if (!CommandLine.UnmatchedArgumentException.printSuggestions(ex, c.getErr())) {
                c.getErr().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for more information.");
            }
            return ExitCodes.FAILED;
        });
        return cl;
    }
}
