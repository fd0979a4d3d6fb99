package io.cxr4j.cli;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.Sample;
import io.cxr4j.image.ImageReader;
import io.cxr4j.quality.brisque.Brisque;
import io.cxr4j.util.BadInputException;
import io.cxr4j.util.Batch;
import io.cxr4j.util.Progress;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code --max-brisque S}: leave out films whose BRISQUE score (OpenCV's model, docs/quality.md) is S or
 * more, as the original work dropped its worst-scoring images. The films left out are counted and named.
 */
public class BrisqueFilter {
    @Option(names = "--max-brisque", paramLabel = "S", description = {"Leave out films whose BRISQUE score is S or more",
            "(OpenCV's scale, 0 best to 100 worst; see docs/quality.md for the chosen cut-off)."})
    Double maxBrisque;

    @Option(names = "--brisque-model", paramLabel = "DIR", description = "Folder with OpenCV's brisque_model_live.yml and brisque_range_live.yml"
            + " (default /usr/share/opencv4/quality, from apt-get install opencv-data).")
    Path brisqueModel;

    /** Films left out, with their scores (file name to score), after {@link #apply}. */
    public final Map<String, Double> leftOut = new TreeMap<>();

    public boolean active() { return maxBrisque != null; }

    /** The samples scoring below the cut-off (all of them when the option is not given). */
    public List<Sample> apply(List<Sample> samples, int threads, PrintStream err) {
        if (maxBrisque == null) return samples;
        Brisque b;
        try {
            b = Brisque.load(brisqueModel);
        } catch (BadInputException e) {
            throw new UserError(Brisque.folder(brisqueModel) + ": " + e.getMessage(), e);
        }
        Map<String, Double> scores = new ConcurrentHashMap<>();
        List<Batch.Failure> failures = Batch.run(samples, threads, Sample::image, Progress.forStderr("brisque", samples.size()),
                s -> scores.put(s.file(), b.score(ImageReader.read(s.image()))));
        for (Batch.Failure f : failures) err.println(f.file() + ": " + f.reason());
        List<Sample> kept = new ArrayList<>();
        for (Sample s : samples) {
            Double sc = scores.get(s.file());
            if (sc == null) continue;
            if (sc >= maxBrisque) leftOut.put(s.file(), sc); else kept.add(s);
        }
        err.printf(Locale.ROOT, "left out %d film(s) scoring BRISQUE >= %.1f%s%n", leftOut.size(), maxBrisque,
                leftOut.isEmpty() ? "" : ": " + String.join(", ", leftOut.keySet()));
        return kept;
    }

    /** The dataset without the films left out (their problems kept). */
    public Dataset apply(Dataset ds, int threads, PrintStream err) {
        if (maxBrisque == null) return ds;
        List<Sample> kept = apply(ds.samples(), threads, err);
        return new Dataset(ds.root(), ds.layout(), kept, ds.problems(), ds.disagreements(), ds.otherFindings(), ds.roots());
    }

    /** For metrics.json / provenance: the cut-off and the films left out. */
    public Map<String, Object> json() {
        Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("max_brisque", maxBrisque);
        m.put("left_out", leftOut.size());
        m.put("files", leftOut);
        return m;
    }
}
