package drsn.bench;

import java.util.List;
import java.util.Set;

/**
 * Attributes a sampled stack (frames as {@code package.Class.method}, innermost first) to the layer
 * kind it was working for, from the first drsn.nn / drsn.train frame (the caller) and the kernel
 * it was inside (the drsn.tensor frame that caller called, if any).
 */
final class LayerKinds {

  private static final Set<String> SOFT_THRESHOLD = Set.of("forwardPerChannel", "forwardPerSample", "forward");
  private static final Set<String> SOFT_THRESHOLD_BACKWARD = Set.of("backwardPerChannel", "backwardPerSample",
      "backward");

  private LayerKinds() {
  }

  /** The layer kind of a sample, or null if the sample is not in drsn's code. */
  static String classify(List<String> frames) {
    int ci = callerIndex(frames);
    if (ci < 0) {
      return frames.stream().anyMatch(f -> f.startsWith("drsn.tensor.")) ? "kernel (no drsn.nn caller)" : null;
    }
    String caller = simpleClass(frames.get(ci));
    String method = method(frames.get(ci));
    String kernel = ci > 0 && frames.get(ci - 1).startsWith("drsn.tensor.") ? kernelMethod(frames, ci) : "";
    boolean inShrinkage = below(frames, ci, ".ShrinkageUnit.");
    boolean inShortcut = below(frames, ci, ".Shortcut.");
    boolean backward = isBackward(frames, ci);
    String dir = backward ? " backward" : " forward";
    return switch (caller) {
      case "Conv" -> (inShortcut ? "shortcut " : "") + switch (kernel) {
        case "backwardWeights" -> "conv backward-weights";
        case "backwardInput" -> "conv backward-data";
        case "forward" -> "conv forward";
        default -> "conv (layer code)";
      };
      // A convolution after a batch norm and ReLU is called through the batch norm in training (it
      // rebuilds the convolution's input from its own input and statistics), forward and weight gradient.
      case "BatchNorm" -> kernel.equals("backwardWeightsFromBatchNormRelu") ? "conv backward-weights"
          : kernel.equals("forwardFromBatchNormRelu") ? "conv forward"
          : method.equals("mergeRunningStatistics") ? "running-statistics merge"
          : inShrinkage ? "shrinkage: threshold subnet (FC, BN, ReLU, sigmoid)" : "batch norm" + dir;
      case "Linear" -> inShrinkage ? "shrinkage: threshold subnet (FC, BN, ReLU, sigmoid)"
          : below(frames, ci, ".SqueezeExcitationUnit.") ? "squeeze-excitation subnet" : "FC (classifier)" + dir;
      case "Unit" -> switch (kernel) {
        case "relu" -> "ReLU forward";
        case "reluBackward" -> "ReLU backward";
        case "add" -> "residual add backward (dIn += branch gradient)";
        default -> "unit (layer code)";
      };
      case "Network" -> switch (kernel) {
        case "relu" -> "ReLU forward";
        case "reluBackward" -> "ReLU backward";
        case "shiftScale", "scale" -> "input normalisation" + dir;
        default -> "network (layer code)";
      };
      case "GlobalAvgPool" -> "global average pool (head)" + dir;
      case "ShrinkageUnit" -> {
        if (kernel.equals("spatialMeanAbs")) {
          yield "shrinkage: |x|·GAP forward";
        }
        if (frames.get(ci - 1 < 0 ? 0 : ci - 1).contains("SoftThreshold")) {
          yield SOFT_THRESHOLD_BACKWARD.contains(kernel) ? "shrinkage: soft threshold backward"
              : SOFT_THRESHOLD.contains(kernel) ? "shrinkage: soft threshold forward" : "shrinkage: soft threshold";
        }
        yield kernel.isEmpty() ? "shrinkage (layer code)" : "shrinkage: threshold subnet (FC, BN, ReLU, sigmoid)";
      }
      case "Rows" -> inShrinkage ? "shrinkage: |x|·GAP backward" : "rows";
      case "Shortcut" -> kernel.equals("add") ? "residual add forward" : "shortcut" + dir;
      case "CrossEntropy" -> "softmax + cross-entropy";
      case "Predictor" -> kernel.equals("softmaxRows") ? "softmax" : "predictor (checks, pool)";
      case "Sgd", "Adam", "OptimizerBase" -> "optimiser";
      default -> frames.get(ci).startsWith("drsn.train.") ? "training step (" + caller + ")" : caller + "." + method;
    };
  }

  /** "Caller.method -> Kernel.method" of a sample, or "Caller.method" for the caller's own code. */
  static String callSite(List<String> frames) {
    int ci = callerIndex(frames);
    if (ci < 0) {
      return "(no drsn.nn/drsn.train frame)";
    }
    String site = simpleClass(frames.get(ci)) + "." + method(frames.get(ci));
    return ci > 0 && frames.get(ci - 1).startsWith("drsn.tensor.")
        ? site + " -> " + simpleClass(frames.get(ci - 1)) + "." + method(frames.get(ci - 1)) : site;
  }

  /** True if the nearest drsn.nn frame at or below the caller whose method says a direction says backward. */
  private static boolean isBackward(List<String> frames, int ci) {
    for (int i = ci; i < frames.size(); i++) {
      String m = method(frames.get(i)).toLowerCase();
      if (frames.get(i).startsWith("drsn.nn.")) {
        if (m.contains("backward")) {
          return true;
        }
        if (m.contains("forward") || m.equals("head")) {
          return false;
        }
      }
    }
    return false;
  }

  private static int callerIndex(List<String> frames) {
    for (int i = 0; i < frames.size(); i++) {
      String f = frames.get(i);
      if (f.startsWith("drsn.nn.") || f.startsWith("drsn.train.")) {
        return i;
      }
    }
    return -1;
  }

  private static String kernelMethod(List<String> frames, int ci) {
    return method(frames.get(ci - 1));
  }

  private static boolean below(List<String> frames, int from, String part) {
    for (int i = Math.max(from, 0); i < frames.size(); i++) {
      if (frames.get(i).contains(part)) {
        return true;
      }
    }
    return false;
  }

  private static String simpleClass(String frame) {
    String type = frame.substring(0, frame.lastIndexOf('.'));
    String simple = type.substring(type.lastIndexOf('.') + 1);
    int nested = simple.indexOf('$');
    return nested < 0 ? simple : simple.substring(0, nested);
  }

  private static String method(String frame) {
    return frame.substring(frame.lastIndexOf('.') + 1);
  }
}
