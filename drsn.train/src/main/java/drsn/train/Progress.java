package drsn.train;

import java.time.Duration;

/**
 * Where a training run stands, as carried by every {@link TrainingListener} event.
 *
 * @param epoch            current epoch, 1-based (0 before the first)
 * @param epochs           epochs of the whole run
 * @param batch            batches done in the current epoch
 * @param batchesPerEpoch  batches per epoch
 * @param step             optimisation steps done in the whole run
 * @param totalSteps       steps of the whole run
 * @param loss             mean training loss of the current epoch so far (NaN before any batch)
 * @param accuracy         training accuracy of the current epoch so far (NaN before any batch)
 * @param learningRate     learning rate of the last step (NaN before any)
 * @param samplesPerSecond training throughput since this run (or resumption) started
 * @param elapsed          wall-clock time since this run (or resumption) started
 * @param eta              estimated time to the end of training, from the throughput so far
 */
public record Progress(int epoch, int epochs, int batch, int batchesPerEpoch, long step, long totalSteps,
                       double loss, double accuracy, double learningRate, double samplesPerSecond,
                       Duration elapsed, Duration eta) {

  /** Fraction of training done, in [0, 1]. */
  public double fraction() {
    return totalSteps == 0 ? 1 : (double) step / totalSteps;
  }
}
