/**
 * The deep-learning seam: the only package that imports DJL. Networks are built from engine-neutral
 * {@link io.cxr4j.engine.NetSpec}s and used through plain float arrays, so the rest of cxr4j (data,
 * training loops, metrics, reports) never sees an NDArray.
 */
package io.cxr4j.engine;
