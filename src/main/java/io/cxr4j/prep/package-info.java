/**
 * Taking a film from pixels to model-ready input: lung mask plan (annotation or predicted), AND, crop,
 * resize, normalise, and the training augmentation (pure functions on 8-bit images).
 */
package io.cxr4j.prep;
