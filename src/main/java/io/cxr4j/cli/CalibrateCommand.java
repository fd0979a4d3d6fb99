package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.Label;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.PatientSplit;
import io.cxr4j.data.Sample;
import io.cxr4j.eval.Calibration;
import io.cxr4j.analysis.DatasetScoring;
import io.cxr4j.eval.ClassifierEvaluation;
import io.cxr4j.eval.Metrics;
import io.cxr4j.eval.Prediction;
import io.cxr4j.model.Classifier;
import io.cxr4j.model.ModelCard;
import io.cxr4j.prep.MaskPlan;
import io.cxr4j.prep.MaskProvider;
import io.cxr4j.segment.LungSegmenter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;

@Command(name = "calibrate", mixinStandardHelpOptions = true,
        description = {"Fit temperature scaling on the model's validation patients (or --split all of a collection) and store",
                "the temperature in MODEL_DIR/model.json, so that a stated confidence of 0.8 is right about 80% of the time.",
                "Prints the expected calibration error (ECE) before and after. Which class comes first does not change.",
                "Research tool, not a diagnostic device."})
public final class CalibrateCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Classifier folder (default: the shipped models/classifier).")
    Path modelDir;

    @Parameters(arity = "1..*", paramLabel = "DATASET", description = "The dataset folder(s) the model was trained on.")
    List<Path> datasets;

    @Option(names = "--split", defaultValue = "val", description = "val (default) or all.")
    String split;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Segmenter for films without polygons (default: the shipped one).")
    Path segmenter;

    @Mixin
    MaskCacheOptions maskCacheOptions;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws Exception {
        if (!split.equals("val") && !split.equals("all")) throw new UserError("--split must be val or all");
        if (modelDir == null) modelDir = Models.shipped("classifier");
        Dataset ds = CommonOptions.scan(datasets);
        List<Sample> samples = ds.withTargets();
        if (split.equals("val")) samples = CommonOptions.part(modelDir, samples, Path.of(ds.name()), PatientSplit.Part.VAL);
        Classifier model = CommonOptions.classifier(modelDir);
        LungSegmenter seg = null;
        if (model.recipe().usesMask() && samples.stream().anyMatch(s -> !s.hasMaskSource())) seg = CommonOptions.segmenter(segmenter);
        try (model; LungSegmenter segToClose = seg) {
            MaskProvider predicted = seg == null ? null : seg.provider(maskCacheOptions.cache());
            MaskPlan plan = new MaskPlan(MaskPlan.Mode.ANNOTATION, MaskProvider.of(MaskSource.AUTO), predicted);
            model.setTemperature(1.0);
            DatasetScoring.Run run = DatasetScoring.run(model, samples, plan, common.threads());
            common.report(System.err, ds.problems(), run.failures());
            if (run.predictions().isEmpty()) throw new UserError("no image could be scored");
            List<String> classes = model.card().classes();
            List<Set<Integer>> truth = new ArrayList<>();
            for (Prediction p : run.predictions()) {
                Set<Integer> t = new java.util.HashSet<>();
                for (Label l : p.sample().targets()) t.add(classes.indexOf(l.id()));
                truth.add(t);
            }
            double t = Calibration.fit(run.logits(), truth);
            Metrics.Result before = ClassifierEvaluation.metrics(classes, run.at(1.0));
            Metrics.Result after = ClassifierEvaluation.metrics(classes, run.at(t));
            ModelCard card = ModelCard.read(modelDir).withTemperature(t);
            card.write(modelDir);
            System.out.printf(Locale.ROOT, "temperature %.4f fitted on %d %s films (NLL %.4f -> %.4f)%n", t, run.predictions().size(), split,
                    Calibration.nll(run.logits(), truth, 1.0), Calibration.nll(run.logits(), truth, t));
            System.out.printf(Locale.ROOT, "ECE on those films: %.4f before, %.4f after; accuracy %.4f before, %.4f after%n",
                    before.ece(), after.ece(), before.accuracy(), after.accuracy());
            System.out.println("written to " + modelDir.resolve(ModelCard.FILE) + ". " + ModelCard.DISCLAIMER);
            return ExitCodes.of(run.predictions().size(), run.failures().size() + ds.problems().size());
        }
    }
}
