/**
 * No-reference image quality measures (resolution, contrast, exposure clipping, sharpness, noise) and
 * threshold flags, used by {@code cxr inspect} and as an optional training filter.
 */
package io.cxr4j.quality;
