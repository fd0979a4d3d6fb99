/**
 * Image input/output and pure image maths: decoding any JPEG/PNG flavour the data holds, and
 * uncompressed DICOM (docs/dicom.md), into 8-bit grey, cropping, and antialiased resizing. Nothing
 * here knows about lungs, labels or models.
 */
package io.cxr4j.image;
