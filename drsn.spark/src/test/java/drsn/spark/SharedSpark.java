package drsn.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one local Spark session of the test JVM (local[2]), started on first use and shared by every
 * test class: a session takes seconds to start, and Spark keeps one active context per JVM anyway.
 * Surefire runs this module's test classes in one JVM; the session ends with it.
 */
final class SharedSpark {

  private static SparkSession session;

  private SharedSpark() {
  }

  static synchronized SparkSession get() {
    if (session == null) {
      session = SparkSession.builder()
          .appName("drsn.spark tests")
          .master("local[2]")
          .config("spark.ui.enabled", "false")
          .config("spark.sql.shuffle.partitions", "2")
          .config("spark.driver.host", "127.0.0.1")
          .config("spark.driver.bindAddress", "127.0.0.1")
          .getOrCreate();
      session.sparkContext().setLogLevel("WARN");
    }
    return session;
  }
}
