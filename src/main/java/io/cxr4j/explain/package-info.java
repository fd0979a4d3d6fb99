/**
 * Where a classifier looked, as pictures and figures: a Grad-CAM grid put back from the model's input
 * square onto the film, scaled to 0-255, drawn over the film with the lung outline, and the share of its
 * heat inside the lungs and on their rim. Pure functions of arrays and images; the grids themselves
 * come from {@code engine.Net#forwardExplained} through {@code model.Classifier#explain}.
 */
package io.cxr4j.explain;
