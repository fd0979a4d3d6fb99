package io.cxr4j.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;

/**
 * Gradient steps on a {@link Net}: AdamW with a learning rate the caller sets before each step
 * (so any schedule lives outside the engine), and a weighted soft-target cross-entropy loss:
 * {@code mean_i w_i * sum_c -t_ic log softmax(z_i)_c}. Soft targets carry label smoothing and mixup.
 */
public final class NetTrainer implements AutoCloseable {
    private final Net net;
    private final Trainer trainer;
    private final MutableRate rate = new MutableRate();

    /** A learning rate the training loop can change between steps. */
    private static final class MutableRate implements Tracker {
        volatile float value = 1e-3f;

        @Override
        public float getNewValue(int numUpdate) { return value; }
    }

    public NetTrainer(Net net, double weightDecay) {
        this.net = net;
        Optimizer opt = Optimizer.adamW().optLearningRateTracker(rate).optWeightDecays((float) weightDecay).build();
        DefaultTrainingConfig cfg = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(opt);
        this.trainer = new Trainer(net.model(), cfg);
        // parameters are already initialised by Net.create / Net.load; the trainer only attaches gradients
        this.trainer.initialize(Net.inputShape(net.spec(), 1));
    }

    public void setLearningRate(double lr) { rate.value = (float) lr; }

    private double emaDecay = 0.999;

    /** Decay of the weight average kept when the net has one ({@link Net#enableEma}). */
    public void setEmaDecay(double d) { emaDecay = d; }

    /**
     * One step on a batch. {@code targets} holds {@code n * classes} probabilities per sample,
     * {@code weights} one weight per sample. Returns the batch loss and fills {@code probsOut}
     * ({@code n * classes}) with the softmax outputs of this forward pass when it is not null.
     */
    public double step(float[] x, int n, float[] targets, float[] weights, float[] probsOut) {
        return step(x, n, targets, null, null, weights, probsOut);
    }

    /**
     * As {@link #step(float[], int, float[], float[], float[])}, with coarse labels: a sample whose truth is
     * a set of classes (e.g. "bacterial or viral pneumonia") adds {@code setWeight_i * -log(sum_{c in S_i} p_ic)},
     * the loss of the summed probability of its allowed classes, where {@code setMask} ({@code n * classes},
     * 1 for a class in S_i) marks the set. Rows with setWeight 0 add nothing; both arrays may be null. With
     * label smoothing eps, a sample of one class given as target eps/k + (1-eps)[c=y] is the same loss as
     * target eps/k with the one-class set at weight 1-eps.
     */
    public double step(float[] x, int n, float[] targets, float[] setMask, float[] setWeight, float[] weights, float[] probsOut) {
        int k = net.spec().outputs();
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray xa = m.create(x, Net.inputShape(net.spec(), n));
            NDArray ta = m.create(targets, new Shape(n, k));
            NDArray wa = m.create(weights, new Shape(n));
            double lossValue;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray logits = trainer.forward(new NDList(xa)).singletonOrThrow();
                NDArray logp = logits.logSoftmax(1);
                NDArray ce = logp.mul(ta).sum(new int[] {1}).neg();
                if (setMask != null && setWeight != null) {
                    // rows without a set get probability 1 (log 0), so no 0 * log(0) appears anywhere
                    float[] noSet = new float[n];
                    for (int i = 0; i < n; i++) {
                        float any = 0;
                        for (int c = 0; c < k; c++) any += setMask[i * k + c];
                        noSet[i] = any == 0 ? 1f : 1e-12f;
                    }
                    NDArray sm = m.create(setMask, new Shape(n, k));
                    NDArray sw = m.create(setWeight, new Shape(n));
                    NDArray setP = logp.exp().mul(sm).sum(new int[] {1}).add(m.create(noSet, new Shape(n)));
                    ce = ce.add(setP.log().neg().mul(sw));
                }
                NDArray perSample = ce.mul(wa);
                NDArray loss = perSample.sum().div(wa.sum());
                gc.backward(loss);
                lossValue = loss.getFloat();
                if (probsOut != null) System.arraycopy(logp.exp().toFloatArray(), 0, probsOut, 0, n * k);
            }
            trainer.step();
            net.updateEma(emaDecay);
            return lossValue;
        }
    }

    /**
     * One step of a segmenter: {@code masks} holds {@code n * S * S} targets in [0, 1]; the loss is
     * binary cross-entropy on the logits plus the soft Dice loss (1 - Dice) per image, both averaged.
     * Fills {@code probsOut} (n * S * S sigmoid outputs) when not null.
     */
    public double stepSegmentation(float[] x, int n, float[] masks, float[] probsOut) {
        int s = net.spec().inputSize();
        try (NDManager m = trainer.getManager().newSubManager()) {
            NDArray xa = m.create(x, Net.inputShape(net.spec(), n));
            NDArray t = m.create(masks, new Shape(n, 1, s, s));
            double lossValue;
            try (GradientCollector gc = trainer.newGradientCollector()) {
                NDArray z = trainer.forward(new NDList(xa)).singletonOrThrow();
                NDArray bce = z.maximum(0f).sub(z.mul(t)).add(z.abs().neg().exp().add(1f).log()).mean();
                NDArray p = z.neg().exp().add(1f).pow(-1f);
                int[] axes = {1, 2, 3};
                NDArray inter = p.mul(t).sum(axes);
                NDArray denom = p.sum(axes).add(t.sum(axes));
                NDArray dice = inter.mul(2f).add(1f).div(denom.add(1f));
                NDArray loss = bce.add(dice.neg().add(1f).mean());
                gc.backward(loss);
                lossValue = loss.getFloat();
                if (probsOut != null) System.arraycopy(p.toFloatArray(), 0, probsOut, 0, n * s * s);
            }
            trainer.step();
            net.updateEma(emaDecay);
            return lossValue;
        }
    }

    @Override
    public void close() {
        trainer.close();
    }
}
