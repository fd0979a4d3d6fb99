/**
 * Batch scoring on Apache Spark (issue 13): {@code cxr-spark predict} lists films with Spark's
 * {@code binaryFile} source (or reads a table with a {@code path} column), spreads the paths over
 * partitions, and on each partition runs {@link io.cxr4j.analysis.XrayAnalyzer#analyzeAll} on batches of
 * films read from their paths. One row per input comes out (ok, refused or error, with the reason), in
 * Parquet or CSV. Depends on {@code io.cxr4j.analysis}, {@code io.cxr4j.model} and {@code io.cxr4j.check} (model
 * cards) only; films that are not frontal chest X-rays are refused by the input check, as in {@code cxr predict};
 * nothing in the core imports it. Research tool, not a diagnostic device.
 */
package io.cxr4j.spark;
