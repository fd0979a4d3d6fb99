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
        return new TrainOptions(60, 192, 42, "whole", 0.05, 32, 2e-3, 0.05, 2, 0.1, 15, 0.15, 0.15, 16,
                List.of(1, 1, 2, 2), 0.2, Augment.DEFAULT, "balanced", 0, 0.998, 1, 1.0);
    }

    public TrainOptions withEpochs(int e) {
        return toBuilder().epochs(e).build();
    }

    /** A builder starting from these settings: {@code TrainOptions.defaults().toBuilder().epochs(45).build()}. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.epochs = epochs;
        b.imageSize = imageSize;
        b.seed = seed;
        b.maskMode = maskMode;
        b.margin = margin;
        b.batchSize = batchSize;
        b.learningRate = learningRate;
        b.weightDecay = weightDecay;
        b.warmupEpochs = warmupEpochs;
        b.labelSmoothing = labelSmoothing;
        b.patience = patience;
        b.valFraction = valFraction;
        b.testFraction = testFraction;
        b.width = width;
        b.blocks = blocks;
        b.dropout = dropout;
        b.augment = augment;
        b.classWeighting = classWeighting;
        b.tta = tta;
        b.emaDecay = emaDecay;
        b.members = members;
        b.sourceBalanceCap = sourceBalanceCap;
        return b;
    }

    /** Named settings instead of 22 positional ones; unset ones keep the value the builder started from. */
    public static final class Builder {
        private int epochs;
        private int imageSize;
        private long seed;
        private String maskMode;
        private double margin;
        private int batchSize;
        private double learningRate;
        private double weightDecay;
        private int warmupEpochs;
        private double labelSmoothing;
        private int patience;
        private double valFraction;
        private double testFraction;
        private int width;
        private List<Integer> blocks;
        private double dropout;
        private Augment augment;
        private String classWeighting;
        private int tta;
        private double emaDecay;
        private int members;
        private double sourceBalanceCap;

        public Builder epochs(int v) {
            epochs = v;
            return this;
        }

        public Builder imageSize(int v) {
            imageSize = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public Builder maskMode(String v) {
            maskMode = v;
            return this;
        }

        public Builder margin(double v) {
            margin = v;
            return this;
        }

        public Builder batchSize(int v) {
            batchSize = v;
            return this;
        }

        public Builder learningRate(double v) {
            learningRate = v;
            return this;
        }

        public Builder weightDecay(double v) {
            weightDecay = v;
            return this;
        }

        public Builder warmupEpochs(int v) {
            warmupEpochs = v;
            return this;
        }

        public Builder labelSmoothing(double v) {
            labelSmoothing = v;
            return this;
        }

        public Builder patience(int v) {
            patience = v;
            return this;
        }

        public Builder valFraction(double v) {
            valFraction = v;
            return this;
        }

        public Builder testFraction(double v) {
            testFraction = v;
            return this;
        }

        public Builder width(int v) {
            width = v;
            return this;
        }

        public Builder blocks(List<Integer> v) {
            blocks = v;
            return this;
        }

        public Builder dropout(double v) {
            dropout = v;
            return this;
        }

        public Builder augment(Augment v) {
            augment = v;
            return this;
        }

        public Builder classWeighting(String v) {
            classWeighting = v;
            return this;
        }

        public Builder tta(int v) {
            tta = v;
            return this;
        }

        public Builder emaDecay(double v) {
            emaDecay = v;
            return this;
        }

        public Builder members(int v) {
            members = v;
            return this;
        }

        public Builder sourceBalanceCap(double v) {
            sourceBalanceCap = v;
            return this;
        }

        public TrainOptions build() {
            return new TrainOptions(epochs, imageSize, seed, maskMode, margin, batchSize, learningRate, weightDecay, warmupEpochs, labelSmoothing, patience, valFraction, testFraction, width, blocks, dropout, augment, classWeighting, tta, emaDecay, members, sourceBalanceCap);
        }
    }
}
