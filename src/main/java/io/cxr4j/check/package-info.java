/**
 * The input check: is this a frontal chest X-ray, and if not, why not. Pure image statistics
 * ({@link io.cxr4j.check.ImageStats}: too small, blank, noise, colour, graphics), a small network over the
 * whole film at 64 px ({@link io.cxr4j.check.InputCheck}: frontal, turned, inverted, lateral, CT, part of the
 * chest, not a radiograph) and the segmented lungs' shape ({@link io.cxr4j.check.LungShape}). Safe fixes
 * (turned, inverted) are made and named; everything else is refused with a reason. Thresholds are chosen on
 * validation and stored in the check's model.json. See docs/input-check.md.
 */
package io.cxr4j.check;
