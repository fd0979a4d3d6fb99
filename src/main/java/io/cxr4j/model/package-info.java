/**
 * Trained models as files: {@code model.json} (architecture, classes, input recipe), provenance, and
 * the loaded classifier that turns images into probabilities.
 */
package io.cxr4j.model;
