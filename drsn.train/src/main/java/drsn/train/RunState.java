package drsn.train;

import drsn.nn.ParameterSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a training run stands, as one value: the weights and optimiser being trained, the epochs
 * and steps completed, the best epoch so far and the history. A new run starts
 * {@linkplain #fresh fresh}, a resumed one from its {@link TrainingState}; {@link Trainer} updates
 * it after every epoch and saves it as a TrainingState.
 */
final class RunState {

  final ParameterSet master;
  final Optimizer optimizer;
  final List<EpochSummary> history;
  int completedEpochs;
  long step;
  int bestEpoch;
  double bestAccuracy;
  /** Weights of the best epoch by validation accuracy; null while the final weights are the best. */
  ParameterSet best;

  private RunState(ParameterSet master, Optimizer optimizer, List<EpochSummary> history, int completedEpochs,
                   long step, int bestEpoch, double bestAccuracy, ParameterSet best) {
    this.master = master;
    this.optimizer = optimizer;
    this.history = history;
    this.completedEpochs = completedEpochs;
    this.step = step;
    this.bestEpoch = bestEpoch;
    this.bestAccuracy = bestAccuracy;
    this.best = best;
  }

  /** Before the first step. */
  static RunState fresh(ParameterSet master, Optimizer optimizer) {
    return new RunState(master, optimizer, new ArrayList<>(), 0, 0, 0, Double.NEGATIVE_INFINITY, null);
  }

  /** Where a saved run stopped, with its optimiser already restored. */
  static RunState resumed(TrainingState saved, Optimizer optimizer) {
    return new RunState(saved.params, optimizer, new ArrayList<>(saved.history), saved.completedEpochs, saved.step,
        saved.bestEpoch, saved.bestAccuracy, saved.best);
  }
}
