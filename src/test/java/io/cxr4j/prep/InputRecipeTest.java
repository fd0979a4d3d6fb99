package io.cxr4j.prep;

import io.cxr4j.image.GrayImage;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputRecipeTest {
    static GrayImage image() {
        GrayImage img = new GrayImage(40, 40);
        for (int y = 0; y < 40; y++) for (int x = 0; x < 40; x++) img.set(x, y, 60 + x * 4);
        return img;
    }

    static GrayImage lungs() {
        GrayImage m = new GrayImage(40, 40);
        for (int y = 8; y < 32; y++) for (int x = 6; x < 34; x++) m.set(x, y, 255);
        return m;
    }

    @Test
    void aCropMasksTheSurroundingsAndATrainingCropForOutlineJitterKeepsThem() {
        InputRecipe recipe = new InputRecipe(InputRecipe.MASKED, 20, 0.2);
        InputRecipe.Crop a = recipe.crop(image(), lungs()), b = recipe.cropKeepingSurroundings(image(), lungs());
        assertArrayEquals(a.region().pixels(), b.region().pixels(), "the region the model sees is the same");
        assertEquals(0, a.region().get(0, 0), "the corner is outside the lungs (margin)");
        assertEquals(0, a.image().get(0, 0));
        assertTrue(b.image().get(0, 0) > 0, "pixels around the lungs are kept for outline jitter");
        // inside, the two agree up to the blending at the outline, which shifts the z-score statistics a little
        float[] xa = new float[400], xb = new float[400];
        InputRecipe.normalise(a.image().pixels(), a.region().pixels(), xa, 0);
        InputRecipe.normalise(b.image().pixels(), b.region().pixels(), xb, 0);
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < 400; i++) { dot += xa[i] * xb[i]; na += xa[i] * xa[i]; nb += xb[i] * xb[i]; }
        assertTrue(dot / Math.sqrt(na * nb) > 0.95, "inputs nearly alike: cosine " + dot / Math.sqrt(na * nb));
    }
}
