package drsn.data;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a CWRU bearing file name says about its content, following the names of the original
 * MATLAB files (see shared/data/README.md): {@code normal_0_97.mat} is a healthy bearing at 48 kHz,
 * {@code 12k_Drive_End_IR007_0_105.mat} an inner-race fault of 0.007 in at 12 kHz, {@code B…} a
 * ball fault, {@code OR…@6} an outer-race fault at 6 o'clock. The trailing number is the one in the
 * variable names ({@code X105_DE_time}).
 */
public record CwruFile(String fileName, FaultLocation location, int faultMils, double sampleRate, int number) {

  private static final Pattern FAULT = Pattern.compile("(?i)^(12k|48k)_(?:Drive|Fan)_End_(IR|B|OR)(\\d{3})(?:@\\d+)?_\\d+_(\\d+)\\.mat$");
  private static final Pattern NORMAL = Pattern.compile("(?i)^normal_\\d+_(\\d+)\\.mat$");

  /** The file's description, or empty if the name does not follow the CWRU scheme. */
  public static Optional<CwruFile> parse(String fileName) {
    Args.notNull("file name", fileName);
    Matcher m = NORMAL.matcher(fileName);
    if (m.matches()) {
      // The CWRU normal baseline recordings are sampled at 48 kHz.
      return Optional.of(new CwruFile(fileName, FaultLocation.NONE, 0, 48_000, Integer.parseInt(m.group(1))));
    }
    m = FAULT.matcher(fileName);
    if (m.matches()) {
      double rate = m.group(1).equalsIgnoreCase("48k") ? 48_000 : 12_000;
      FaultLocation loc = switch (m.group(2).toUpperCase(Locale.ROOT)) {
        case "IR" -> FaultLocation.INNER_RACE;
        case "B" -> FaultLocation.BALL;
        default -> FaultLocation.OUTER_RACE;
      };
      return Optional.of(new CwruFile(fileName, loc, Integer.parseInt(m.group(3)), rate, Integer.parseInt(m.group(4))));
    }
    return Optional.empty();
  }

  /** Class name: {@code normal} or e.g. {@code inner_race_007} (fault diameter in mils). */
  public String className() {
    return location == FaultLocation.NONE ? "normal" : location.label() + String.format(Locale.ROOT, "_%03d", faultMils);
  }

  /** Name of the drive-end accelerometer variable, e.g. {@code X105_DE_time}. */
  public String driveEndVariable() {
    return String.format(Locale.ROOT, "X%03d_DE_time", number);
  }
}
