package drsn.data;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The built-in dataset: synthetic rolling-bearing vibration, physically motivated and
 * deterministic from the seed. Every example is one accelerometer window (shape 1×L) made of
 * <ul>
 *   <li>shaft harmonics 1×, 2×, 3× of the shaft frequency fr with random phases;</li>
 *   <li>for a faulty bearing, a train of impacts at the defect's rate (BPFO, BPFI, or 2·BSF for a
 *       ball, from {@link BearingGeometry}), with random slip: every interval is stretched by a
 *       Gaussian factor of {@code jitter} relative standard deviation; each impact rings a
 *       structural resonance, h(t) = e^{−ζω t}·sin(ω√(1−ζ²)·t), with ω = 2π·resonanceHz;</li>
 *   <li>amplitude modulation of the impacts by the rotation carrying the defect through the load
 *       zone: at fr for inner-race defects, at the cage frequency FTF for ball defects (whose
 *       impacts also alternate between the stronger outer-race and weaker inner-race contact);
 *       outer-race defects are stationary and unmodulated;</li>
 *   <li>white Gaussian background noise.</li>
 * </ul>
 * Severity s scales the impact amplitude by s (with ±10 % random variation per impact). Every
 * example draws its shaft speed around the nominal one and its phases from its own stream,
 * determined by (seed, class, example), so generation is bit-identical for a seed and may run in
 * parallel. Transcendental functions use StrictMath for the same reason.
 */
public final class SyntheticBearing {

  private final double sampleRate;
  private final int windowLength;
  private final List<BearingCondition> classes;
  private final int examplesPerClass;
  private final long seed;
  private final double nominalRpm;
  private final double speedVariation;
  private final BearingGeometry geometry;
  private final double resonanceHz;
  private final double damping;
  private final double jitter;
  private final double noiseStd;
  private final double impactAmplitude;
  private final boolean parallel;
  /** Impulse response of the resonance, sampled, truncated where it has decayed below 1e-3. */
  private final float[] ring;

