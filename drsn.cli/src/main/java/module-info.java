/** The drsn command line app. */
module drsn.cli {
  requires drsn.train;
  requires info.picocli;

  opens drsn.cli to info.picocli;
}
