package io.cxr4j.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.cxr4j.util.AtomicFiles;
import io.cxr4j.util.BadInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * Combines trained models into one model folder whose members' probabilities are averaged. The rules:
 * every model is of the same kind (task, network, input recipe, classes) and was trained on the same
 * patient split (split.csv), else an ensemble would have seen another member's test patients; the
 * members' weights are copied, their provenance kept, and the split carried over.
 */
public final class Ensembles {
    private Ensembles() {}

    /**
     * Writes the ensemble of {@code models} to {@code out}; {@code tta} test-time views, or null for the
     * first model's. Returns the number of members (a model that is itself an ensemble adds all of its own).
     *
     * @throws BadInputException naming the model folder that breaks a rule, or {@code out} when it already holds a model
     */
    public static int combine(List<Path> models, Path out, Integer tta) throws IOException, BadInputException {
        if (Files.exists(out.resolve(ModelCard.FILE))) throw new BadInputException(out + ": already holds a model; choose another folder");
        List<ModelCard> cards = new ArrayList<>();
        for (Path m : models) {
            try {
                cards.add(ModelCard.read(m));
            } catch (BadInputException e) {
                throw new BadInputException(m + ": " + e.getMessage(), e);
            }
        }
        ModelCard first = cards.get(0);
        String split = readSplit(models.get(0));
        String assignment = withoutComments(split);
        for (int i = 1; i < cards.size(); i++) {
            ModelCard c = cards.get(i);
            Path m = models.get(i);
            if (!Objects.equals(c.task(), first.task()) || !Objects.equals(c.architecture(), first.architecture())
                    || !Objects.equals(c.input(), first.input()) || !Objects.equals(c.classes(), first.classes())) {
                throw new BadInputException(m + ": not the same kind of model as " + models.get(0) + " (task, network, input or classes differ)");
            }
            if (!Objects.equals(withoutComments(readSplit(m)), assignment)) {
                throw new BadInputException(m + ": trained on another patient split than " + models.get(0) + " (split.csv differs); "
                        + "an ensemble of such models has seen the other's test patients");
            }
        }
        Files.createDirectories(out);
        List<String> members = new ArrayList<>();
        List<Object> memberProvenance = new ArrayList<>();
        JsonNode firstProvenance = null;
        for (int i = 0; i < models.size(); i++) {
            for (String p : cards.get(i).members()) {
                String name = String.format(Locale.ROOT, "member%d-%s", members.size() + 1, p);
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
        return members.size();
    }

    /**
     * The split's rows without its {@code #} comment lines: those record how a run made its split (e.g. the seed),
     * and a run that kept another's split with {@code --split-from} but another seed has the same patients in each part.
     */
    static String withoutComments(String split) {
        if (split == null) return null;
        return split.lines().filter(l -> !l.startsWith("#")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static String readSplit(Path dir) throws IOException {
        Path f = dir.resolve("split.csv");
        return Files.isRegularFile(f) ? Files.readString(f) : null;
    }
}
