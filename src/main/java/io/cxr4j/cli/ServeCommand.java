package io.cxr4j.cli;

import io.cxr4j.analysis.AnalysisOptions;
import io.cxr4j.analysis.XrayAnalyzer;
import io.cxr4j.model.ModelCard;
import io.cxr4j.serve.CxrServer;
import io.cxr4j.serve.FilmAnalyzer;
import io.cxr4j.serve.ServeSettings;
import io.cxr4j.util.BadInputException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the analysis over HTTP: a JSON API under /api/v1 and a web page at /.",
                "POST a PNG, JPEG or DICOM film to /api/v1/analyze (see docs/serve.md). Uploads are kept in memory",
                "for the request only. Binds 127.0.0.1 (this machine only) unless --bind says otherwise.",
                "Research tool, not a diagnostic device."})
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--port", defaultValue = "8080", description = "Port (default ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", defaultValue = ServeSettings.DEFAULT_BIND, description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String bind;

    @Option(names = "--model", paramLabel = "MODEL_DIR", description = "Classifier folder (default: the shipped models/classifier).")
    Path modelDir;

    @Option(names = "--segmenter", paramLabel = "SEG_DIR", description = "Lung segmenter folder (default: the shipped models/lung-segmenter).")
    Path segmenter;

    @Option(names = "--max-body-mb", defaultValue = "50", description = "Largest upload in MB (default ${DEFAULT-VALUE}); larger gets 413.")
    long maxBodyMb;

    @Option(names = "--max-megapixels", defaultValue = "50", description = "Largest image in megapixels by its header (default ${DEFAULT-VALUE}); larger gets 413.")
    long maxMegapixels;

    @Option(names = "--concurrency", defaultValue = "2", description = "Analyses run at once (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--queue", defaultValue = "16", description = "Analyses waiting beyond those (default ${DEFAULT-VALUE}); more get 503 with Retry-After.")
    int queue;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (maxBodyMb < 1 || maxMegapixels < 1) throw new UserError("--max-body-mb and --max-megapixels must be at least 1");
        if (concurrency < 1 || queue < 0) throw new UserError("--concurrency must be at least 1 and --queue at least 0");
        if (port < 0 || port > 65535) throw new UserError("--port must be 0..65535");
        long t0 = System.nanoTime();
        Path model = modelDir != null ? modelDir : Models.shipped("classifier");
        XrayAnalyzer analyzer;
        try {
            analyzer = XrayAnalyzer.load(model, Models.segmenter(segmenter), AnalysisOptions.defaults().withHeatmap(true));
        } catch (BadInputException e) {
            throw new UserError(model + ": " + e.getMessage(), e);
        }
        ServeSettings settings = ServeSettings.defaults().withBind(bind).withPort(port)
                .withLimits(maxBodyMb * 1024 * 1024, maxMegapixels * 1_000_000).withQueue(concurrency, queue);
        CxrServer server;
        try {
            server = CxrServer.start(FilmAnalyzer.of(analyzer, model), settings);
        } catch (RuntimeException e) {
            analyzer.close();
            throw new UserError("cannot listen on " + bind + ":" + port + " (" + (e.getMessage() == null ? "address in use or not available" : e.getMessage()) + ")", e);
        }
        String host = bind.contains(":") ? "[" + bind + "]" : bind;
        System.err.printf(Locale.ROOT, "cxr serve: listening on http://%s:%d/ (model %s, started in %.1f s); Ctrl-C stops%n",
                host, server.port(), analyzer.modelId(), (System.nanoTime() - t0) / 1e9);
        System.err.println(ModelCard.DISCLAIMER);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "cxr-serve-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ExitCodes.OK;
    }
}
