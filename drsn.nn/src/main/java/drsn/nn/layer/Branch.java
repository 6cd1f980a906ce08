package drsn.nn.layer;

/**
 * The pre-activation residual branch every unit starts with:
 * <pre>
 *   x [N, in, H, W] → bn1 → ReLU → conv1 (stride) → bn2 → ReLU → conv2 → [N, out, OH, OW]
 * </pre>
 */
public record Branch(BatchNorm bn1, Conv conv1, BatchNorm bn2, Conv conv2) {
}
