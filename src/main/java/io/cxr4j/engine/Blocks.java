package io.cxr4j.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.ParallelBlock;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.pooling.Pool;
import io.cxr4j.engine.NetSpec;

import java.util.Arrays;

/** Builds DJL blocks from {@link NetSpec}s. */
final class Blocks {
    private Blocks() {}

    static Block build(NetSpec spec) {
        return switch (spec.kind()) {
            case "cxrnet" -> cxrNet(spec);
            case "unet" -> unet(spec);
            default -> throw new IllegalArgumentException("unknown network kind: " + spec.kind());
        };
    }

    static Block conv(int filters, int kernel, int stride) {
        return Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).optStride(new Shape(stride, stride))
                .optPadding(new Shape(kernel / 2, kernel / 2)).setFilters(filters).optBias(false).build();
    }

    static Block bn() {
        return BatchNorm.builder().optMomentum(0.9f).build();
    }

    /**
     * Residual CNN for grey lung crops: a stride-2 stem (5x5 conv), then stages of basic residual blocks
     * (two 3x3 convs with batch norm), each later stage halving the resolution and doubling the width,
     * global average pooling, dropout and a linear head.
     */
    static Block cxrNet(NetSpec spec) {
        SequentialBlock net = new SequentialBlock();
        int w = spec.width();
        net.add(conv(w, 5, 2)).add(bn()).add(Activation.reluBlock());
        int in = w;
        for (int stage = 0; stage < spec.blocks().size(); stage++) {
            int out = w << stage;
            for (int b = 0; b < spec.blocks().get(stage); b++) {
                int stride = (b == 0 && stage > 0) ? 2 : 1;
                net.add(residual(in, out, stride));
                in = out;
            }
        }
        net.add(Pool.globalAvgPool2dBlock());
        if (spec.dropout() > 0) net.add(Dropout.builder().optRate((float) spec.dropout()).build());
        net.add(Linear.builder().setUnits(spec.outputs()).build());
        return net;
    }

    /**
     * U-Net: at each level two 3x3 conv-BN-ReLU layers; below the top, a max-pooled path through the
     * next level comes back by nearest-neighbour upsampling and a 3x3 convolution and is concatenated with the skip
     * connection, followed by two more conv layers. A 1x1 convolution gives the output logits.
     * {@code blocks.size()} is the number of levels; the width doubles at each level down.
     */
    static Block unet(NetSpec spec) {
        int levels = spec.blocks().size();
        int div = 1 << levels;
        if (spec.inputSize() % div != 0) throw new IllegalArgumentException("U-Net input size must be divisible by " + div);
        int w = spec.width();
        // a stride-2 stem and a final x2 upsampling keep the U-Net itself at half resolution: a quarter
        // of the compute, which is what makes 256 px inputs trainable on two cores
        return new SequentialBlock()
                .add(conv(w, 3, 2)).add(bn()).add(Activation.reluBlock())
                .add(unetLevel(0, levels, w))
                .add(ai.djl.nn.LambdaBlock.singleton(a -> a.repeat(2, 2).repeat(3, 2), "upsample"))
                .add(conv(w, 3, 1)).add(bn()).add(Activation.reluBlock())
                .add(Conv2d.builder().setKernelShape(new Shape(1, 1)).setFilters(spec.outputs()).optBias(true).build());
    }

    private static Block doubleConv(int w) {
        return new SequentialBlock().add(conv(w, 3, 1)).add(bn()).add(Activation.reluBlock())
                .add(conv(w, 3, 1)).add(bn()).add(Activation.reluBlock());
    }

    private static Block unetLevel(int level, int levels, int w) {
        SequentialBlock s = new SequentialBlock().add(doubleConv(w));
        if (level < levels - 1) {
            Block down = new SequentialBlock()
                    .add(Pool.maxPool2dBlock(new Shape(2, 2), new Shape(2, 2)))
                    .add(unetLevel(level + 1, levels, w * 2))
                    // nearest-neighbour x2 upsampling then a 3x3 conv (the PyTorch engine has no transposed conv)
                    .add(ai.djl.nn.LambdaBlock.singleton(a -> a.repeat(2, 2).repeat(3, 2), "upsample"))
                    .add(conv(w, 3, 1)).add(bn()).add(Activation.reluBlock());
            s.add(new ParallelBlock(list -> new NDList(ai.djl.ndarray.NDArrays.concat(
                    new NDList(list.get(0).singletonOrThrow(), list.get(1).singletonOrThrow()), 1)),
                    Arrays.asList(ai.djl.nn.Blocks.identityBlock(), down)));
            s.add(doubleConv(w));
        }
        return s;
    }

    static Block residual(int in, int out, int stride) {
        SequentialBlock main = new SequentialBlock()
                .add(conv(out, 3, stride)).add(bn()).add(Activation.reluBlock())
                .add(conv(out, 3, 1)).add(bn());
        Block shortcut;
        if (stride != 1 || in != out) {
            shortcut = new SequentialBlock().add(conv(out, 1, stride)).add(bn());
        } else {
            shortcut = ai.djl.nn.Blocks.identityBlock();
        }
        return new SequentialBlock()
                .add(new ParallelBlock(list -> {
                    NDArray a = list.get(0).singletonOrThrow();
                    NDArray b = list.get(1).singletonOrThrow();
                    return new NDList(a.add(b));
                }, Arrays.asList(main, shortcut)))
                .add(Activation.reluBlock());
    }
}
