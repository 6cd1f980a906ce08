package drsn.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** One model per asset as Spark tasks: each the model {@code drsn train} writes for that asset's data. */
@Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
class TrainAssetsTest {

  static final List<String> OPTIONS = List.of("--length", "200", "--split-by", "time", "--validation", "0",
      "--widths", "4,8", "--units", "1,1", "--batch", "16", "--threads", "1", "--epochs", "1", "--model", "drsn-cw",
      "--seed", "3", "--quiet");

  @TempDir
  Path dir;

  @Test
  void everyAssetGetsTheModelOfDrsnTrainOnItsData() throws Exception {
    Path assets = dir.resolve("assets");
    for (String asset : List.of("pump-a", "pump-b")) {
      for (String cls : List.of("healthy", "fault")) {
        Path d = Files.createDirectories(assets.resolve(asset).resolve(cls));
        for (int f = 0; f < 2; f++) {
          int period = (cls.equals("healthy") ? 9 : 4) + f + (asset.endsWith("b") ? 2 : 0);
          TestFiles.npy(d.resolve(f + ".npy"), TestFiles.signal(1400, period, asset.hashCode() + 10L * f), 1400);
        }
      }
    }
    Path root = dir.resolve("models");
    List<String> args = new ArrayList<>(List.of("train-assets", "--master", "local[2]", "--assets", assets.toString(),
        "--out", root.toString()));
    args.addAll(OPTIONS);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    assertEquals(0, SparkDrsn.run(SharedSpark.get(), new PrintWriter(out), new PrintWriter(err),
        args.toArray(new String[0])), err.toString());
    assertTrue(out.toString().contains("pump-a: ") && out.toString().contains("pump-b: "), out.toString());

    for (String asset : List.of("pump-a", "pump-b")) {
      Path local = dir.resolve("local").resolve(asset);
      List<String> train = new ArrayList<>(List.of("train", "--data", assets.resolve(asset).toString(), "--out",
          local.toString()));
      train.addAll(OPTIONS);
      StringWriter e = new StringWriter();
      assertEquals(0, drsn.cli.Main.run(new PrintWriter(new StringWriter()), new PrintWriter(e),
          train.toArray(new String[0])), e.toString());
      var a = drsn.nn.Checkpoint.load(local.resolve("model.safetensors"));
      var b = drsn.nn.Checkpoint.load(root.resolve(asset).resolve("model.safetensors"));
      for (var t : a.architecture().layout()) {
        assertArrayEquals(a.tensor(t.name()), b.tensor(t.name()), asset + " " + t.name());
      }
    }
  }
}
