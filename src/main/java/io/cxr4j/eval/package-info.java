/** Evaluation: classification and segmentation metrics (pure functions) and evaluation runs over datasets. */
package io.cxr4j.eval;
