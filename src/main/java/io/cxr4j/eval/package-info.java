/**
 * Evaluation results as immutable values computed by pure functions from predictions: classification
 * metrics, the per-source table, calibration (temperature scaling), training history, segmentation rows.
 * Running models over datasets is {@code analysis}'s job; drawing the results is {@code report}'s.
 */
package io.cxr4j.eval;
