package io.cxr4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxr4j.model.ModelCard;
import io.cxr4j.model.Provenance;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
        if (Files.exists(out.resolve(ModelCard.FILE))) throw new UserError(out + ": already holds a model; choose another folder");
        List<ModelCard> cards = new ArrayList<>();
        for (Path m : models) {
            try {
                cards.add(ModelCard.read(m));
            } catch (BadInputException e) {
                throw new UserError(m + ": " + e.getMessage(), e);
            }
        }
        ModelCard first = cards.get(0);
        String split = readSplit(models.get(0));
        for (int i = 1; i < cards.size(); i++) {
            ModelCard c = cards.get(i);
            Path m = models.get(i);
            if (!Objects.equals(c.task(), first.task()) || !Objects.equals(c.architecture(), first.architecture())
                    || !Objects.equals(c.input(), first.input()) || !Objects.equals(c.classes(), first.classes())) {
                throw new UserError(m + ": not the same kind of model as " + models.get(0) + " (task, network, input or classes differ)");
            }
            if (!Objects.equals(readSplit(m), split)) {
                throw new UserError(m + ": trained on another patient split than " + models.get(0) + " (split.csv differs); "
                        + "an ensemble of such models has seen the other's test patients");
            }
        }
        Files.createDirectories(out);
        List<String> members = new ArrayList<>();
        List<Object> memberProvenance = new ArrayList<>();
        JsonNode firstProvenance = null;
        for (int i = 0; i < models.size(); i++) {
            for (String p : cards.get(i).members()) {
                String name = String.format("member%d-%s", members.size() + 1, p);
                Path src = models.get(i).resolve(p);
                AtomicFiles.write(out.resolve(name), o -> Files.copy(src, o));
                members.add(name);
            }
            Path prov = models.get(i).resolve("provenance.json");
            Map<String, Object> mp = new LinkedHashMap<>();
            mp.put("from", models.get(i).toAbsolutePath().normalize().toString());
            if (Files.isRegularFile(prov)) {
                JsonNode node = ModelCard.json().readTree(prov.toFile());
                mp.put("provenance", node);
                if (i == 0) firstProvenance = node;
            }
            memberProvenance.add(mp);
        }
        if (split != null) AtomicFiles.writeString(out.resolve("split.csv"), split);
        int views = tta != null ? tta : first.tta();
        new ModelCard(first.format(), first.task(), io.cxr4j.util.Version.get(), first.architecture(), first.classes(), first.input(),
                first.normalisation(), members, views, first.disclaimer()).write(out);
        Map<String, Object> prov = new LinkedHashMap<>();
        prov.put("kind", "ensemble: the mean of the members' probabilities");
        if (firstProvenance != null) {
            for (String key : new String[] {"dataset", "dataset_hash", "split"}) {
                if (firstProvenance.has(key)) prov.put(key, firstProvenance.get(key));
            }
        }
        prov.put("members", memberProvenance);
        prov.put("environment", Provenance.environment());
        AtomicFiles.writeBytes(out.resolve("provenance.json"), ModelCard.json().writeValueAsBytes(prov));
        System.out.println("ensemble of " + members.size() + " members in " + out.toAbsolutePath().normalize());
        return ExitCodes.OK;
    }

    private static String readSplit(Path dir) throws IOException {
        Path f = dir.resolve("split.csv");
        return Files.isRegularFile(f) ? Files.readString(f) : null;
    }
}
