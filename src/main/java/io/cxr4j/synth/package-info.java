/**
 * Synthetic example data: chest-X-ray-like phantoms with lung polygons and four learnable class
 * patterns, written in the same V7/Darwin layout as real exports. Clearly marked synthetic; used by the
 * demo and the tests.
 */
package io.cxr4j.synth;
