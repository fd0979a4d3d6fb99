/**
 * Lung segmentation for X-rays without polygons: the trained segmenter, the geometry between an image
 * and the network's square input, and post-processing of predicted masks.
 */
package io.cxr4j.segment;
