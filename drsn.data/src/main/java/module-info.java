/** Signal loaders, noise at a chosen SNR, leak-free windowing and datasets. */
module drsn.data {
  // exports drsn.data; (once the package has its first class)
  exports drsn.data.io;
}
