package drsn.cli.internal;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * How one classified window of a signal is printed (text line, CSV row, JSON object), with its
 * offset in seconds when the sample rate is known and in samples otherwise; shared by timelines
 * of files and by streams.
 *
 * @param name       the input's name
 * @param classNames the model's classes
 * @param sampleRate samples per second, 0 when unknown
 */
public record WindowLines(String name, List<String> classNames, double sampleRate) {

  /** "1.250 s" with a known sample rate, else "sample 15000". */
  public String time(long sample) {
    return sampleRate > 0 ? String.format(Locale.ROOT, "%.3f s", sample / sampleRate) : "sample " + sample;
  }

  /** Seconds from the start, or null without a known sample rate. */
  public Double seconds(long sample) {
    return sampleRate > 0 ? sample / sampleRate : null;
  }

  /** "name @ 1.250 s: class (0.930)". */
  public String textLine(long start, float[] probabilities, int best) {
    return String.format(Locale.ROOT, "%s @ %s: %s (%.3f)", name, time(start), classNames.get(best),
        probabilities[best]);
  }

  /** input, start sample, start seconds, class, one probability per class. */
  public String csvRow(long start, float[] probabilities, int best) {
    StringBuilder b = new StringBuilder(csvField(name)).append(',').append(start).append(',');
    Double sec = seconds(start);
    b.append(sec == null ? "" : String.format(Locale.ROOT, "%.6f", sec)).append(',')
        .append(csvField(classNames.get(best)));
    for (float p : probabilities) {
      b.append(',').append(String.format(Locale.ROOT, "%.6f", p));
    }
    return b.toString();
  }

  /** The header of {@link #csvRow} rows. */
  public static String csvHeader(List<String> classNames) {
    StringBuilder b = new StringBuilder("input,start_sample,start_seconds,class");
    for (String c : classNames) {
      b.append(',').append(csvField("p_" + c));
    }
    return b.toString();
  }

  static String csvField(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** {start, seconds, class, probability}. */
  public Map<String, Object> windowMap(long start, float[] probabilities, int best) {
    Map<String, Object> wm = new LinkedHashMap<>();
    wm.put("start", start);
    wm.put("seconds", seconds(start));
    wm.put("class", classNames.get(best));
    wm.put("probability", (double) probabilities[best]);
    return wm;
  }
}
