package io.cxr4j.engine;

import java.util.List;

/**
 * An engine-neutral description of a network, stored in {@code model.json} so the network can be
 * rebuilt to load its parameters.
 *
 * @param kind        architecture family: {@code cxrnet} (residual CNN classifier) or {@code unet}
 * @param inputSize   side of the square input in pixels
 * @param inChannels  input channels (1 for grey X-rays)
 * @param width       channels of the first stage (doubled at every later stage)
 * @param blocks      residual blocks (cxrnet) or conv pairs (unet) per stage
 * @param dropout     dropout before the classifier head
 * @param outputs     classes (cxrnet) or output channels (unet)
 */
public record NetSpec(String kind, int inputSize, int inChannels, int width, List<Integer> blocks, double dropout, int outputs) {
    public NetSpec {
        blocks = List.copyOf(blocks);
        if (inputSize < 16) throw new IllegalArgumentException("inputSize too small: " + inputSize);
    }

    /** A U-Net segmenter with {@code levels} levels and one output channel (lung logit). */
    public static NetSpec unet(int inputSize, int width, int levels) {
        return new NetSpec("unet", inputSize, 1, width, java.util.Collections.nCopies(levels, 1), 0, 1);
    }

    public static NetSpec cxrNet(int inputSize, int width, List<Integer> blocks, double dropout, int classes) {
        return new NetSpec("cxrnet", inputSize, 1, width, blocks, dropout, classes);
    }
}
