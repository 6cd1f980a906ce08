package drsn.tensor.internal;

import drsn.tensor.KernelProvider;
import drsn.tensor.scalar.DefaultKernelProvider;
import java.lang.System.Logger.Level;
import java.util.Optional;

/** Chooses the kernel provider once per JVM; see {@link KernelProvider#get()}. */
public final class ProviderSelection {

  private static final String SIMD_MODULE = "jdk.incubator.vector";
  private static final String PANAMA_PROVIDER = "drsn.tensor.simd.PanamaKernelProvider";

  private ProviderSelection() {
  }

  /** In a holder: the scalar kernels alone (a program's first answers) need no logging set-up. */
  private static final class Log {
    static final System.Logger LOG = System.getLogger("drsn.tensor");
  }

  private static final class Scalar {
    static final KernelProvider INSTANCE = new DefaultKernelProvider();
  }

  private record SimdLoad(Optional<KernelProvider> provider, String whyNot) {
  }

  private static final class Simd {
    static final SimdLoad LOAD = loadSimd();
  }

  private static final class Chosen {
    static final KernelProvider INSTANCE = choose();
  }

  public static KernelProvider scalar() {
    return Scalar.INSTANCE;
  }

  public static Optional<KernelProvider> simd() {
    return Simd.LOAD.provider();
  }

  public static KernelProvider chosen() {
    return Chosen.INSTANCE;
  }

  private static KernelProvider choose() {
    String flag = System.getProperty("drsn.simd", "true").trim();
    if (flag.equalsIgnoreCase("false")) {
      Log.LOG.log(Level.INFO, "drsn: SIMD kernels disabled by -Ddrsn.simd=false; using scalar kernels");
      return scalar();
    }
    Optional<KernelProvider> simd = simd();
    if (simd.isPresent()) {
      Log.LOG.log(Level.DEBUG, () -> "drsn: using " + simd.get().name() + " kernels");
      return simd.get();
    }
    Log.LOG.log(Level.WARNING, "drsn: Java Vector API not available (" + Simd.LOAD.whyNot()
        + "); using scalar kernels, several times slower. To enable SIMD, start the JVM with "
        + "--add-modules " + SIMD_MODULE + ".");
    return scalar();
  }

  private static SimdLoad loadSimd() {
    Optional<Module> vector = ModuleLayer.boot().findModule(SIMD_MODULE);
    if (vector.isEmpty()) {
      return new SimdLoad(Optional.empty(), "module " + SIMD_MODULE + " is not in the boot layer");
    }
    String compilerIssue = C2Check.problem();
    if (compilerIssue != null) {
      return new SimdLoad(Optional.empty(), compilerIssue);
    }
    // A named drsn.tensor declares 'requires static', which does not make the module readable at
    // run time; on the class path (unnamed module) this is a no-op.
    ProviderSelection.class.getModule().addReads(vector.get());
    try {
      KernelProvider p = (KernelProvider) Class.forName(PANAMA_PROVIDER)
          .getDeclaredConstructor().newInstance();
      return new SimdLoad(Optional.of(p), "");
    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
      return new SimdLoad(Optional.empty(), "the Vector API kernels failed to load: " + e);
    }
  }
}
