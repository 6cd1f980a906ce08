package drsn.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import drsn.data.Dataset;
import drsn.nn.Family;
import drsn.nn.internal.SafeTensors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A saved training state is verified by its checksum, and a resume cleans what a killed save left. */
class TrainingStateIntegrityTest {

  /** The state file of one epoch of a tiny run (with a validation set) checkpointed in dir. */
  private static Path trainOneEpoch(Path dir) {
    Dataset train = TinyData.dataset(40, 0.3, 1);
    TrainingConfig cfg = TrainingConfig.builder().epochs(1).batchSize(8).microBatchSize(4).threads(1).seed(3)
        .checkpoints(dir, 1).build();
    try (Trainer t = new Trainer(TinyData.arch(Family.RESNET), cfg)) {
      t.fit(train, train);
    }
    return dir.resolve(Trainer.STATE_FILE);
  }

  @Test
  void aFlippedByteIsRefusedAndStaleTemporariesAreRemovedOnResume(@TempDir Path dir) throws IOException {
    Path state = trainOneEpoch(dir);
    byte[] good = Files.readAllBytes(state);
    assertEquals(1, TrainingState.load(state).completedEpochs);

    Path stale = dir.resolve("." + Trainer.STATE_FILE + ".q8z2.tmp");
    Files.write(stale, new byte[100]);
    TrainingState.load(state);
    assertFalse(Files.exists(stale), "loading for a resume removes a killed save's temporary file");

    byte[] flipped = good.clone();
    long header = ByteBuffer.wrap(good, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
    flipped[(int) (8 + header + 4 * 3)] ^= 1; // lowest mantissa bit of a weight
    Files.write(state, flipped);
    IOException e = assertThrows(IOException.class, () -> TrainingState.load(state));
    assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
  }

  /** Every state this code writes records the run's length, its past rates and its data: none may be missing. */
  @Test
  void aStateLackingWhatAResumeChecksIsRefusedNamingTheKey(@TempDir Path dir) throws IOException {
    Path state = trainOneEpoch(dir);
    SafeTensors.Contents saved = SafeTensors.read(state, meta -> Long.MAX_VALUE);
    for (String key : List.of("drsn.train.total_steps", "drsn.train.past_rates_sha256", "drsn.train.data_sha256")) {
      Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
      meta.remove(key);
      Path lacking = dir.resolve("lacking.safetensors");
      SafeTensors.write(lacking, meta, saved.tensors());
      IOException e = assertThrows(IOException.class, () -> TrainingState.load(lacking));
      assertTrue(e.getMessage().contains("metadata lacks '" + key + "'"), e.getMessage());
    }
  }
}
