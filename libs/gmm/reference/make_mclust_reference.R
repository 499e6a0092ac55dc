#!/usr/bin/env Rscript
# Model-selection reference from R's mclust for the libs/gmm selection tests.
#
# Run with Debian's mclust (apt-get install r-cran-mclust r-cran-jsonlite), from the repository root:
#
#     Rscript libs/gmm/reference/make_mclust_reference.R
#
# For iris (the four measurements) and Old Faithful (eruptions, waiting), both shipped with R, it runs Mclust over
# G = 1..9 restricted to the four models that match our covariance types (VVV = full, EEE = tied, VVI = diag,
# VII = spherical) and writes mclust_selection.json beside this script: the data, mclust's BIC table (NA where mclust
# stopped on a singular covariance), its selection, and for every candidate it fitted the log-likelihood, the number
# of parameters and the fitted weights, means and covariances (in our model file's layout). mclust's BIC is
# 2·log-likelihood − p·log n (higher is better); ours is its negative.
#
# It also writes plugins/data/samples/old_faithful.csv and iris.csv, the same two tables as sample datasets.
suppressPackageStartupMessages({
  library(mclust)
  library(jsonlite)
})

args <- commandArgs(trailingOnly = FALSE)
script <- sub("^--file=", "", args[grep("^--file=", args)])
here <- dirname(normalizePath(script))
root <- normalizePath(file.path(here, "..", "..", ".."))

MODELS <- c(full = "VVV", tied = "EEE", diag = "VVI", spherical = "VII")
G <- 1:9

datasets <- list(
  iris = list(
    title = "Edgar Anderson's iris data (R datasets::iris), the four measurements",
    data = iris[, 1:4]
  ),
  faithful = list(
    title = "Old Faithful geyser eruptions (R datasets::faithful): eruption time and waiting time, minutes",
    data = faithful
  )
)

# mclust's fitted covariances in our model file's layout: full k×d×d, tied d×d, diag k×d, spherical k
covariances <- function(type, variance, g, d) {
  sigma <- array(variance$sigma, dim = c(d, d, g))
  switch(type,
    full = lapply(seq_len(g), function(k) unname(sigma[, , k, drop = TRUE])),
    tied = unname(matrix(sigma[, , 1], d, d)),
    diag = lapply(seq_len(g), function(k) unname(diag(matrix(sigma[, , k], d, d)))),
    spherical = I(vapply(seq_len(g), function(k) sigma[1, 1, k], 0))
  )
}

reference <- lapply(names(datasets), function(name) {
  X <- as.matrix(datasets[[name]]$data)
  n <- nrow(X)
  d <- ncol(X)
  bic <- mclustBIC(X, G = G, modelNames = unname(MODELS))
  best <- Mclust(X, G = G, modelNames = unname(MODELS), x = bic)
  candidates <- list()
  for (type in names(MODELS)) {
    for (g in G) {
      value <- bic[as.character(g), MODELS[[type]]]
      entry <- list(k = g, covarianceType = type, modelName = MODELS[[type]], bic = if (is.na(value)) NULL else value)
      if (!is.na(value)) {
        fit <- Mclust(X, G = g, modelNames = MODELS[[type]], x = bic)
        entry$logLikelihood <- fit$loglik
        entry$parameters <- fit$df
        entry$weights <- I(rep_len(fit$parameters$pro, g))
        entry$means <- unname(t(matrix(fit$parameters$mean, nrow = d)))
        entry$covariances <- covariances(type, fit$parameters$variance, g, d)
      }
      candidates[[length(candidates) + 1]] <- entry
    }
  }
  selected <- names(MODELS)[MODELS == best$modelName]
  list(
    name = name,
    title = datasets[[name]]$title,
    columns = colnames(X),
    rows = n,
    dims = d,
    selection = list(k = best$G, covarianceType = selected, modelName = best$modelName, bic = best$bic,
                     logLikelihood = best$loglik, parameters = best$df),
    candidates = candidates,
    data = unname(X)
  )
})
names(reference) <- names(datasets)

out <- list(
  generator = "libs/gmm/reference/make_mclust_reference.R",
  mclust = as.character(packageVersion("mclust")),
  R = R.version.string,
  G = G,
  models = as.list(MODELS),
  control = list(eps = emControl()$eps, tol = emControl()$tol),
  datasets = reference
)
writeLines(toJSON(out, auto_unbox = TRUE, digits = NA, null = "null"), file.path(here, "mclust_selection.json"))

# the sample datasets (plugins/data/samples): R's values as R prints them to 15 significant digits, which is exact
# for these data (at most 4 significant digits); iris's last column is the species' index (0 setosa, 1 versicolor,
# 2 virginica)
samples <- file.path(root, "plugins", "data", "samples")
write.csv(faithful, file.path(samples, "old_faithful.csv"), row.names = FALSE, quote = FALSE)
iris_out <- setNames(iris[, 1:4], c("sepal_length", "sepal_width", "petal_length", "petal_width"))
iris_out$label <- as.integer(iris$Species) - 1
write.csv(iris_out, file.path(samples, "iris.csv"), row.names = FALSE, quote = FALSE)
for (r in reference) {
  cat(sprintf("%s: %s k = %d, BIC %.4f\n", r$name, r$selection$modelName, r$selection$k, r$selection$bic), file = stderr())
}
