package drsn.cli.internal;

import drsn.data.Decimator;
import drsn.nn.InputUnits;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Brings a signal to the units its model was trained on, or refuses it with a one-line reason: a
 * model normalises its input with fixed statistics from training, so a signal at another sample
 * rate or amplitude scale would be classified, wrongly, without complaint.
 * <ul>
 *   <li>Scale: a known scale different from the model's is refused (WAV samples scaled to [-1, 1)
 *       against raw CSV numbers, say); the user can declare the scale of raw files
 *       ({@code --input-scale}) when the numbers are in fact in the model's units.</li>
 *   <li>Rate: a known rate that is an integer multiple of the model's is decimated with the
 *       anti-aliasing {@link Decimator}, and a note says so; any other known rate is refused. A
 *       file that states no rate (CSV, NPY, text) is taken to be at the model's rate.</li>
 *   <li>Models without recorded units (trained on data of unknown rate and scale, such as the
 *       synthetic set) accept anything.</li>
 * </ul>
 */
public final class UnitsCheck {

  private UnitsCheck() {
  }

  /** The signal in the model's units (itself when nothing changes); notes go to {@code note}. */
  public static NamedSignal toModelUnits(NamedSignal s, InputUnits model, Consumer<String> note) {
    int factor = decimationFactor(s.name(), s.units(), model);
    if (factor == 1) {
      // A file that states no rate is taken to be at the model's: its times are then in seconds.
      return s.units().rateKnown() || !model.rateKnown() ? s
          : new NamedSignal(s.name(), s.channels(), new InputUnits(model.sampleRate(), s.units().scale()));
    }
    Decimator d = new Decimator(factor);
    float[][] out = new float[s.channels().length][];
    for (int c = 0; c < out.length; c++) {
      out[c] = d.apply(s.channels()[c]);
    }
    note.accept(String.format(Locale.ROOT, "%s: resampled from %s to the model's %s (anti-aliased decimation by %d)",
        s.name(), Recordings.rateWords(s.units()), Recordings.rateWords(model), factor));
    return new NamedSignal(s.name(), out, new InputUnits(model.sampleRate(), s.units().scale()));
  }

  /**
   * 1 when the signal is in the model's units, the integer factor to decimate by when its rate is a
   * multiple of the model's; a {@link CliException} naming the input when it cannot be used.
   */
  public static int decimationFactor(String name, InputUnits input, InputUnits model) {
    if (model.scaleKnown() && input.scaleKnown() && !model.scale().equals(input.scale())) {
      throw new CliException(name + " holds " + Recordings.scaleWords(input.scale()) + ", the model was trained on "
          + Recordings.scaleWords(model.scale()) + ": the same signal would look like another class (give the "
          + "input as the model was trained, or declare its scale with --input-scale)");
    }
    if (!model.rateKnown() || !input.rateKnown() || input.sampleRate() == model.sampleRate()) {
      return 1;
    }
    double ratio = input.sampleRate() / model.sampleRate();
    long factor = Math.round(ratio);
    if (factor < 2 || factor > 1024 || Math.abs(ratio - factor) > 1e-9 * ratio) {
      throw new CliException(name + " is sampled at " + Recordings.rateWords(input) + ", the model at "
          + Recordings.rateWords(model) + "; resample it to the model's rate (only downsampling by an integer "
          + "factor is done here)");
    }
    return (int) factor;
  }
}
