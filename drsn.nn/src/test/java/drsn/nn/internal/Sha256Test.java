package drsn.nn.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** drsn's SHA-256 against the JDK's: every length up to a few blocks, fed in arbitrary pieces. */
class Sha256Test {

  @Test
  void matchesTheStandardsTestVectors() {
    // FIPS 180-4 examples (NIST's SHA256.pdf): "abc" and the two-block 448-bit message.
    assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex("abc"));
    assertEquals("248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
        hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"));
    assertEquals("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", hex(""));
  }

  @Test
  void agreesWithTheJdkForEveryLengthAroundTheBlockBoundariesAndAnySplit() throws Exception {
    qt().withExamples(600).forAll(integers().between(0, 300), integers().between(0, 1_000_000))
        .checkAssert((length, seed) -> {
          SplittableRandom random = new SplittableRandom(seed);
          byte[] data = new byte[length];
          random.nextBytes(data);
          Sha256 sha = new Sha256();
          // Pieces of random sizes, through all three ways in: single bytes, arrays, buffers.
          int at = 0;
          while (at < length) {
            int n = Math.min(length - at, random.nextInt(1, 130));
            switch (random.nextInt(3)) {
              case 0 -> {
                for (int i = 0; i < n; i++) {
                  sha.update(data[at + i]);
                }
              }
              case 1 -> sha.update(data, at, n);
              default -> {
                ByteBuffer b = random.nextBoolean() ? ByteBuffer.allocateDirect(n) : ByteBuffer.allocate(n + 3).position(3);
                b.put(data, at, n).position(b.position() - n);
                sha.update(b);
                assertEquals(0, b.remaining(), "consumes the buffer");
              }
            }
            at += n;
          }
          assertArrayEquals(jdk(data), sha.digest(), "length " + length);
        });
  }

  @Test
  void agreesWithTheJdkOnALargeInput() throws Exception {
    byte[] data = new byte[3_000_017];
    new SplittableRandom(7).nextBytes(data);
    Sha256 sha = new Sha256();
    sha.update(ByteBuffer.allocateDirect(data.length).put(data).flip());
    assertArrayEquals(jdk(data), sha.digest());
  }

  @Test
  void takesNoInputAfterTheDigest() {
    Sha256 sha = new Sha256();
    sha.digest();
    assertThrows(IllegalStateException.class, () -> sha.update((byte) 1));
    assertThrows(IllegalStateException.class, sha::digest);
  }

  private static String hex(String text) {
    Sha256 sha = new Sha256();
    byte[] b = text.getBytes(StandardCharsets.US_ASCII);
    sha.update(b, 0, b.length);
    return HexFormat.of().formatHex(sha.digest());
  }

  private static byte[] jdk(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }
}
