package io.cxr4j.spark;

import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.List;

/**
 * The output's columns, one row per input: {@code file, status, reason, predicted, confidence,
 * p_<class>... (the model's class order), lung_mask, model_id}. {@code status} is ok, refused or error;
 * {@code reason} is null when ok; {@code predicted}, {@code confidence}, the probabilities and
 * {@code lung_mask} are null unless ok.
 */
public final class ResultSchema {
    public static final String FILE = "file", STATUS = "status", REASON = "reason", PREDICTED = "predicted",
            CONFIDENCE = "confidence", LUNG_MASK = "lung_mask", MODEL_ID = "model_id";

    private ResultSchema() {}

    public static StructType of(List<String> classes) {
        List<StructField> f = new ArrayList<>();
        f.add(DataTypes.createStructField(FILE, DataTypes.StringType, false));
        f.add(DataTypes.createStructField(STATUS, DataTypes.StringType, false));
        f.add(DataTypes.createStructField(REASON, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(PREDICTED, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(CONFIDENCE, DataTypes.DoubleType, true));
        for (String c : classes) f.add(DataTypes.createStructField(probability(c), DataTypes.DoubleType, true));
        f.add(DataTypes.createStructField(LUNG_MASK, DataTypes.StringType, true));
        f.add(DataTypes.createStructField(MODEL_ID, DataTypes.StringType, false));
        return DataTypes.createStructType(f);
    }

    /** The column of a class's probability. */
    public static String probability(String cls) { return "p_" + cls; }
}
