package io.cxr4j.data;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LabelsAndPatientsTest {
    @Test
    void covidWinsOverViral() {
        assertEquals(Label.COVID19, LabelRules.fromTags(List.of("X-ray", "Viral Pneumonia", "COVID-19")).label());
        assertEquals(Label.VIRAL_PNEUMONIA, LabelRules.fromTags(List.of("Viral Pneumonia", "View/PA")).label());
        assertEquals(Label.BACTERIAL_PNEUMONIA, LabelRules.fromTags(List.of("Bacterial Pneumonia")).label());
        assertEquals(Label.HEALTHY, LabelRules.fromTags(List.of("No Pneumonia (healthy)")).label());
    }

    @Test
    void otherFindingsGiveNoLabelButANamedFinding() {
        LabelRules.Result r = LabelRules.fromTags(List.of("Fungal Pneumonia", "X-ray"));
        assertNull(r.label());
        assertEquals("fungal_pneumonia", r.finding());
        LabelRules.Result none = LabelRules.fromTags(List.of("X-ray", "Unknown thing"));
        assertNull(none.label());
        assertNull(none.finding());
        LabelRules.Result both = LabelRules.fromTags(List.of("Bacterial Pneumonia", "No Pneumonia (healthy)"));
        assertNull(both.label());
        assertTrue(both.finding().startsWith("conflicting"));
    }

    @Test
    void kermanyFileNamePatterns() {
        assertEquals("person123", PatientIds.fromFileName("person123_bacteria_45.jpeg"));
        assertEquals("person1", PatientIds.fromFileName("person1_virus_6.jpeg"));
        assertEquals("IM-0115", PatientIds.fromFileName("IM-0115-0001.jpeg"));
        assertEquals("NORMAL2-IM-1427", PatientIds.fromFileName("NORMAL2-IM-1427-0001.jpeg"));
        assertEquals("covid-19-pneumonia-8", PatientIds.fromFileName("covid-19-pneumonia-8.jpg"));
    }

    @Test
    void labelIdsRoundTrip() {
        for (Label l : Label.values()) assertEquals(l, Label.fromId(l.id()).orElseThrow());
        assertEquals(Label.COVID19, Label.fromId("COVID-19").orElseThrow());
        assertEquals(Label.HEALTHY, Label.fromId("NORMAL").orElseThrow());
        assertTrue(Label.fromId("fungal_pneumonia").isEmpty());
    }

    @Test
    void csvHandlesQuotes() throws Exception {
        List<List<String>> rows = Csv.read(new java.io.BufferedReader(new java.io.StringReader(
                "a,b,c\n1,\"x, y\",\"he said \"\"hi\"\"\"\r\n2,,z")));
        assertEquals(3, rows.size());
        assertEquals(List.of("1", "x, y", "he said \"hi\""), rows.get(1));
        assertEquals(List.of("2", "", "z"), rows.get(2));
        assertEquals("\"x, y\",plain\n", Csv.line("x, y", "plain"));
    }
}
