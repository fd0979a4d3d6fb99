package io.cxr4j.train;

import io.cxr4j.prep.Augment;
import java.util.List;

/**
 * Every setting of a classifier training run; stored in the checkpoint so that {@code --resume}
 * continues with exactly the same settings.
 */
public record TrainOptions(int epochs, int imageSize, long seed, String maskMode, double margin, int batchSize,
                           double learningRate, double weightDecay, int warmupEpochs, double labelSmoothing,
                           int patience, double valFraction, double testFraction, int width, List<Integer> blocks,
                           double dropout, Augment augment, String classWeighting, int tta, double emaDecay, int members,
                           double sourceBalanceCap) {
    public TrainOptions {
        blocks = List.copyOf(blocks);
        if (epochs < 1) throw new IllegalArgumentException("epochs must be >= 1");
        if (batchSize < 2) throw new IllegalArgumentException("batch size must be >= 2");
    }

    public static TrainOptions defaults() {
        return new TrainOptions(60, 192, 42, "masked", 0.05, 32, 2e-3, 0.05, 2, 0.1, 15, 0.15, 0.15, 16,
                List.of(1, 1, 2, 2), 0.2, Augment.DEFAULT, "balanced", 0, 0.998, 1, 1.0);
    }

    public TrainOptions withEpochs(int e) {
        return new TrainOptions(e, imageSize, seed, maskMode, margin, batchSize, learningRate, weightDecay, warmupEpochs,
                labelSmoothing, patience, valFraction, testFraction, width, blocks, dropout, augment, classWeighting, tta, emaDecay, members, sourceBalanceCap);
    }
}
