package drsn.train;

import drsn.nn.Model;

/**
 * The outcome of {@link Trainer#fit}.
 *
 * @param finalModel   the model after the last epoch
 * @param bestModel    the model of the epoch with the highest validation accuracy, on ties the
 *                     lowest validation loss (see {@link EarlyStopping}); the final model without a
 *                     validation set
 * @param bestEpoch    that epoch, 1-based
 * @param history      one summary per epoch (including epochs before a resumption)
 * @param stopReason   why training ended: the epoch budget, convergence (early stopping) or the
 *                     time limit
 */
public record TrainingResult(Model finalModel, Model bestModel, int bestEpoch, History history, String stopReason) {
}
