package drsn.cli;

import drsn.cli.internal.CliException;
import drsn.cli.internal.DataSources;
import drsn.cli.internal.SignalFiles;
import drsn.data.SplitUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How recording files (class folders, manifests) are read, windowed and split: shared by train and eval. */
final class RecordingOptions {

  @Option(names = "--stride", defaultValue = "0", paramLabel = "S",
      description = "Recordings: samples between windows (default: half the window length).")
  int stride;

  @Option(names = "--split-by", defaultValue = "recording", paramLabel = "UNIT",
      description = "Recordings: recording (whole recordings, or whole groups of a manifest's group column, go to "
          + "one side; at least 2 per class) or time (every recording split at 80 %% of its length, as cwru:) "
          + "(default: ${DEFAULT-VALUE}).")
  String splitBy = "recording";

  @Option(names = "--columns", split = ",", paramLabel = "COL",
      description = "CSV columns that are the channels of a recording, by header name or number from 1 "
          + "(default: all columns).")
  List<String> columns = new ArrayList<>();

  @Option(names = "--rate", defaultValue = "0", paramLabel = "HZ",
      description = "Sample rate of CSV and NPY files, which do not state one (WAV files do).")
  double rate;

  SplitUnit unit() {
    return switch (splitBy.toLowerCase(Locale.ROOT)) {
      case "time" -> SplitUnit.TIME;
      case "recording", "group" -> SplitUnit.RECORDING;
      default -> throw new CliException("--split-by must be time or recording, got '" + splitBy + "'");
    };
  }

  DataSources.Options options(int length, int perClass, long seed, String testData) {
    return new DataSources.Options(length, stride, perClass, seed, unit(), testData,
        new SignalFiles.RecordingOptions(columns, rate));
  }
}
