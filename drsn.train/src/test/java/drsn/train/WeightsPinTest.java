package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.data.Dataset;
import drsn.nn.Architecture;
import drsn.nn.Checkpoint;
import drsn.nn.Family;
import drsn.nn.Model;
import drsn.nn.ParameterSet;
import drsn.tensor.KernelProvider;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Refactors must not change what training computes: SHA-256 digests of the weights, running
 * statistics, predicted probabilities and saved model file of short seeded runs of every family (1-D, one 2-D, one with
 * projection shortcuts and Adam), pinned before the one-definition refactor (issue 13) for the
 * kernel paths of this machine kind (scalar, and SIMD at 512 bits; the SIMD pins were re-pinned on
 * 2026-12-07 for issue 16's direct 1-D weight gradient, whose summation order is new, and again for
 * its vectorised row tails, which sum the last partial vector of a row in vector lanes, and again
 * for batch norm's backward, whose sums now run over a whole channel in the same vector accumulators, and on
 * 2026-12-08 for the row reductions' lanes summed as a tree (the shrinkage families only); the run
 * with 8 and 16 channels was added on 2026-12-07, after the weight gradient with vectors across input
 * channels, which the tiny runs do not reach). A change to any kernel's bits,
 * to the order of a reduction, to the initialisation or to the file format shows up here. On
 * another kernel path (another vector width) the test is skipped: those bits differ legitimately.
 */
class WeightsPinTest {

  /** kernel path → run name → digest of weights+statistics, then of the model file. */
  private static final Map<String, Map<String, String>> PINNED = Map.of(
      "scalar", Map.ofEntries(
          Map.entry("convnet-1d", "5c131c4c5a6641edb8241450071248aa 3795750acf5505f74731e20ad75e9e05"),
          Map.entry("drsn_cw-8-16", "4151f279fa405e0e89544375888fc4fe e97d9e067ba4a03e3f6ca9f4890e3c61"),
          Map.entry("drsn_cs-1d", "fc8c4879153fd9757451da9cc986699f e177fe24a5b5f60e5999ef030532269c"),
          Map.entry("drsn_cs-projection-adam", "8d49e90fe085d692ffa7f98de2f37be4 667e1313b3eb8fd46e63caac30f115e1"),
          Map.entry("drsn_cw-1d", "6ca7eb02d939ab06c7c557891aca17a8 8ef4379b4b9cd9ab04810be2adb0ec54"),
          Map.entry("drsn_cw-2d", "b7556936258b26d9e475c4d5c444fc16 ec6bc594b1295eb2858ff67f6bf8466f"),
          Map.entry("resnet-1d", "f4a921fddd82a6010953ba261287378e ae0325da2939f268a205ba4b54fe0e39"),
          Map.entry("senet-1d", "c354facb13b1e6315378920f130128e7 7ff4440308f9d0b0fb7e76f4d6189abf")),
      "simd-512", Map.ofEntries(
          Map.entry("convnet-1d", "6c9f9983ab74267e36709a54616b54b9 e32a48ebe67400aefd39067ee9c76a32"),
          Map.entry("drsn_cw-8-16", "79b5910255b08a11473dd32636a01774 c6032bd63b65a39e8a9ae9d98ff02515"),
          Map.entry("drsn_cs-1d", "02cc15733633b00be793ad3d989e6061 202f85b665b65a4ff93e55402f63fe27"),
          Map.entry("drsn_cs-projection-adam", "114be4d14f5f5be4ffc0b0b25ccf4a78 3442b307409756afb606937a7654ebd1"),
          Map.entry("drsn_cw-1d", "1de28bcb930b62743031684ca9075976 3c8e10bdbb37747c77299e23bd896d07"),
          Map.entry("drsn_cw-2d", "940defdd7a5e29c44983fce54a5c6797 4324b60bb6ec03cff82f1398374bf83c"),
          Map.entry("resnet-1d", "2e3770beb3606ba4b8e06c80afd6550f f0f0af1cb33b2d528346f1e1e584bb2e"),
          Map.entry("senet-1d", "ad5c98dcf4da31b022b3594bc39babd1 7edff0f3d5649635e49f9fa491e4f4f1")));

