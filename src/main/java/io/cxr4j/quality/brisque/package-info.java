/**
 * BRISQUE (Mittal, Moorthy and Bovik 2012), a no-reference quality score from a model trained on natural
 * images with human opinion scores, computed as OpenCV's contrib {@code cv::quality::QualityBRISQUE} does
 * and scored with OpenCV's LIVE-trained regressor read from its YAML files (Debian's {@code opencv-data},
 * not bundled). Entry point: {@link io.cxr4j.quality.brisque.Brisque}.
 */
package io.cxr4j.quality.brisque;
