package drsn.nn;

/**
 * The physical units a model's inputs were recorded in, so that a prediction on data in other
 * units can be refused or converted instead of silently misclassified: the model normalises with
 * fixed statistics from training, so a signal at another sample rate or amplitude scale looks
 * like another class.
 *
 * @param sampleRate samples per second of the training recordings, or 0 when unknown (a CSV file
 *                   without a declared rate)
 * @param scale      what one unit of input amplitude means, as a short tag chosen by the loader
 *                   (drsn's CLI: {@code full-scale} for WAV samples scaled to [-1, 1),
 *                   {@code raw} for numbers as written in CSV or NPY files), or "" when unknown
 */
public record InputUnits(double sampleRate, String scale) {

  /** Nothing known (models trained before units were recorded, or on synthetic data). */
  public static final InputUnits UNKNOWN = new InputUnits(0, "");

  static final double MAX_RATE = 1e9;
  static final int MAX_SCALE_LENGTH = 32;

  public InputUnits {
    if (!(sampleRate == 0 || (sampleRate > 0 && sampleRate <= MAX_RATE))) {
      throw new IllegalArgumentException("sample rate must be 0 (unknown) or in (0, " + MAX_RATE + "] Hz, got "
          + sampleRate);
    }
    if (scale == null || scale.length() > MAX_SCALE_LENGTH || !isTag(scale)) {
      throw new IllegalArgumentException("input scale must be a tag of at most " + MAX_SCALE_LENGTH
          + " lower-case letters, digits or '-', got '" + scale + "'");
    }
  }

  /** Lower-case ASCII letters, digits and '-' only (a loop, not a regex: model loading pays no regex set-up). */
  private static boolean isTag(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  public boolean rateKnown() {
    return sampleRate > 0;
  }

  public boolean scaleKnown() {
    return !scale.isEmpty();
  }

  /** "12000 Hz, full-scale", "rate unknown, raw", …. */
  @Override
  public String toString() {
    String rate = rateKnown() ? (sampleRate == Math.rint(sampleRate) ? Long.toString((long) sampleRate)
        : Double.toString(sampleRate)) + " Hz" : "rate unknown";
    return rate + ", " + (scaleKnown() ? scale : "scale unknown");
  }
}
