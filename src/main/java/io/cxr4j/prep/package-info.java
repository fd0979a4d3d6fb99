/** Taking a dataset sample from files to model-ready pixels: decode, lung mask, AND, crop, resize. */
package io.cxr4j.prep;