  @Test
  void shortSeededRunsGiveThePinnedWeights(@TempDir Path dir) throws Exception {
    String path = KernelProvider.get().name();
    Map<String, String> actual = new TreeMap<>();
    for (Family f : Family.values()) {
      record(actual, dir, f.name().toLowerCase() + "-1d", TinyData.arch(f), TinyData.dataset(48, 0.3, 5),
          OptimizerSettings.paper());
    }
    Architecture twoD = new Architecture(Family.DRSN_CW, 2, 2, 8, 8, List.of(2, 4), List.of(1, 1), 3, 1, 2, 3,
        List.of("a", "b", "c"), List.of(0.1f, -0.2f), List.of(1.5f, 0.5f), 2, false);
    record(actual, dir, "drsn_cw-2d", twoD, images(48, 9), OptimizerSettings.paper());
    // 8 and 16 channels over rows of 16+ positions: the direct kernels' blocks of 8 channels and
    // the weight gradient with vectors across 16 input channels (the tiny runs above have 2-4)
    Architecture wide = new Architecture(Family.DRSN_CW, 1, 1, 1, 128, List.of(8, 16), List.of(1, 1), 3, 2, 2, 3,
        List.of("low", "mid", "high"), List.of(0f), List.of(1f), 2, false);
    record(actual, dir, "drsn_cw-8-16", wide, signals(32, 128, 7), OptimizerSettings.paper());
    record(actual, dir, "drsn_cs-projection-adam", TinyData.arch(Family.DRSN_CS).withProjectionShortcut(true),
        TinyData.dataset(48, 0.3, 6), OptimizerSettings.adamW(0.9, 0.999, 1e-8, 1e-2));
    Map<String, String> pinned = PINNED.get(path);
    assumeTrue(pinned != null && !pinned.isEmpty(), "no pinned digests for kernel path " + path);
    assertEquals(new TreeMap<>(pinned), actual, "digests of the weights of seeded runs on " + path);
  }

  private static void record(Map<String, String> out, Path dir, String name, Architecture arch, Dataset data,
                             OptimizerSettings opt) throws Exception {
    TrainingConfig cfg = TrainingConfig.builder().epochs(2).batchSize(16).microBatchSize(8).threads(2).seed(13)
        .optimizer(opt).schedule(LearningRateSchedule.paper(0.05)).build();
    TrainingResult result;
    try (Trainer t = new Trainer(arch, cfg)) {
      result = t.fit(data, null);
    }
    Model model = result.finalModel();
    ParameterSet p = model.copyParameters();
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    // The inference path too: probabilities of the training examples through a Predictor.
    float[] signals = new float[data.size() * data.exampleSize()];
    for (int i = 0; i < data.size(); i++) {
      System.arraycopy(data.example(i), 0, signals, i * data.exampleSize(), data.exampleSize());
    }
    float[] probabilities = new float[data.size() * arch.classes()];
    model.predictor().predictBatch(signals, data.size(), probabilities);
    for (float[] a : new float[][] {p.values(), p.statistics(), probabilities}) {
      for (float v : a) {
        int bits = Float.floatToRawIntBits(v);
        sha.update(new byte[] {(byte) bits, (byte) (bits >> 8), (byte) (bits >> 16), (byte) (bits >> 24)});
      }
    }
    Path file = dir.resolve(name + ".safetensors");
    Checkpoint.save(model, file);
    String weights = HexFormat.of().formatHex(sha.digest()).substring(0, 32);
    String bytes = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)))
        .substring(0, 32);
    out.put(name, weights + " " + bytes);
  }

  /** n signals of 1×length: a sinusoid of 1, 3 or 6 cycles by class, random phase, plus noise. */
  private static Dataset signals(int n, int length, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * length];
    int[] labels = new int[n];
    int[] cycles = {1, 3, 6};
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      double phase = r.nextDouble(2 * Math.PI);
      for (int t = 0; t < length; t++) {
        x[i * length + t] = (float) (Math.sin(2 * Math.PI * cycles[labels[i]] * t / length + phase)
            + 0.3 * r.nextGaussian());
      }
    }
    return Dataset.of(x, labels, new int[] {1, length}, List.of("low", "mid", "high"));
  }

  /** n two-channel 8×8 images: the class sets which diagonal band is bright, plus noise. */
  private static Dataset images(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * 2 * 64];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 3;
      for (int c = 0; c < 2; c++) {
        for (int h = 0; h < 8; h++) {
          for (int w = 0; w < 8; w++) {
            double band = ((h + w + c) % 3 == labels[i]) ? 1 : 0;
            x[((i * 2 + c) * 8 + h) * 8 + w] = (float) (band + 0.3 * r.nextGaussian());
          }
        }
      }
    }
    return Dataset.of(x, labels, new int[] {2, 8, 8}, List.of("a", "b", "c"));
  }
}
