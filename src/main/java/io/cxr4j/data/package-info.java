/**
 * Reading labelled chest X-ray collections: V7 Darwin JSON 1.0/2.0 annotations, V7 semantic mask
 * PNGs, metadata.csv, plain class folders; labels from tags, patient ids, the patient-level split.
 */
package io.cxr4j.data;
