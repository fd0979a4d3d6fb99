package io.cxr4j.mask;

import io.cxr4j.data.Dataset;
import io.cxr4j.data.DatasetReader;
import io.cxr4j.data.MaskSource;
import io.cxr4j.data.Sample;
import io.cxr4j.image.GrayImage;
import io.cxr4j.image.ImageReader;
import io.cxr4j.testutil.TestData;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** Masks rebuilt from the polygons must reproduce V7's shipped mask PNGs. */
class MaskReproductionTest {
    @ParameterizedTest
    @ValueSource(strings = {"mini", "fullres"})
    void polygonsReproduceTheShippedMasks(String subset) throws Exception {
        Path root = TestData.root().resolve(subset);
        Dataset ds = DatasetReader.scan(root);
        double[] ious = new double[ds.samples().size()];
        int i = 0;
        for (Sample s : ds.samples()) {
            GrayImage img = ImageReader.read(s.image());
            GrayImage fromPolygons = MaskSource.ANNOTATION.lungMask(s, img.width(), img.height());
            GrayImage shipped = MaskSource.MASK.lungMask(s, img.width(), img.height());
            ious[i++] = MaskOps.iou(fromPolygons, shipped);
        }
        Arrays.sort(ious);
        double median = ious[ious.length / 2];
        assertTrue(ious.length >= 24);
        assertTrue(median >= 0.995, subset + " median lung IoU " + median);
        assertTrue(ious[0] >= 0.97, subset + " min lung IoU " + ious[0]);
    }
}
