package io.cxr4j.image;

/**
 * The few header facts of a DICOM file that cxr4j passes on (for input checks such as "is this a
 * frontal chest view"). Deliberately nothing that identifies a patient or a study: no names, IDs,
 * dates, accession or institution. Text fields are coded strings (CS) reduced to letters, digits,
 * space, {@code _ - .} and at most 32 characters; empty when the file does not have them.
 *
 * @param transferSyntaxUid the file's transfer syntax, e.g. 1.2.840.10008.1.2.1 (empty if the meta header lacks it)
 * @param modality          (0008,0060), e.g. CR, DX
 * @param bodyPartExamined  (0018,0015), e.g. CHEST
 * @param viewPosition      (0018,5101), e.g. PA, AP, LL
 * @param photometricInterpretation (0028,0004): MONOCHROME1 or MONOCHROME2 for the files cxr4j decodes
 * @param rows              image height in pixels
 * @param columns           image width in pixels
 * @param bitsAllocated     8 or 16
 * @param bitsStored        significant bits of each stored value
 * @param signed            Pixel Representation 1 (two's complement stored values)
 * @param voi               how grey levels are chosen: "VOI LUT", "window" or "min-max" (see docs/dicom.md)
 */
public record DicomFacts(String transferSyntaxUid, String modality, String bodyPartExamined, String viewPosition,
                         String photometricInterpretation, int rows, int columns, int bitsAllocated, int bitsStored,
                         boolean signed, String voi) {}
