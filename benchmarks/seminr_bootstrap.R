# The ECSI model of tests/data/ecsi_mobi.yaml in seminr: one PLS estimation (path scheme,
# mode A, standardised items, seminr's defaults) and seminr's bootstrap of it, timed.
#
#   Rscript benchmarks/seminr_bootstrap.R DATA.csv NBOOT CORES SEED OUT.json
#
# NBOOT 0 estimates only. Writes OUT.json: the path coefficients of the estimate (for the check
# that seminr and csi fit the same model), the wall-clock seconds of estimate_pls and of
# bootstrap_model, this process's own CPU seconds before and after them (seminr's bootstrap
# runs in `CORES` worker processes of a PSOCK cluster, whose CPU the caller must count: see
# bench_structural.py), the replicates kept, and the R, seminr and lavaan versions.
# bench_structural.py --seminr calls it; it needs seminr (benchmarks/README.md says how it was
# installed here).

suppressPackageStartupMessages(library(seminr))

args <- commandArgs(trailingOnly = TRUE)
stopifnot(length(args) == 5)
data_path <- args[1]
nboot <- as.integer(args[2])
cores <- as.integer(args[3])
seed <- as.integer(args[4])
out_path <- args[5]

data <- utils::read.csv(data_path)

measurements <- constructs(
  composite("Image", multi_items("IMAG", 1:5)),
  composite("Expectation", multi_items("CUEX", 1:3)),
  composite("Quality", multi_items("PERQ", 1:7)),
  composite("Value", multi_items("PERV", 1:2)),
  composite("Satisfaction", multi_items("CUSA", 1:3)),
  composite("Complaints", single_item("CUSCO")),
  composite("Loyalty", multi_items("CUSL", 1:3))
)
structure <- relationships(
  paths(from = "Image", to = c("Expectation", "Satisfaction", "Loyalty")),
  paths(from = "Expectation", to = c("Quality", "Value", "Satisfaction")),
  paths(from = "Quality", to = c("Value", "Satisfaction")),
  paths(from = "Value", to = "Satisfaction"),
  paths(from = "Satisfaction", to = c("Complaints", "Loyalty")),
  paths(from = "Complaints", to = "Loyalty")
)

cpu <- function() {
  t <- proc.time()
  unname(t[["user.self"]] + t[["sys.self"]])
}

cpu_before <- cpu()
t0 <- proc.time()[["elapsed"]]
model <- estimate_pls(data = data, measurement_model = measurements, structural_model = structure,
                      inner_weights = path_weighting)
t1 <- proc.time()[["elapsed"]]
kept <- 0L
if (nboot > 0) {
  boot <- suppressMessages(bootstrap_model(model, nboot = nboot, cores = cores, seed = seed))
  kept <- dim(boot$boot_paths)[3]
}
t2 <- proc.time()[["elapsed"]]
cpu_after <- cpu()

pc <- model$path_coef
paths <- list()
for (from in rownames(pc)) {
  for (to in colnames(pc)) {
    if (pc[from, to] != 0) paths[[length(paths) + 1]] <- list(from = from, to = to, value = pc[from, to])
  }
}
result <- list(
  rows = nrow(data), nboot = nboot, cores = cores, seed = seed, kept = kept,
  estimate_wall = t1 - t0, bootstrap_wall = t2 - t1,
  cpu_before = cpu_before, cpu_after = cpu_after, iterations = model$iterations,
  r = R.version.string, seminr = as.character(utils::packageVersion("seminr")),
  lavaan = as.character(utils::packageVersion("lavaan")),
  blas = extSoftVersion()[["BLAS"]],
  paths = paths
)
writeLines(jsonlite::toJSON(result, auto_unbox = TRUE, digits = NA), out_path)
