// Scores 8-bit grey images with OpenCV's own BRISQUE (contrib quality module), for comparison with
// cxr4j's Java port. Usage: brisque_opencv MODEL_DIR IMAGE...
// Prints one line per image: path, score, then the 36 features (tab-separated, %.9g).
#include <opencv2/core.hpp>
#include <opencv2/imgcodecs.hpp>
#include <opencv2/quality.hpp>
#include <cstdio>
#include <string>

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s MODEL_DIR IMAGE...\n", argv[0]);
        return 2;
    }
    std::string dir = argv[1];
    auto brisque = cv::quality::QualityBRISQUE::create(dir + "/brisque_model_live.yml", dir + "/brisque_range_live.yml");
    for (int i = 2; i < argc; i++) {
        cv::Mat img = cv::imread(argv[i], cv::IMREAD_GRAYSCALE);
        if (img.empty()) {
            std::fprintf(stderr, "%s: cannot read\n", argv[i]);
            return 1;
        }
        cv::Mat features;
        cv::quality::QualityBRISQUE::computeFeatures(img, features);
        double score = brisque->compute(img)[0];
        std::printf("%s\t%.9g", argv[i], score);
        for (int k = 0; k < features.cols; k++) std::printf("\t%.9g", features.at<float>(0, k));
        std::printf("\n");
    }
    return 0;
}