  private SyntheticBearing(Builder b) {
    this.sampleRate = b.sampleRate;
    this.windowLength = b.windowLength;
    this.classes = b.classes;
    this.examplesPerClass = b.examplesPerClass;
    this.seed = b.seed;
    this.nominalRpm = b.nominalRpm;
    this.speedVariation = b.speedVariation;
    this.geometry = b.geometry;
    this.resonanceHz = b.resonanceHz;
    this.damping = b.damping;
    this.jitter = b.jitter;
    this.noiseStd = b.noiseStd;
    this.impactAmplitude = b.impactAmplitude;
    this.parallel = b.parallel;
    double omega = 2 * Math.PI * resonanceHz;
    double decay = damping * omega / sampleRate; // per sample
    double wd = omega * Math.sqrt(1 - damping * damping) / sampleRate;
    int len = (int) Math.min(1 << 16, Math.ceil(Math.log(1e3) / decay) + 1);
    ring = new float[len];
    for (int j = 0; j < len; j++) {
      ring[j] = (float) (StrictMath.exp(-decay * j) * StrictMath.sin(wd * j));
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The default: 10 CWRU-like classes, 12 kHz, windows of 2,048, 100 examples per class. */
  public static Dataset defaultDataset(long seed) {
    return builder().seed(seed).build().generate();
  }

  public List<String> classNames() {
    var names = new ArrayList<String>();
    for (BearingCondition c : classes) {
      names.add(c.name());
    }
    return names;
  }

  public List<BearingCondition> classes() {
    return classes;
  }

  public double sampleRate() {
    return sampleRate;
  }

  public BearingGeometry geometry() {
    return geometry;
  }

  /** Nominal shaft frequency in Hz. */
  public double nominalShaftHz() {
    return nominalRpm / 60;
  }

  /** {@code examplesPerClass} windows of every class, class after class, shaped 1×windowLength. */
  public Dataset generate() {
    int n = Args.arraySize("examples", classes.size(), examplesPerClass);
    float[] data = new float[Args.arraySize("dataset", n, windowLength)];
    int[] labels = new int[n];
    IntStream range = IntStream.range(0, n);
    (parallel ? range.parallel() : range).forEach(i -> {
      int c = i / examplesPerClass;
      labels[i] = c;
      var rng = new SeededRandom(SeededRandom.mix(seed, c, i % examplesPerClass));
      synthesize(classes.get(c), rng, data, i * windowLength, windowLength);
    });
    return Dataset.create(data, labels, new int[] {1, windowLength}, classNames(), null);
  }

  /**
   * One long recording of class {@code classIndex} (its own stream, independent of the windows of
   * {@link #generate}), for example to exercise {@link RecordingWindows#splitByTime}.
   */
  public Recording recording(int classIndex, int length, long recordingSeed) {
    if (classIndex < 0 || classIndex >= classes.size()) {
      throw new IllegalArgumentException("class index must be in 0.." + (classes.size() - 1) + ", got " + classIndex);
    }
    Args.positive("recording length", length);
    float[] x = new float[length];
    synthesize(classes.get(classIndex), new SeededRandom(SeededRandom.mix(recordingSeed, -1 - classIndex)), x, 0, length);
    return Recording.mono(classes.get(classIndex).name(), classIndex, sampleRate, x);
  }

  private void synthesize(BearingCondition condition, SeededRandom rng, float[] out, int off, int len) {
    double fr = nominalRpm / 60 * (1 + speedVariation * (2 * rng.nextDouble() - 1));
    // Shaft harmonics by a rotating phasor z = e^{iθ}, θ = 2π fr t / fs; sin(hθ + φ_h) = Im(z^h e^{iφ_h}).
    double a1 = 0.10;
    double a2 = 0.05;
    double a3 = 0.03;
    double p1 = 2 * Math.PI * rng.nextDouble();
    double p2 = 2 * Math.PI * rng.nextDouble();
    double p3 = 2 * Math.PI * rng.nextDouble();
    double c1 = StrictMath.cos(p1) * a1;
    double s1 = StrictMath.sin(p1) * a1;
    double c2 = StrictMath.cos(p2) * a2;
    double s2 = StrictMath.sin(p2) * a2;
    double c3 = StrictMath.cos(p3) * a3;
    double s3 = StrictMath.sin(p3) * a3;
    double step = 2 * Math.PI * fr / sampleRate;
    double rc = StrictMath.cos(step);
    double rs = StrictMath.sin(step);
    double zr = 1;
    double zi = 0;
    for (int t = 0; t < len; t++) {
      double z2r = zr * zr - zi * zi;
      double z2i = 2 * zr * zi;
      double z3r = z2r * zr - z2i * zi;
      double z3i = z2r * zi + z2i * zr;
      // Im(z^h · (c + i s)) = Im(z^h)·c + Re(z^h)·s, plus the background noise (one pass over the window).
      out[off + t] = (float) (zi * c1 + zr * s1 + z2i * c2 + z2r * s2 + z3i * c3 + z3r * s3
          + noiseStd * rng.nextGaussian());
      double nr = zr * rc - zi * rs;
      zi = zr * rs + zi * rc;
      zr = nr;
    }
    if (condition.location() == FaultLocation.NONE) {
      return;
    }
    double rate = geometry.impactRate(condition.location(), fr);
    double period = sampleRate / rate; // samples between impacts
    double modRate = switch (condition.location()) {
      case INNER_RACE -> fr;
      case BALL -> geometry.ftf(fr);
      default -> 0;
    };
    double modPhase = 2 * Math.PI * rng.nextDouble();
    double amp = impactAmplitude * condition.severity();
    // Start one ring length before the window so that tails of earlier impacts enter it.
    double time = -ring.length + period * rng.nextDouble();
    boolean outerContact = rng.nextBoolean();
    while (time < len) {
      int start = (int) Math.round(time);
      double a = amp * (1 + 0.1 * rng.nextGaussian());
      if (modRate > 0) {
        a *= 0.6 + 0.4 * StrictMath.cos(2 * Math.PI * modRate * time / sampleRate + modPhase);
      }
      if (condition.location() == FaultLocation.BALL) {
        a *= outerContact ? 1.0 : 0.6;
        outerContact = !outerContact;
      }
      float af = (float) a;
      int jFrom = Math.max(0, -start);
      int jTo = Math.min(ring.length, len - start);
      for (int j = jFrom; j < jTo; j++) {
        out[off + start + j] += af * ring[j];
      }
      time += period * (1 + jitter * rng.nextGaussian());
    }
  }

  /** Parameters of the synthetic bearing dataset, with CWRU-like defaults. */
  public static final class Builder {
    private double sampleRate = 12_000;
    private int windowLength = 2048;
    private List<BearingCondition> classes = BearingCondition.standard(3);
    private int examplesPerClass = 100;
    private long seed = 42;
    private double nominalRpm = 1797;
    private double speedVariation = 0.03;
    private BearingGeometry geometry = BearingGeometry.SKF_6205;
    private double resonanceHz = 3000;
    private double damping = 0.05;
    private double jitter = 0.015;
    private double noiseStd = 0.1;
    private double impactAmplitude = 0.5;
    private boolean parallel = true;

    private Builder() {
    }

    public Builder sampleRate(double hz) {
      this.sampleRate = Args.positiveFinite("sample rate", hz);
      return this;
    }

    public Builder windowLength(int n) {
      this.windowLength = Args.positive("window length", n);
      return this;
    }

    public Builder classes(List<BearingCondition> classes) {
      Args.notNull("classes", classes);
      if (classes.isEmpty()) {
        throw new IllegalArgumentException("need at least one class, got none");
      }
      var seen = new HashSet<BearingCondition>();
      for (BearingCondition c : classes) {
        if (!seen.add(Args.notNull("class", c))) {
          throw new IllegalArgumentException("class " + c.name() + " is listed twice");
        }
      }
      this.classes = List.copyOf(classes);
      return this;
    }

    public Builder examplesPerClass(int n) {
      this.examplesPerClass = Args.positive("examples per class", n);
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder nominalRpm(double rpm) {
      this.nominalRpm = Args.positiveFinite("nominal rpm", rpm);
      return this;
    }

    /** Relative half-width of the uniform random shaft speed around the nominal one, in [0, 0.5). */
    public Builder speedVariation(double v) {
      if (!(v >= 0 && v < 0.5)) {
        throw new IllegalArgumentException("speed variation must be in [0, 0.5), got " + v);
      }
      this.speedVariation = v;
      return this;
    }

    public Builder geometry(BearingGeometry g) {
      this.geometry = Args.notNull("geometry", g);
      return this;
    }

    public Builder resonanceHz(double hz) {
      this.resonanceHz = Args.positiveFinite("resonance frequency", hz);
      return this;
    }

    /** Damping ratio ζ of the resonance, in (0, 1). */
    public Builder damping(double zeta) {
      this.damping = Args.openFraction("damping ratio", zeta);
      return this;
    }

    /** Relative standard deviation of the impact intervals (slip), in [0, 0.2]. */
    public Builder jitter(double j) {
      if (!(j >= 0 && j <= 0.2)) {
        throw new IllegalArgumentException("jitter must be in [0, 0.2], got " + j);
      }
      this.jitter = j;
      return this;
    }

    public Builder noiseStd(double s) {
      if (!(s >= 0) || !Double.isFinite(s)) {
        throw new IllegalArgumentException("noise standard deviation must be finite and >= 0, got " + s);
      }
      this.noiseStd = s;
      return this;
    }

    /** Impact amplitude at severity 1. */
    public Builder impactAmplitude(double a) {
      this.impactAmplitude = Args.positiveFinite("impact amplitude", a);
      return this;
    }

    /** Generate examples on the common fork-join pool; the result is identical either way. */
    public Builder parallel(boolean p) {
      this.parallel = p;
      return this;
    }

    public SyntheticBearing build() {
      if (resonanceHz >= sampleRate / 2) {
        throw new IllegalArgumentException("resonance " + resonanceHz + " Hz must be below the Nyquist frequency "
            + sampleRate / 2 + " Hz");
      }
      double maxRate = geometry.impactRate(FaultLocation.INNER_RACE, nominalRpm / 60 * (1 + speedVariation));
      if (maxRate >= sampleRate / 4) {
        throw new IllegalArgumentException("impact rate up to " + maxRate + " Hz is too high for the sample rate "
            + sampleRate + " Hz");
      }
      if ((long) classes.size() * examplesPerClass * windowLength > Integer.MAX_VALUE - 8) {
        throw new IllegalArgumentException(classes.size() + " classes × " + examplesPerClass + " examples × "
            + windowLength + " samples exceed one array; generate fewer examples");
      }
      return new SyntheticBearing(this);
    }
  }
}
