{
  "targets": [
    {
      "target_name": "gmm_native",
      "sources": ["native/kernels.cc"],
      "cflags_cc": ["-O3", "-mavx2", "-ffp-contract=off", "-fno-fast-math", "-std=c++17"],
      "cflags_cc!": ["-fno-exceptions"]
    }
  ]
}
