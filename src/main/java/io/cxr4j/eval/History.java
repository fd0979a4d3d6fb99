package io.cxr4j.eval;

/** One epoch of a training run. */
public record History(int epoch, double learningRate, double trainLoss, double trainAccuracy, double valLoss,
                      double valAccuracy, double valMacroF1, double seconds) {}
