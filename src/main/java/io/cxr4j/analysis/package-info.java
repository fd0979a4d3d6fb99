/**
 * The one way in for analysing films: {@link io.cxr4j.analysis.XrayAnalyzer} decodes a film (a path or
 * bytes), finds its lung mask (annotation, else the segmenter), classifies it and says what it saw, for
 * the CLI, the server and batch jobs alike. In the spirit of DJL's Predictor/Translator: inputs and
 * results are plain values ({@link io.cxr4j.analysis.XrayInput}, {@link io.cxr4j.analysis.Analysis}),
 * the networks stay behind {@code model} and {@code segment}. Nothing here imports {@code cli}.
 */
package io.cxr4j.analysis;
