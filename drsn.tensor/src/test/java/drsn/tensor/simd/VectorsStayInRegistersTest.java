package drsn.tensor.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import drsn.tensor.KernelProvider;
import java.io.IOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * No method or constructor of the SIMD kernels takes or returns a Vector API value (vector, mask,
 * shuffle, species-typed vector): such a call boxes its vectors whenever C2 does not inline it,
 * which C2 decides by sizes, budgets and compile order, so a kernel that allocated nothing in one
 * run allocated 43 KB per training step in another (see {@link Lanes}).
 */
class VectorsStayInRegistersTest {

  @Test
  void noKernelMethodPassesAVectorAcrossACall() throws Exception {
    assumeTrue(KernelProvider.simd().isPresent(), "SIMD kernels unavailable in this run");
    List<Class<?>> classes = kernelClasses();
    assertTrue(classes.contains(Lanes.class) && classes.contains(DirectConvolution.class),
        "the scan found the package's classes: " + classes);
    List<String> offenders = new ArrayList<>();
    for (Class<?> c : classes) {
      List<Executable> calls = new ArrayList<>(List.of(c.getDeclaredMethods()));
      calls.addAll(List.of(c.getDeclaredConstructors()));
      for (Executable e : calls) {
        boolean vectorIn = Stream.of(e.getParameterTypes()).anyMatch(VectorsStayInRegistersTest::isVectorApi);
        boolean vectorOut = e instanceof Method m && isVectorApi(m.getReturnType());
        if (vectorIn || vectorOut) {
          offenders.add(e.toGenericString());
        }
      }
    }
    assertEquals(List.of(), offenders, "methods that pass Vector API values across a call");
  }

  /** Where the Vector API's types live; a primitive or a drsn type is fine. */
  private static boolean isVectorApi(Class<?> type) {
    return type.getPackageName().equals("jdk.incubator.vector");
  }

  /** Every class compiled into this package (nested and anonymous ones included). */
  private static List<Class<?>> kernelClasses() throws IOException, ClassNotFoundException {
    Path root = Path.of(location(Lanes.class));
    Path dir = root.resolve(Lanes.class.getPackageName().replace('.', '/'));
    List<Class<?>> classes = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".class")).sorted().toList()) {
        String simple = f.getFileName().toString().replace(".class", "");
        classes.add(Class.forName(Lanes.class.getPackageName() + "." + simple, false,
            Lanes.class.getClassLoader()));
      }
    }
    return classes;
  }

  private static java.net.URI location(Class<?> c) {
    try {
      return c.getProtectionDomain().getCodeSource().getLocation().toURI();
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
