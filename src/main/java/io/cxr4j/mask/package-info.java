/**
 * Lung masks: polygon rasterisation (even-odd, pixel centres, clipped), V7 semantic-mask conventions
 * (255 Lung, 127 Ignore), bitwise-AND masking, lung crops, mask metrics (IoU, Dice) and overlays.
 * Pure functions of images and coordinates; no file formats and no models.
 */
package io.cxr4j.mask;
