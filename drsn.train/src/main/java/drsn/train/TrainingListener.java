package drsn.train;

/**
 * Receives a training run's events, on the thread that called {@link Trainer#fit}: start, after
 * every batch, after every epoch (with its summary and validation results) and at the end. The
 * CLI turns them into a progress bar. Listeners must be quick; an exception thrown by one stops
 * training.
 */
public interface TrainingListener {

  default void onStart(Progress progress) {
  }

  default void onBatch(Progress progress) {
  }

  default void onEpoch(EpochSummary summary, Progress progress) {
  }

  default void onEnd(TrainingResult result, Progress progress) {
  }
}
