package drsn.data;

/** The three noise types of the DRSN paper's experiments. */
public enum NoiseKind {
  /** Independent Gaussian samples: flat power spectrum. */
  WHITE_GAUSSIAN,
  /** Independent Laplace samples: flat spectrum, heavy tails (kurtosis 6). */
  LAPLACIAN,
  /** Gaussian noise with power spectral density ∝ 1/f (−10 dB per decade), by FFT shaping. */
  PINK
}
