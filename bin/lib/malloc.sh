# Sourced (not run) by bin/cxr, bin/cxr-spark and bench/train_epoch_bench.sh: glibc's malloc settings for libtorch.
# Keep freed memory for reuse instead of handing each of libtorch's large activation buffers back to the kernel
# (mmap/munmap) and faulting fresh zeroed pages in again for the next one: buffers under 32 MB (glibc's maximum) come
# from the heap, and up to 64 MB free at its top is kept. Measured (docs/benchmarks.md, "glibc's malloc and
# libtorch"): `cxr predict` on 300 films 36-41 s -> 18-19 s, system time 18-22 s -> 4 s, identical output; a 1 GB
# trim threshold kept the speed but raised peak RSS from 1.6 to 2.7 GB. A value already in the environment wins.
# The tests (pom.xml, spark/pom.xml) and the spark-submit line (io.cxr4j.spark.SubmitLine) set the same two values.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-33554432}"
export MALLOC_TRIM_THRESHOLD_="${MALLOC_TRIM_THRESHOLD_:-67108864}"
