/**
 * Checks of what a classifier relies on, measured on held-out patients: where its Grad-CAM heat lies
 * over a dataset ({@link io.cxr4j.audit.HeatSurvey}), and the shortcut audit: how well the lung outline
 * alone, the film outside the lungs, and the source can tell the classes (or sources) apart, as balanced
 * accuracy of linear probes fitted on training patients. Research checks, not clinical validation.
 */
package io.cxr4j.audit;
