package drsn.cli.internal;

/**
 * Progress events of a training run (the CLI's own adapter until drsn.train's listener API
 * lands): start, every batch, every epoch, end.
 */
public interface TrainingListener {

  default void onStart(int epochs, int batchesPerEpoch, int trainSize, int startEpoch) {
  }

  /**
   * After a batch: running mean loss and accuracy of the epoch so far, throughput of the epoch so
   * far, and the estimated seconds left in the whole run.
   */
  default void onBatch(int epoch, int epochs, int batch, int batches, double loss, double accuracy,
                       double samplesPerSecond, double etaSeconds) {
  }

  default void onEpoch(EpochStats stats, int epochs) {
  }

  default void onEnd(double seconds) {
  }

  TrainingListener NONE = new TrainingListener() {
  };
}
