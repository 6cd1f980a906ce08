/** The drsn command line app. */
module drsn.cli {
  requires drsn.train;
  requires drsn.nn;
  requires drsn.data;
  requires info.picocli;
  requires jdk.httpserver;
  requires java.logging;

  opens drsn.cli to info.picocli;
}
