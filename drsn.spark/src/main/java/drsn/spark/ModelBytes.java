package drsn.spark;

import drsn.nn.Checkpoint;
import drsn.nn.Model;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A drsn model file's bytes and their SHA-256 digest: what a Spark job ships to its executors
 * (broadcast once) and what each executor JVM decodes once ({@link ExecutorModels}). Made only
 * from bytes that decode: a model that cannot be read fails on the driver, with the reason, before
 * any task starts.
 */
public final class ModelBytes implements Serializable {

  private static final long serialVersionUID = 1L;

  /** The largest model file read (a drsn model is kilobytes to a few megabytes). */
  static final long MAX_BYTES = 1L << 30;

  private final byte[] bytes;
  private final String digest;
  private final String source;
  private transient Model model;

  private ModelBytes(byte[] bytes, String source, Model model) {
    this.bytes = bytes;
    this.digest = sha256(bytes);
    this.source = source;
    this.model = model;
  }

  /** Validates model file bytes by decoding them; {@code source} names them in messages. */
  public static ModelBytes of(byte[] bytes, String source) {
    try {
      return new ModelBytes(bytes.clone(), source, Checkpoint.load(bytes, source));
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot load model " + source + ": not a valid drsn safetensors file ("
          + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads a model file through Hadoop's file systems (a local path, file:, hdfs:, s3a:, …), or
   * the model.safetensors inside a training output folder, and validates it.
   */
  public static ModelBytes read(String path, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (!fs.exists(p)) {
        throw new IllegalArgumentException("model file " + path + " does not exist");
      }
      if (fs.getFileStatus(p).isDirectory()) {
        p = new Path(p, "model.safetensors");
        if (!fs.exists(p)) {
          throw new IllegalArgumentException("model file " + p + " does not exist");
        }
      }
      long size = fs.getFileStatus(p).getLen();
      if (size > MAX_BYTES) {
        throw new IllegalArgumentException("model file " + p + " holds " + size + " bytes, more than the "
            + MAX_BYTES + " a drsn model can have");
      }
      try (InputStream in = fs.open(p)) {
        return of(in.readNBytes((int) size), p.toString());
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read model file " + path + ": " + e.getMessage(), e);
    }
  }

  /** The file's bytes (not copied: do not change them). */
  byte[] bytes() {
    return bytes;
  }

  /** SHA-256 of the bytes, in hex: the key under which executors keep the decoded model. */
  public String digest() {
    return digest;
  }

  /** Where the bytes were read from. */
  public String source() {
    return source;
  }

  /** The decoded model (decoded again after deserialisation, on first use). */
  public synchronized Model model() {
    if (model == null) {
      model = ExecutorModels.model(this);
    }
    return model;
  }

  /** The model as drsn model file bytes (to write a copy). */
  static byte[] toBytes(Model m) {
    try {
      java.nio.file.Path tmp = java.nio.file.Files.createTempFile("drsn-model", ".safetensors");
      try {
        Checkpoint.save(m, tmp);
        return java.nio.file.Files.readAllBytes(tmp);
      } finally {
        java.nio.file.Files.deleteIfExists(tmp);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  static String sha256(byte[] b) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
