package io.cxr4j.cli;

import io.cxr4j.model.Ensembles;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "ensemble", mixinStandardHelpOptions = true,
        description = {"Combine trained models of the same kind (same task, network, input recipe, classes and patient split)",
                "into one model folder whose members' probabilities are averaged. The members' provenance is kept.",
                "Typical use: two segmenters trained with train-segmenter --init-seed on the same split."})
public final class EnsembleCommand implements Callable<Integer> {
    @Parameters(arity = "2..*", paramLabel = "MODEL_DIR", description = "Model folders to combine.")
    List<Path> models;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "New model folder (must not hold a model).")
    Path out;

    @Option(names = "--tta", paramLabel = "N", description = "Test-time views for the ensemble (default: the first model's).")
    Integer tta;

    @Override
    public Integer call() throws Exception {
        int members;
        try {
            members = Ensembles.combine(models, out, tta);
        } catch (BadInputException e) {
            throw new UserError(e.getMessage(), e);
        }
        System.out.println("ensemble of " + members + " members in " + out.toAbsolutePath().normalize());
        return ExitCodes.OK;
    }
}
