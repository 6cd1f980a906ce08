package drsn.cli.internal;

import java.util.Locale;

/**
 * Two models' accuracies over the same seeds (same data, same noise), compared pairwise: the mean
 * difference, a 95 % confidence interval from Student's t over the paired differences, wins, ties
 * and losses, and an exact two-sided sign test — enough to say how sure a difference is.
 */
public record PairedComparison(double meanA, double meanB, double meanDifference, double halfWidth95, int wins,
                               int ties, int losses, double signTestP) {

  /** Student's t quantile 0.975 for 1..30 degrees of freedom. */
  private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201,
      2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052,
      2.048, 2.045, 2.042};

  /** b compared with a, seed by seed (same lengths). */
  public static PairedComparison of(double[] a, double[] b) {
    if (a.length != b.length || a.length == 0) {
      throw new IllegalArgumentException("need the same positive number of results, got " + a.length + " and "
          + b.length);
    }
    int n = a.length;
    double ma = 0;
    double mb = 0;
    double md = 0;
    int wins = 0;
    int ties = 0;
    int losses = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i] / n;
      mb += b[i] / n;
      md += (b[i] - a[i]) / n;
      if (b[i] > a[i]) {
        wins++;
      } else if (b[i] < a[i]) {
        losses++;
      } else {
        ties++;
      }
    }
    double var = 0;
    for (int i = 0; i < n; i++) {
      double d = b[i] - a[i] - md;
      var += d * d;
    }
    double half = n < 2 ? Double.NaN : t975(n - 1) * Math.sqrt(var / (n - 1) / n);
    return new PairedComparison(ma, mb, md, half, wins, ties, losses, signTest(wins, losses));
  }

  /** Exact two-sided sign test over the non-tied pairs. */
  static double signTest(int wins, int losses) {
    int m = wins + losses;
    if (m == 0) {
      return 1;
    }
    int k = Math.min(wins, losses);
    double p = 0;
    double c = 1; // C(m, 0)
    for (int i = 0; i <= k; i++) {
      p += c;
      c = c * (m - i) / (i + 1);
    }
    return Math.min(1, 2 * p / Math.pow(2, m));
  }

  private static double t975(int df) {
    return df <= T975.length ? T975[df - 1] : 1.96;
  }

  /** One or two sentences: the difference, its interval, and whether it is resolved. */
  public String verdict(String nameB, String nameA) {
    int n = wins + ties + losses;
    String diff = String.format(Locale.ROOT, "%s - %s: %+.2f points on average over %d seed%s (%d better, %d equal, "
        + "%d worse)", nameB, nameA, 100 * meanDifference, n, n == 1 ? "" : "s", wins, ties, losses);
    if (n < 2) {
      return diff + "; one seed says nothing about how sure that is (use --seeds 3 or more).";
    }
    double lo = meanDifference - halfWidth95;
    double hi = meanDifference + halfWidth95;
    String ci = String.format(Locale.ROOT, "; 95 %% interval of the mean difference [%+.2f, %+.2f], sign test p = %.2f",
        100 * lo, 100 * hi, signTestP);
    String sure = lo > 0 ? nameB + " is ahead beyond the seed-to-seed spread."
        : hi < 0 ? nameA + " is ahead beyond the seed-to-seed spread."
        : "the difference is within the seed-to-seed spread: no winner at this many seeds.";
    return diff + ci + ". " + Character.toUpperCase(sure.charAt(0)) + sure.substring(1);
  }
}
