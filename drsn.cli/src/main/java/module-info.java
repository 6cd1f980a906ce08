/** The drsn command line app. */
module drsn.cli {
  requires drsn.train;
  requires drsn.nn;
  requires drsn.data;
  requires info.picocli;
  requires jdk.httpserver;

  opens drsn.cli to info.picocli;
}
