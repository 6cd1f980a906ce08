package drsn.bench;

import drsn.data.Dataset;
import drsn.data.SyntheticBearing;
import drsn.nn.Architecture;
import drsn.nn.Family;
import drsn.train.EpochSummary;
import drsn.train.LearningRateSchedule;
import drsn.train.Progress;
import drsn.train.Trainer;
import drsn.train.TrainingConfig;
import drsn.train.TrainingListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Locale;

/**
 * Heap needed to train the paper's DRSN-CW at batch 128 (L = 2048, 10 classes): trains a few
 * epochs on a small synthetic set and prints the largest used heap sampled after every step
 * (garbage included) and the largest live heap after a full GC at the end of each epoch. Run it
 * in a JVM capped at 256 MB (or less): finishing proves the cap suffices.
 *
 * <pre>
 *   java -Xmx256m --add-modules jdk.incubator.vector -cp drsn.bench/target/benchmarks.jar \
 *        drsn.bench.TrainingMemoryRun [threads=2] [epochs=2]
 * </pre>
 */
public final class TrainingMemoryRun {

  private TrainingMemoryRun() {
  }

  public static void main(String[] args) {
    int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
    int epochs = args.length > 1 ? Integer.parseInt(args[1]) : 2;
    Dataset data = SyntheticBearing.builder().examplesPerClass(40).parallel(false).seed(3).build().generate();
    Architecture arch = Architecture.paper(Family.DRSN_CW, data.exampleSize(), data.numClasses())
        .withClassNames(data.classNames());
    MemoryMXBean heap = ManagementFactory.getMemoryMXBean();
    long[] maxUsed = new long[1];
    long[] maxLive = new long[1];
    TrainingConfig watched = TrainingConfig.builder().epochs(epochs).batchSize(128).microBatchSize(32)
        .threads(threads).schedule(LearningRateSchedule.paper(0.1)).listener(new TrainingListener() {
          @Override
          public void onBatch(Progress p) {
            maxUsed[0] = Math.max(maxUsed[0], heap.getHeapMemoryUsage().getUsed());
          }

          @Override
          public void onEpoch(EpochSummary s, Progress p) {
            // The live set at the end of an epoch: every training buffer is still reachable here.
            System.gc();
            maxLive[0] = Math.max(maxLive[0], heap.getHeapMemoryUsage().getUsed());
          }
        }).build();
    long start = System.nanoTime();
    try (Trainer trainer = new Trainer(arch, watched)) {
      trainer.fit(data, data);
    }
    System.out.printf(Locale.ROOT, "DRSN-CW, batch 128, %d thread(s), %d examples, %d epochs in %.1f s: trained OK "
            + "with max heap %d MB; used heap sampled after every step: max %.1f MB (includes garbage); live heap "
            + "after a full GC at epoch ends: max %.1f MB (includes the %.1f MB dataset)%n", threads, data.size(),
        epochs, (System.nanoTime() - start) / 1e9, Runtime.getRuntime().maxMemory() >> 20, maxUsed[0] / 1048576.0,
        maxLive[0] / 1048576.0, data.size() * (double) data.exampleSize() * 4 / 1048576.0);
  }
}
