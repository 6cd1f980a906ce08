/**
 * Datasets for signal classification, and the preparation that keeps evaluations honest.
 *
 * <ul>
 *   <li>{@link drsn.data.Dataset}: labelled examples of one shape (C×L or C×H×W) in one float
 *       array; seeded shuffles, stratified splits, subsets. {@link drsn.data.Batcher} serves it in
 *       caller-owned {@link drsn.data.Batch} buffers, applying an {@link drsn.data.Augmentation}
 *       ({@link drsn.data.NoiseAugmentation}, {@link drsn.data.CircularShift},
 *       {@link drsn.data.RandomCrop}) per example.</li>
 *   <li>{@link drsn.data.Noise}: white Gaussian, Laplacian and pink noise at a target SNR relative
 *       to each example's own power, as a fixed noisy copy or per batch.</li>
 *   <li>{@link drsn.data.Recording} and {@link drsn.data.RecordingWindows}: long recordings split
 *       by time before windowing, the only way to get windowed train/test data;
 *       {@link drsn.data.Decimator} (anti-aliased), {@link drsn.data.FixedLength},
 *       {@link drsn.data.Normalization} and {@link drsn.data.ChannelStats} (fitted on training
 *       data only).</li>
 *   <li>{@link drsn.data.SyntheticBearing}: the built-in rolling-bearing vibration dataset;
 *       {@link drsn.data.CwruDataset} and {@link drsn.data.UcrDataset}: the real benchmarks from
 *       their original files (read by {@code drsn.data.io}).</li>
 * </ul>
 */
package drsn.data;
